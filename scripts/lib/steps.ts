/**
 * Steps and the loop that runs them. A step runs its checks and reports its counts to the
 * aggregator (`results.ts`); one that throws, or reports nothing, counts as one failure, and later
 * steps still run. After the last step, processes the run left behind are found, killed and counted
 * as failures (`leaks.ts`). Used by `npm test` (every step) and by the scripts that can run alone
 * (`npm run size`, `npm run doc-tests`).
 */
import { randomUUID } from "node:crypto";
import { RUN_MARKER, reapMarked } from "./leaks.ts";
import { ROOT } from "./paths.ts";
import { runProcess, stopAll } from "./process.ts";
import { printSummary, report, reportCheck, reported } from "./results.ts";

/** One step of the test command. */
export interface Step {
  /** The heading printed before it runs. */
  title: string;
  /** The label of its summary row when it fails before reporting. */
  label: string;
  /** Runs the checks and reports through `results.ts`. */
  run(): Promise<void>;
}

/** A step that is one command: passed when it exits 0. Its output is shown as it comes. */
export function commandStep(title: string, label: string, command: string, args: string[]): Step {
  return {
    title,
    label,
    async run() {
      const { code } = await runProcess(command, args, { echo: true });
      reportCheck(label, code === 0);
    },
  };
}

/** Checks that no process carrying this run's marker is still alive; reports it as a step. */
async function leakCheck(marker: string): Promise<void> {
  const leaked = await reapMarked(marker);
  for (const p of leaked) console.log(`left running (killed): pid ${p.pid}: ${p.command}`);
  report({ label: "no process left behind", passed: leaked.length === 0 ? 1 : 0, failed: leaked.length });
}

/**
 * Runs `steps` in order, then the leak check, prints the summary and answers the exit code
 * (1 if anything failed). Ctrl-C stops every child's process group before exiting.
 */
export async function runSteps(steps: readonly Step[]): Promise<number> {
  process.chdir(ROOT);
  const marker = randomUUID();
  process.env[RUN_MARKER] = marker;
  process.env.NO_COLOR = "1";
  delete process.env.FORCE_COLOR;
  const interrupt = () => void stopAll().then(() => process.exit(130));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);

  const started = Date.now();
  for (const step of steps) {
    console.log(`\n=== ${step.title}`);
    const before = reported().length;
    try {
      await step.run();
      if (reported().length === before) throw new Error("the step reported no result");
    } catch (error) {
      console.log(
        `--- FAILED: ${step.title}: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
      );
      report({ label: step.label, passed: 0, failed: 1 });
    }
  }
  await stopAll();
  const { stop } = await import("esbuild"); // esbuild's service process is ours too
  await stop();
  await leakCheck(marker);
  console.log(`\n=== summary (${Math.round((Date.now() - started) / 1000)} s)`);
  return printSummary() ? 0 : 1;
}
