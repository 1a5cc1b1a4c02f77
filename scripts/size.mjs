// Size budget: bundles real usages of the package (scripts/bundle-size.mjs), fails when a bundle is
// over its limit, and prints each figure next to its target so the distance is visible.
import { appendFileSync } from "node:fs";
import { bundleSize } from "./bundle-size.mjs";

export const SIZE_CASES = [
  {
    name: "core: createAuth + memoryStore (ky external)",
    code: 'export { createAuth, memoryStore } from "./src/index.ts";',
    external: ["ky"],
    limit: 12_000,
    target: 3_000,
  },
  {
    name: "core + ky: createAuth (everything a token needs)",
    code: 'export { createAuth } from "./src/index.ts";',
    limit: 17_000,
  },
  {
    name: "worker: createAuth + createClient + cloudflare-kv",
    code: 'export { createAuth, createClient } from "./src/index.ts"; export { cloudflareKvStore } from "./src/store/cloudflare-kv.ts";',
    limit: 20_000,
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
  // The official SDK for the same job, measured the same way (it bundles only for node: its browser
  // build expects a DOM).
  const official = await bundleSize('export { default } from "purecloud-platform-client-v2";', {
    platform: "node",
  });
  const worker = await bundleSize(SIZE_CASES[2].code, { external: SIZE_CASES[2].external });
  console.log(
    `info  purecloud-platform-client-v2 (official SDK)            ${String(official.min).padStart(7)} B min  ${String(official.gzip).padStart(6)} B gz  (${(official.gzip / worker.gzip).toFixed(0)}× the worker bundle above)`,
  );
  appendFileSync(".tmp/counts", `size-budget ${SIZE_CASES.length - failed} ${failed}\n`);
  process.exit(failed ? 1 : 0);
}
