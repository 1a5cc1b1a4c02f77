// Runs vitest (Node), then appends "node-<version> <passed> <failed>" to .tmp/counts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const label = process.argv[2] ?? `node-${process.versions.node}`;
const report = ".tmp/vitest.json";
const result = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...process.argv.slice(3),
  ],
  { stdio: "inherit" },
);
let passed = 0;
let failed = result.status === 0 ? 0 : 1;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  failed = Math.max(json.numFailedTests, failed && json.numFailedTests === 0 ? 1 : 0);
} catch {
  failed = Math.max(failed, 1);
}
await import("node:fs").then((fs) => fs.appendFileSync(".tmp/counts", `${label} ${passed} ${failed}\n`));
process.exit(result.status ?? 1);
