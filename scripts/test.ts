/**
 * `npm test`: everything, on every runtime the package claims. What it needs is installed before it
 * starts (npm runs scripts/deps.sh as `pretest`: npm packages, chromium and redis-server), then it
 * runs each step in order (a failing step does not stop the later ones), checks that nothing it
 * started is still running, and ends with the summary table and one `N passed, N failed` line; exits 1 if anything failed.
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
import { bin } from "./lib/paths.ts";
import { commandStep, runSteps } from "./lib/steps.ts";
import { packageStep } from "./package-check.ts";
import { sizeStep } from "./size.ts";
import { browserSignInStep, vitestStep } from "./vitest.ts";

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
