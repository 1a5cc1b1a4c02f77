/**
 * Finding processes a test run left behind. `npm test` puts a random value in `GCA_TEST_RUN` at its
 * start; every process it starts, directly or not, inherits it (children started through
 * `process.ts` get it even with an environment of their own). At the end, any process other than the
 * orchestrator whose `/proc/<pid>/environ` carries the value is a leak: it is printed, killed, and
 * fails the run.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The environment variable that marks a test run's processes. */
export const RUN_MARKER = "GCA_TEST_RUN";

/** A process found carrying a marker. */
export interface MarkedProcess {
  pid: number;
  command: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return undefined; // gone, or not ours to read
  }
}

/** Live processes (other than `exclude`) whose environment has `RUN_MARKER=<value>`. */
export function findMarked(value: string, exclude: readonly number[] = [process.pid]): MarkedProcess[] {
  const needle = `${RUN_MARKER}=${value}`;
  const found: MarkedProcess[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || exclude.includes(pid)) continue;
    if (!read(`/proc/${pid}/environ`)?.split("\0").includes(needle)) continue;
    const command = read(`/proc/${pid}/cmdline`)?.split("\0").join(" ").trim() || `pid ${pid}`;
    found.push({ pid, command });
  }
  return found;
}

/**
 * The processes still carrying `value` after a short settling time (children stopped a moment ago
 * may still be exiting), each killed with SIGKILL once found.
 */
export async function reapMarked(value: string, settleMs = 1_000): Promise<MarkedProcess[]> {
  if (findMarked(value).length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const leaked = findMarked(value);
  for (const { pid } of leaked) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  return leaked;
}
