/**
 * The Node test suites as steps of the test command: unit + integration (vitest.config.ts), and the
 * browser sign-in end to end in Chromium (test/browser/vitest.config.ts).
 */
import { readFileSync, rmSync } from "node:fs";
import { vitestCounts } from "./lib/parse.ts";
import { bin } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { reportRun } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

/** A step that runs vitest with `args` and counts its tests from the JSON report at `report`. */
export function vitestRun(title: string, label: string, report: string, args: string[] = []): Step {
  return {
    title,
    label,
    async run() {
      rmSync(report, { force: true });
      const { code } = await runProcess(
        bin("vitest"),
        ["run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
        { echo: true },
      );
      let json = "";
      try {
        json = readFileSync(report, "utf8");
      } catch {}
      reportRun(label, vitestCounts(json), code === 0);
    },
  };
}

const label = `vitest-node-${process.versions.node}`;

/** test/unit and test/integration (vitest.config.ts). */
export const vitestStep: Step = vitestRun(
  `node ${process.version}: unit + integration (vitest)`,
  label,
  ".tmp/vitest.json",
);

/** test/browser: browser sign-in end to end in Chromium (test/browser/vitest.config.ts). */
export const browserSignInStep: Step = vitestRun(
  "browser sign-in end to end: Chromium, storage partitioning on (vitest + playwright-core)",
  "browser sign-in (chromium)",
  ".tmp/vitest-browser.json",
  ["--config", "test/browser/vitest.config.ts"],
);
