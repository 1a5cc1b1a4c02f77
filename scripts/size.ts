/**
 * Size budget (`npm run size`, `npm run size -- --why`, and a step of the test command): bundles real
 * usages of the package the way an application would (esbuild: bundle, minify, ESM, browser platform,
 * es2022), measures them minified and gzipped (level 9), fails when a bundle is over its limit, and
 * prints each figure next to its target. Also prints the size floor (what the contract's required
 * parts cost on their own) and the official SDK. `bench/sizes.ts` reuses the cases.
 */
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { isMain } from "./lib/paths.ts";
import { tally } from "./lib/results.ts";
import { runSteps, type Step } from "./lib/steps.ts";

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

/**
 * A budget case: a usage of the package, the regression limit that fails the run (the last measured
 * size plus about 3 %: any growth is a decision), the target it aims at (printed as met or not met), and the source file it needs (a case whose file does not exist yet
 * is reported as not built yet).
 */
export interface SizeCase {
  name: string;
  code: string;
  external?: string[];
  limit: number;
  target?: number;
  requires?: string;
}

export const SIZE_CASES: SizeCase[] = [
  {
    name: "core: createAuth + memoryStore (ky external)",
    code: 'export { createAuth, memoryStore } from "./src/index.ts";',
    external: ["ky"],
    limit: 17_000,
  },
  {
    name: "core, own code only (ky + valibot external)",
    code: 'export { createAuth, memoryStore } from "./src/index.ts";',
    external: ["ky", "valibot"],
    limit: 15_500,
  },
  {
    name: "core + ky: createAuth (everything a token needs)",
    code: 'export { createAuth } from "./src/index.ts";',
    limit: 21_500,
    target: 13_000,
  },
  {
    name: "worker: createAuth + createClient + cloudflareKvStore",
    code: 'export { createAuth, createClient } from "./src/index.ts"; export { cloudflareKvStore } from "./src/store/cloudflare-kv.ts";',
    limit: 23_500,
    target: 14_000,
  },
  {
    name: "browser sign-in: createBrowserAuth + createClient",
    code: 'export { createBrowserAuth } from "./src/browser.ts"; export { createClient } from "./src/index.ts";',
    requires: "src/browser.ts",
    limit: 24_300,
    target: 13_000,
  },
];

/** Whether a case's source exists yet. */
export const isBuilt = (c: SizeCase): boolean => c.requires === undefined || existsSync(c.requires);

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
const REGIONS = 'export { resolveRegion } from "./src/regions.ts";\n';

/**
 * The size floor: bundles of parts the product contract requires on their own. They show how much of
 * the core + ky target is spent before any token logic: ky is the required HTTP engine (DESIGN.md: the
 * token POST goes through ky), valibot must check every option and every token response, and every
 * error carries an administrator's hint.
 */
export const FLOOR_CASES: Array<{ name: string; code: string }> = [
  { name: "bare valibot schemas (options + token response)", code: BARE_SCHEMAS },
  { name: "bare valibot schemas + GenesysAuthError", code: BARE_SCHEMAS + ERRORS },
  { name: "ky alone", code: KY },
  { name: "ky + bare valibot schemas", code: KY + BARE_SCHEMAS },
  { name: "ky + bare valibot schemas + GenesysAuthError", code: KY + BARE_SCHEMAS + ERRORS },
  // The region option (AWS name, domain or URL, with "did you mean") is part of every auth's contract.
  { name: "… + resolveRegion", code: KY + BARE_SCHEMAS + ERRORS + REGIONS },
];

/**
 * The official SDK for the same job, measured the same way: its browser build (the package's
 * `browser` field: dist/web-cjs) and its node build.
 */
export const OFFICIAL_SDK: Array<{ name: string; platform: "browser" | "node" }> = [
  { name: "purecloud-platform-client-v2 (official SDK, browser build)", platform: "browser" },
  { name: "purecloud-platform-client-v2 (official SDK, node build)", platform: "node" },
];
const OFFICIAL_CODE = 'export { default } from "purecloud-platform-client-v2";';

const bytes = (n: number, width: number) => `${String(n).padStart(width)} B`;
const row = (tag: string, name: string, size: { min: number; gzip: number }, note: string) =>
  console.log(
    `${tag.padEnd(5)} ${name.padEnd(60)} ${bytes(size.min, 9)} min  ${bytes(size.gzip, 8)} gz  (${note})`,
  );

/** Measures and prints every budget case; a case over its limit is a failure. */
async function budget(): Promise<void> {
  const checks = tally("size budget");
  for (const c of SIZE_CASES) {
    if (!isBuilt(c)) {
      console.log(
        `skip  ${c.name.padEnd(60)} not built yet (${c.requires} does not exist; limit ${c.limit})`,
      );
      continue;
    }
    const { min, gzip, modules } = await bundleSize(c.code, c.external ? { external: c.external } : {});
    const ok = checks.add(gzip <= c.limit);
    const target = c.target ? `, target ${c.target} — ${gzip <= c.target ? "met" : "not met"}` : "";
    row(ok ? "ok" : "OVER", c.name, { min, gzip }, `limit ${c.limit}${target}`);
    // `npm run size -- --why`: where the minified bytes come from, largest first.
    if (process.argv.includes("--why")) {
      for (const m of modules.slice(0, 15)) console.log(`        ${bytes(m.min, 7)}  ${m.file}`);
    }
  }
  checks.done();
}

/** Prints the floor rows, as shares of the core + ky target. */
async function floor(): Promise<void> {
  const target = SIZE_CASES.find((c) => c.name.startsWith("core + ky"))?.target ?? 0;
  for (const f of FLOOR_CASES) {
    const size = await bundleSize(f.code);
    row(
      "floor",
      f.name,
      size,
      `${Math.round((100 * size.gzip) / target)} % of the core + ky target ${target}`,
    );
  }
}

/** Prints the official SDK's bundles next to ours (information only). */
async function official(): Promise<void> {
  const worker = SIZE_CASES.find((c) => c.name.startsWith("worker"));
  const ours = await bundleSize(worker?.code ?? "");
  for (const o of OFFICIAL_SDK) {
    try {
      const size = await bundleSize(OFFICIAL_CODE, { platform: o.platform });
      row("info", o.name, size, `${(size.gzip / ours.gzip).toFixed(0)}× the worker bundle`);
    } catch (error) {
      console.log(`info  ${o.name.padEnd(60)} does not bundle: ${String(error).slice(0, 200)}`);
    }
  }
}

export const sizeStep: Step = {
  title: "size budget",
  label: "size budget",
  async run() {
    await budget();
    await floor();
    await official();
  },
};

if (isMain(import.meta.url)) process.exitCode = await runSteps([sizeStep]);
