/**
 * Size budget (`npm run size`, `npm run size -- --why`, and a step of the test command): bundles real
 * usages of the package the way an application would (esbuild: bundle, minify, ESM, browser platform,
 * es2022), measures them minified and gzipped (level 9), fails when a bundle is over its limit, and
 * prints each figure next to its target. Also prints the size floor (what the contract's required
 * parts cost on their own) and the official SDK. `bench/sizes.ts` reuses the cases.
 */
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { tally } from "./lib/results.ts";
import { isMain, runSteps, type Step } from "./lib/steps.ts";

/** A bundle's size, and where its minified bytes come from (largest module first). */
export interface BundleSize {
  min: number;
  gzip: number;
  modules: Array<{ file: string; min: number }>;
}

/** Minified and gzipped size of `code` bundled as an application would. */
export async function bundleSize(
  code: string,
  options: { external?: string[]; platform?: "browser" | "node" | "neutral" } = {},
): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: code, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: options.platform ?? "browser",
    target: "es2022",
    external: options.external ?? [],
    write: false,
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
  });
  const bytes = result.outputFiles[0]?.contents ?? new Uint8Array();
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const modules = Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => ({ file, min: bytesInOutput }))
    .sort((a, b) => b.min - a.min);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, modules };
}

/** A budget case: a usage of the package, its regression limit, and the target it aims at. */
export interface SizeCase {
  name: string;
  code: string;
  external?: string[];
  limit: number;
  target?: number;
}

export const SIZE_CASES: SizeCase[] = [
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

/** The least valibot the contract allows: the 18 createAuth options and the token response, bare types, valibot's own messages. */
const BARE_SCHEMAS = `import * as v from "valibot";
const fn = v.custom((x) => typeof x === "function");
const obj = v.custom((x) => typeof x === "object" && x !== null);
const options = v.strictObject({ clientId: v.string(), clientSecret: v.string(), region: v.optional(v.string()),
  loginUrl: v.optional(v.string()), apiUrl: v.optional(v.string()), scopes: v.optional(v.array(v.string())),
  clientAuthentication: v.optional(v.picklist(["basic", "body"])), store: v.optional(obj), lock: v.optional(obj),
  encryption: v.optional(v.union([v.literal(false), obj])), refreshMarginSeconds: v.optional(v.number()),
  timeoutMs: v.optional(v.number()), retry: v.optional(v.strictObject({ limit: v.optional(v.number()),
  maxRetryAfterSeconds: v.optional(v.number()) })), fetch: v.optional(fn), waitUntil: v.optional(fn),
  dangerouslyAllowBrowser: v.optional(v.boolean()), onEvent: v.optional(fn), now: v.optional(fn) });
const tokenResponse = v.looseObject({ access_token: v.string(), token_type: v.string(), expires_in: v.number(),
  scope: v.optional(v.string()) });
export const parseOptions = (x) => v.parse(options, x);
export const parseTokenResponse = (x) => v.parse(tokenResponse, x);
`;
const KY = 'export { default as ky } from "ky";\n';
const ERRORS = 'export { GenesysAuthError } from "./src/errors.ts";\n';

/**
 * The size floor: bundles of parts the product contract requires on their own. They show how much of
 * each budget is spent before any token logic: ky is the required HTTP engine (DESIGN.md: the token
 * POST goes through ky), valibot must check every option and every token response, and every error
 * carries an administrator's hint. `of` names the budget each is a floor of.
 */
export const FLOOR_CASES: Array<{ name: string; code: string; of: "core" | "worker" }> = [
  { name: "bare valibot schemas (options + token response)", code: BARE_SCHEMAS, of: "core" },
  { name: "bare valibot schemas + GenesysAuthError", code: BARE_SCHEMAS + ERRORS, of: "core" },
  { name: "ky alone", code: KY, of: "worker" },
  { name: "ky + bare valibot schemas", code: KY + BARE_SCHEMAS, of: "worker" },
  { name: "ky + bare valibot schemas + GenesysAuthError", code: KY + BARE_SCHEMAS + ERRORS, of: "worker" },
];

const bytes = (n: number, width: number) => `${String(n).padStart(width)} B`;

export const sizeStep: Step = {
  title: "size budget",
  label: "size budget",
  async run() {
    const checks = tally("size budget");
    for (const c of SIZE_CASES) {
      const { min, gzip, modules } = await bundleSize(c.code, c.external ? { external: c.external } : {});
      const over = !checks.add(gzip <= c.limit);
      const target = c.target ? `, target ${c.target}${gzip > c.target ? " — not met" : " — met"}` : "";
      console.log(
        `${over ? "OVER " : "ok   "} ${c.name.padEnd(52)} ${bytes(min, 7)} min  ${bytes(gzip, 6)} gz  (limit ${c.limit}${target})`,
      );
      // `npm run size -- --why`: where the minified bytes come from, largest first.
      if (process.argv.includes("--why")) {
        for (const m of modules.slice(0, 15)) console.log(`        ${bytes(m.min, 7)}  ${m.file}`);
      }
    }
    // What the contract's required parts cost on their own, against the targets they sit under.
    const targets = Object.fromEntries(
      SIZE_CASES.filter((c) => c.target).map((c) => [c.name.split(":")[0], c.target ?? 0]),
    );
    for (const f of FLOOR_CASES) {
      const { min, gzip } = await bundleSize(f.code);
      const target = targets[f.of] ?? 0;
      const share = Math.round((100 * gzip) / target);
      console.log(
        `floor ${f.name.padEnd(52)} ${bytes(min, 7)} min  ${bytes(gzip, 6)} gz  (${share} % of the ${f.of} target ${target})`,
      );
    }
    // The official SDK for the same job, measured the same way (it bundles only for node: its browser
    // build expects a DOM).
    const official = await bundleSize('export { default } from "purecloud-platform-client-v2";', {
      platform: "node",
    });
    const workerCase = SIZE_CASES.find((c) => c.name.startsWith("worker"));
    const worker = await bundleSize(workerCase?.code ?? "");
    console.log(
      `info  purecloud-platform-client-v2 (official SDK)            ${bytes(official.min, 7)} min  ${bytes(official.gzip, 6)} gz  (${(official.gzip / worker.gzip).toFixed(0)}× the worker bundle above)`,
    );
    checks.done();
  },
};

if (isMain(import.meta.url)) process.exitCode = await runSteps([sizeStep]);
