/** Small measuring tools for the benchmarks: medians of paired, interleaved rounds. */

/** The median of `values`. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nanoseconds per call of `fn`, awaited `n` times in a row. */
export async function nsPerCall(fn: () => Promise<unknown>, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - started) / n;
}

/**
 * Runs every contender once per round, in a rotating order, for `rounds` rounds; answers each
 * contender's median and the median of its per-round ratio to `baseline`.
 */
export async function paired(
  contenders: Record<string, () => Promise<number>>,
  rounds: number,
  baseline: string,
): Promise<Record<string, { median: number; ratio: number }>> {
  const names = Object.keys(contenders);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length] as string;
      samples[name]?.push(await (contenders[name] as () => Promise<number>)());
    }
  }
  const base = samples[baseline] as number[];
  return Object.fromEntries(
    names.map((name) => {
      const own = samples[name] as number[];
      return [name, { median: median(own), ratio: median(own.map((v, i) => v / (base[i] as number))) }];
    }),
  );
}

/** A markdown table, its columns padded as the formatter (biome) lays them out. */
export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) =>
    Math.max(3, ...cells.map((row) => [...(row[column] ?? "")].length)),
  );
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => cell + " ".repeat((widths[column] as number) - [...cell].length)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...cells.slice(1).map(line)].join(
    "\n",
  );
}
