/**
 * 6. Import cost: cold `import()` of the built package in a fresh Node, Deno and Bun process
 * (median of 9), and the heap growth over 10,000 cached `getToken()` calls.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { markdownTable, median } from "./lib.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const entry = `${root}dist/index.js`;
const probe = `const t = performance.now(); await import(${JSON.stringify(entry)}); console.log(performance.now() - t);`;

function timeRuns(command: string, args: string[], runs = 9): number | string {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(command, args, { cwd: root, encoding: "utf8" });
    const value = Number.parseFloat(result.stdout.trim().split("\n").pop() ?? "");
    if (result.status !== 0 || Number.isNaN(value)) return `failed: ${result.stderr.slice(-200)}`;
    values.push(value);
  }
  return median(values);
}

const HEAP_PROBE = `
import { createAuth } from ${JSON.stringify(entry)};
import { createMockGenesys } from ${JSON.stringify(`${root}dist/testing.js`)};
const mock = createMockGenesys();
const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
await auth.getToken();
for (let i = 0; i < 10000; i++) await auth.getToken();
globalThis.gc(); const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 10000; i++) await auth.getToken();
globalThis.gc(); console.log(process.memoryUsage().heapUsed - before);
`;

export async function benchImportCost(): Promise<string> {
  const node = timeRuns(process.execPath, ["--input-type=module", "-e", probe]);
  const deno = timeRuns(process.execPath, [`${root}node_modules/deno/bin.cjs`, "eval", "--quiet", probe]);
  const bun = timeRuns(`${root}node_modules/bun/bin/bun.exe`, ["-e", probe]);
  const heaps = Array.from({ length: 3 }, () =>
    spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", HEAP_PROBE], {
      cwd: root,
      encoding: "utf8",
    }),
  );
  const heap = heaps.every((h) => h.status === 0)
    ? median(heaps.map((h) => Number(h.stdout.trim())))
    : heaps.find((h) => h.status !== 0)?.stderr;
  const fmt = (v: number | string) => (typeof v === "number" ? `${v.toFixed(1)} ms` : v);
  return markdownTable(
    ["import cost", "value"],
    [
      [`cold import() in Node ${process.versions.node} (median of 9 processes)`, fmt(node)],
      ["cold import() in Deno (median of 9 processes)", fmt(deno)],
      ["cold import() in Bun (median of 9 processes)", fmt(bun)],
      [
        "heap growth over 10,000 cached getToken() calls (Node, after GC, median of 3 processes)",
        typeof heap === "number"
          ? `${heap} bytes (${(heap / 10_000).toFixed(1)} bytes/call)`
          : `failed: ${String(heap).slice(-200)}`,
      ],
    ],
  );
}
