// The test command's own machinery, run as a child: a step that leaks a process fails the run.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { bin } from "../../scripts/lib/paths.ts";
import { runProcess } from "../../scripts/lib/process.ts";

it("a process left running fails the run: it is named, killed and counted", async () => {
  const { code, stdout } = await runProcess(bin("tsx"), ["test/support/leaky-steps.ts"], {
    timeoutMs: 30_000,
  });
  const leak = /^left running \(killed\): pid (\d+): sleep 60$/m.exec(stdout);
  expect(leak, stdout).not.toBeNull();
  expect(stdout).toMatch(/^no process left behind\s+0\s+1$/m);
  expect(stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed");
  expect(code).toBe(1);
  expect(running(Number(leak?.[1]))).toBe(false);
});

/** Whether `pid` is alive and not a zombie (this machine's init may never reap an orphan). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}
