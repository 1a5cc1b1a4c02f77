/**
 * The one result aggregator of the test command: every step reports `{ label, passed, failed }` here,
 * and `printSummary` prints the table and the single last line `N passed, N failed`.
 */

/** What one step (or one runtime within a step) counted. */
export interface StepResult {
  label: string;
  passed: number;
  failed: number;
}

const results: StepResult[] = [];

/** Records a result. */
export function report(result: StepResult): void {
  results.push({ ...result });
}

/**
 * Records a child tool's counts: `counts` as parsed from its output (undefined when its output
 * could not be read: one failure), and at least one failure when it exited unsuccessfully.
 */
export function reportRun(
  label: string,
  counts: Omit<StepResult, "label"> | undefined,
  exitedOk: boolean,
): void {
  const passed = counts?.passed ?? 0;
  const failed = counts === undefined ? 1 : counts.failed;
  report({ label, passed, failed: failed === 0 && !exitedOk ? 1 : failed });
}

/** Records a single check: one pass or one failure. */
export function reportCheck(label: string, ok: boolean): void {
  report({ label, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}

/** Counts a step's checks one at a time; `done()` records them as one row. */
export function tally(label: string): { add(ok: boolean): boolean; done(): void } {
  const counts = { passed: 0, failed: 0 };
  return {
    add(ok) {
      counts[ok ? "passed" : "failed"]++;
      return ok;
    },
    done: () => report({ label, ...counts }),
  };
}

/** Everything recorded so far. */
export function reported(): readonly StepResult[] {
  return results;
}

/** The sum of everything recorded. */
export function totals(): { passed: number; failed: number } {
  return results.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed }), {
    passed: 0,
    failed: 0,
  });
}

/** Prints the table and, last, `N passed, N failed`; answers whether nothing failed. */
export function printSummary(): boolean {
  const width = Math.max(5, ...results.map((r) => r.label.length));
  console.log(`${"step".padEnd(width)}  passed  failed`);
  for (const r of results) {
    console.log(`${r.label.padEnd(width)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}`);
  }
  const { passed, failed } = totals();
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}
