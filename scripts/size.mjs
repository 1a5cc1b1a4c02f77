// Size budget: bundles real usages of the package with esbuild (minified, ESM, browser/worker
// platform), gzips them and fails when a bundle is over its limit. Prints each figure next to its
// target so the distance is visible.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const cases = [
  {
    name: "core: createAuth + memoryStore (ky external)",
    code: 'import { createAuth, memoryStore } from "./src/index.ts"; export { createAuth, memoryStore };',
    external: ["ky"],
    limit: 12_000,
    target: 3_000,
  },
  {
    name: "core + ky: createAuth (everything a token needs)",
    code: 'import { createAuth } from "./src/index.ts"; export { createAuth };',
    external: [],
    limit: 17_000,
    target: undefined,
  },
  {
    name: "worker: createAuth + createClient + helpers",
    code: 'import { createAuth, createClient, getOrganization } from "./src/index.ts"; export { createAuth, createClient, getOrganization };',
    external: [],
    limit: 20_000,
    target: 9_000,
  },
];

let failed = 0;
const rows = [];
for (const c of cases) {
  const result = await build({
    stdin: { contents: c.code, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: c.external,
    write: false,
    legalComments: "none",
  });
  const bytes = result.outputFiles[0].contents;
  const gz = gzipSync(bytes, { level: 9 }).length;
  const over = gz > c.limit;
  if (over) failed++;
  rows.push(
    `${over ? "OVER " : "ok   "} ${c.name.padEnd(52)} ${String(bytes.length).padStart(7)} B min  ${String(gz).padStart(6)} B gz  (limit ${c.limit}${c.target ? `, target ${c.target}` : ""})`,
  );
}
console.log(rows.join("\n"));
const fs = await import("node:fs");
fs.appendFileSync(".tmp/counts", `size-budget ${cases.length - failed} ${failed}\n`);
process.exit(failed ? 1 : 0);
