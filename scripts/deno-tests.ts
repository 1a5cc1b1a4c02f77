/**
 * Deno as a step of the test command: the JSR package checks (`deno publish --dry-run` type-checks
 * every export, offline), `deno check` of the Deno-only files, and the Deno tests (conformance and
 * Deno KV).
 */
import { denoTestCounts } from "./lib/parse.ts";
import { bin } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { reportCheck, reportRun } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

const deno = bin("deno");
/** Deno-only files, type-checked by Deno (tsc excludes them). */
const CHECKED = [
  "examples/deno/main.ts",
  "bench/fleet/child-deno.ts",
  "test/conformance/run-deno.test.ts",
  "test/integration/deno/",
];
const TESTS = ["test/conformance/run-deno.test.ts", "test/integration/deno/"];
const PERMISSIONS = ["--unstable-kv", "--allow-env", "--allow-read", "--allow-net=127.0.0.1", "--no-prompt"];

export const denoStep: Step = {
  title: "deno: JSR dry run + tests",
  label: "deno",
  async run() {
    const run = (args: string[]) => runProcess(deno, args, { echo: true });
    const version = (await runProcess(deno, ["--version"])).stdout.split(/\s+/)[1] ?? "?";
    reportCheck(
      "deno publish --dry-run",
      (await run(["publish", "--dry-run", "--allow-dirty", "--quiet"])).code === 0,
    );
    reportCheck("deno check", (await run(["check", "--quiet", ...CHECKED])).code === 0);
    const test = await run(["test", ...PERMISSIONS, ...TESTS]);
    reportRun(`deno-${version}`, denoTestCounts(test.stdout), test.code === 0);
  },
};
