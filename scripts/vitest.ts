/** The Node test suite (vitest: test/unit and test/integration) as a step of the test command. */
import { readFileSync, rmSync } from "node:fs";
import { vitestCounts } from "./lib/parse.ts";
import { bin } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { reportRun } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

const REPORT = ".tmp/vitest.json";
const label = `vitest-node-${process.versions.node}`;

export const vitestStep: Step = {
  title: `node ${process.version}: unit + integration (vitest)`,
  label,
  async run() {
    rmSync(REPORT, { force: true });
    const { code } = await runProcess(
      bin("vitest"),
      ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${REPORT}`],
      { echo: true },
    );
    let json = "";
    try {
      json = readFileSync(REPORT, "utf8");
    } catch {}
    reportRun(label, vitestCounts(json), code === 0);
  },
};
