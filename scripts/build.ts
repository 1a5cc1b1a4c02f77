/**
 * The build (`npm run build`, also run by `prepack` and by `npm test`): ESM + CJS + types (tsup), the
 * CommonJS types with ky inlined, and the node10 entry stubs.
 */
import { writeCjsTypes } from "./dts-cjs.ts";
import { distName, ENTRIES } from "./entries.ts";
import { writeEntryStubs } from "./entry-stubs.ts";
import { packTarball } from "./lib/pack.ts";
import { bin, isMain, ROOT } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { reportCheck } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

/** Builds into dist/; answers whether it worked. */
export async function build(): Promise<boolean> {
  const tsup = await runProcess(bin("tsup"), ["--silent"], { echo: true, cwd: ROOT });
  if (tsup.code !== 0) return false;
  const names = ENTRIES.map(distName);
  await writeCjsTypes(names);
  writeEntryStubs(names);
  return true;
}

/**
 * The build as a step of the test command: `npm pack`, whose `prepack` runs the build, so dist/ and the
 * tarball the package checks and doc tests use come from one build.
 */
export const buildStep: Step = {
  title: "build (npm pack: prepack runs tsup + CJS types)",
  label: "build",
  async run() {
    let ok = true;
    try {
      await packTarball();
    } catch (error) {
      console.log(error instanceof Error ? error.message : String(error));
      ok = false;
    }
    reportCheck("build", ok);
  },
};

if (isMain(import.meta.url)) {
  process.chdir(ROOT);
  process.exitCode = (await build()) ? 0 : 1;
}
