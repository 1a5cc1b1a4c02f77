// Size budget: bundles real usages of the package (scripts/bundle-size.mjs), fails when a bundle is
// over its limit, and prints each figure next to its target so the distance is visible.
import { appendFileSync } from "node:fs";
import { bundleSize } from "./bundle-size.mjs";
import { FLOOR_CASES } from "./size-floor.mjs";

export const SIZE_CASES = [
  {
    name: "core: createAuth + memoryStore (ky external)",
    code: 'export { createAuth, memoryStore } from "./src/index.ts";',
    external: ["ky"],
    limit: 11_500,
    target: 3_000,
  },
  {
    name: "core, own code only (ky + valibot external)",
    code: 'export { createAuth, memoryStore } from "./src/index.ts";',
    external: ["ky", "valibot"],
    limit: 9_800,
  },
  {
    name: "core + ky: createAuth (everything a token needs)",
    code: 'export { createAuth } from "./src/index.ts";',
    limit: 15_800,
  },
  {
    name: "worker: createAuth + createClient + cloudflare-kv",
    code: 'export { createAuth, createClient } from "./src/index.ts"; export { cloudflareKvStore } from "./src/store/cloudflare-kv.ts";',
    limit: 17_000,
    target: 9_000,
  },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = 0;
  for (const c of SIZE_CASES) {
    const { min, gzip, modules } = await bundleSize(c.code, { external: c.external });
    const over = gzip > c.limit;
    if (over) failed++;
    console.log(
      `${over ? "OVER " : "ok   "} ${c.name.padEnd(52)} ${String(min).padStart(7)} B min  ${String(gzip).padStart(6)} B gz  (limit ${c.limit}${c.target ? `, target ${c.target}${gzip > c.target ? " — not met" : " — met"}` : ""})`,
    );
    // `node scripts/size.mjs --why`: where the minified bytes come from, largest first.
    if (process.argv.includes("--why")) {
      for (const m of modules.slice(0, 15)) console.log(`        ${String(m.min).padStart(7)} B  ${m.file}`);
    }
  }
  // What the contract's required parts cost on their own, against the targets they sit under.
  const targets = Object.fromEntries(
    SIZE_CASES.filter((c) => c.target).map((c) => [c.name.split(":")[0], c.target]),
  );
  for (const f of FLOOR_CASES) {
    const { min, gzip } = await bundleSize(f.code);
    const share = Math.round((100 * gzip) / targets[f.of]);
    console.log(
      `floor ${f.name.padEnd(52)} ${String(min).padStart(7)} B min  ${String(gzip).padStart(6)} B gz  (${share} % of the ${f.of} target ${targets[f.of]})`,
    );
  }
  // The official SDK for the same job, measured the same way (it bundles only for node: its browser
  // build expects a DOM).
  const official = await bundleSize('export { default } from "purecloud-platform-client-v2";', {
    platform: "node",
  });
  const workerCase = SIZE_CASES.find((c) => c.name.startsWith("worker"));
  const worker = await bundleSize(workerCase.code);
  console.log(
    `info  purecloud-platform-client-v2 (official SDK)            ${String(official.min).padStart(7)} B min  ${String(official.gzip).padStart(6)} B gz  (${(official.gzip / worker.gzip).toFixed(0)}× the worker bundle above)`,
  );
  appendFileSync(".tmp/counts", `size-budget ${SIZE_CASES.length - failed} ${failed}\n`);
  process.exit(failed ? 1 : 0);
}
