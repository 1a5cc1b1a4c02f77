/**
 * `npm test`: everything, on every runtime the package claims. Installs what it needs (npm packages;
 * chromium and redis-server through apt when missing: system-deps.sh), runs each step in order (a
 * failing step does not stop the later ones), checks that nothing it started is still running, and
 * ends with the summary table and one `N passed, N failed` line; exits 1 if anything failed.
 * `npm test -- <words>` runs only the steps whose label contains one of the words.
 */
import { buildStep } from "./build.ts";
import { bunStep } from "./bun-tests.ts";
import { conformanceStep } from "./conformance.ts";
import { denoStep } from "./deno-tests.ts";
import { docTestsStep } from "./doc-tests.ts";
import { entriesStep } from "./entries-sync.ts";
import { examplesStep } from "./examples.ts";
import { importGraphStep } from "./import-graph.ts";
import { bin, ROOT } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { commandStep, runSteps } from "./lib/steps.ts";
import { packageStep } from "./package-check.ts";
import { sizeStep } from "./size.ts";
import { browserSignInStep, vitestStep } from "./vitest.ts";

/** npm packages (npm ci when `npm ls` finds a problem) and Debian packages; false if either failed. */
async function dependencies(): Promise<boolean> {
  console.log("=== dependencies");
  if ((await runProcess("npm", ["ls", "--depth=0"], { cwd: ROOT })).code !== 0) {
    const ci = await runProcess("npm", ["ci", "--no-audit", "--no-fund"], { cwd: ROOT, echo: true });
    if (ci.code !== 0) return false;
  }
  return (await runProcess("bash", [`${ROOT}scripts/system-deps.sh`], { echo: true })).code === 0;
}

if (!(await dependencies())) process.exit(1);
const steps = [
  entriesStep,
  importGraphStep,
  commandStep("lint (biome)", "lint (biome)", bin("biome"), ["check", "."]),
  commandStep("types (tsc --noEmit)", "types (tsc)", bin("tsc"), ["--noEmit"]),
  commandStep("docs (TypeDoc: every export documented, links valid)", "docs (TypeDoc)", bin("typedoc"), [
    "--emit",
    "none",
    "--logLevel",
    "Warn",
  ]),
  buildStep,
  vitestStep,
  browserSignInStep,
  denoStep,
  bunStep,
  conformanceStep,
  examplesStep,
  docTestsStep,
  packageStep,
  sizeStep,
];
// `npm test -- conformance build`: only the steps whose label names one of the words (for working on
// one part; CI and the README's command run them all).
const only = process.argv.slice(2);
process.exitCode = await runSteps(
  only.length === 0 ? steps : steps.filter((step) => only.some((word) => step.label.includes(word))),
);
