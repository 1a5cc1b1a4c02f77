/**
 * A test command with one step that leaves a `sleep` running: `tsx test/support/leaky-steps.ts` must
 * report it, kill it and exit 1 (test/integration/test-command.test.ts).
 */
import { spawn } from "node:child_process";
import { reportCheck } from "../../scripts/lib/results.ts";
import { runSteps } from "../../scripts/lib/steps.ts";

process.exitCode = await runSteps([
  {
    title: "a step that leaks a child",
    label: "leaky",
    async run() {
      spawn("sleep", ["60"], { detached: true, stdio: "ignore" }).unref();
      reportCheck("leaky", true);
    },
  },
]);
