/**
 * Bun as a step of the test command: the conformance suite through Bun's own test runner (always
 * with a path: a bare `bun test` would also pick up the vitest files).
 */
import { bunTestCounts } from "./lib/parse.ts";
import { bin } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { reportRun } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

const bun = bin("bun");

export const bunStep: Step = {
  title: "bun: conformance",
  label: "bun",
  async run() {
    const version = (await runProcess(bun, ["--version"])).stdout.trim();
    const test = await runProcess(bun, ["test", "test/conformance/run-bun.test.ts"], { echo: true });
    // bun test writes its results and summary to stderr
    reportRun(`bun-${version}`, bunTestCounts(test.stdout + test.stderr), test.code === 0);
  },
};
