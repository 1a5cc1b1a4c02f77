/**
 * Reading counts out of the child tools' output: one function per tool, and nowhere else. Each answers
 * undefined when the output does not say (a crash before the summary), which counts as a failure.
 */

/** Passed and failed counts. */
export interface Counts {
  passed: number;
  failed: number;
}

/** vitest's JSON reporter file. */
export function vitestCounts(json: string): Counts | undefined {
  try {
    const report = JSON.parse(json) as { numPassedTests?: unknown; numFailedTests?: unknown };
    if (typeof report.numPassedTests !== "number" || typeof report.numFailedTests !== "number")
      return undefined;
    return { passed: report.numPassedTests, failed: report.numFailedTests };
  } catch {
    return undefined;
  }
}

/** `deno test`'s last line: `ok | 20 passed | 0 failed (525ms)`. */
export function denoTestCounts(output: string): Counts | undefined {
  const matches = [
    ...output.matchAll(/^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/gm),
  ];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

/** `bun test`'s summary lines: ` 17 pass` and ` 0 fail`. */
export function bunTestCounts(output: string): Counts | undefined {
  const passed = /^\s*(\d+) pass$/m.exec(output);
  const failed = /^\s*(\d+) fail$/m.exec(output);
  return passed && failed ? { passed: Number(passed[1]), failed: Number(failed[1]) } : undefined;
}

/** The conformance suite's line (test/conformance/cases.ts): `conformance <runtime>: 17 passed, 0 failed`. */
export function conformanceCounts(output: string): (Counts & { runtime: string }) | undefined {
  const match = /^conformance (\S+): (\d+) passed, (\d+) failed$/m.exec(output);
  return match ? { runtime: match[1] ?? "", passed: Number(match[2]), failed: Number(match[3]) } : undefined;
}
