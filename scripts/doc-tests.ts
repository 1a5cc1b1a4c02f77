/**
 * Doc tests (`npm run doc-tests`, and a step of `npm test`). Every fenced code block in README.md is a
 * complete program, extracted and run against the mock Genesys Cloud on the runtime its info string
 * names:
 *
 *   ```ts node      Node (tsx)  ┐ from a fresh project where the packed tarball is installed, so
 *   ```ts bun       Bun         ┘ "genesys-cloud-auth" is what `npm install` gives users
 *   ```ts deno      Deno; the first line is `// deno run <flags> main.ts`, and it runs with exactly
 *                   those flags (plus --check); "npm:genesys-cloud-auth" is the installed tarball
 *   ```ts worker    bundled (esbuild), run in workerd (miniflare) with a KV namespace `TOKENS`, the
 *                   GENESYS_* bindings and any Durable Object a `wrangler.toml: [[durable_objects.bindings]]
 *                   name = "X", class_name = "Y"` comment names; GET / must answer 2xx
 *   ```ts browser   bundled, loaded as a module by the page at `/` of the mock's origin in Chromium, where
 *                   the real Genesys hosts (https://login.<domain>, https://api.<domain> of every known
 *                   region) are answered by the mock, so a block may name a real `region`; any other
 *                   host is refused. It may leave the page (a sign-in goes to the login page and comes
 *                   back to `/` with ?code&state: `/` is a registered redirect URI of the mock's PKCE
 *                   client, whose id is `YOUR_PKCE_CLIENT_ID`, the placeholder users replace with
 *                   theirs); it must finish — its module complete on a page load that no navigation
 *                   follows — within 30 s, with no uncaught error and no page answered 4xx/5xx on the way
 *   ```sh           bash -eo pipefail in the project; `npm install genesys-cloud-auth` installs the tarball
 *   ```sh service   a long-running program (a server; `service` goes with sh, node, bun and deno):
 *   ```ts node service  it must print something and keep running; then its whole process group is
 *                   stopped. One that uses createCodeFlow must also let a person sign in through it
 *                   (scripts/lib/signin-driver.ts: /login, the mock's login host, /callback, cookies
 *                   kept), after which `/` must answer 200 with their name
 *   ```… no-run     not run: for blocks that truly cannot run here (say why next to them); counted
 *
 * A `ts` block may name several runtimes (```ts node bun). TypeScript blocks are type-checked with
 * `tsc --strict` (Deno's by `--check`). Environment: GENESYS_LOGIN_URL/API_URL point at the mock, and
 * GENESYS_CLIENT_ID/SECRET are the mock's client for the block's grant: its confidential code client
 * when the block uses createCodeFlow (with GENESYS_REDIRECT_URI, `http://localhost:<free port>/callback`,
 * registered on it), its SAML2 bearer client when it uses createSaml2BearerAuth (its orgName is
 * `mockorg`), its client-credentials client otherwise. REDIS_URL points at a fresh redis-server when a
 * block mentions it; XDG_CONFIG_HOME is in the project; the system browser (`xdg-open`) is a stand-in
 * that opens the address as a person who approves would (the CLI's `login`, on its default port 8765,
 * whose redirect URI the mock's PKCE client has). Other packages a Node or Bun block imports (redis…)
 * come from this repository's devDependencies. A run passes when it exits 0 within 60 s. Results are
 * reported by README line. Before the README, the runner checks itself on scripts/doc-tests/fixture.md,
 * whose blocks say (`<!-- expect: fail -->`) which of them must fail.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { startRedis } from "../test/support/redis-server.ts";
import { type Block, extractBlocks } from "./doc-tests/blocks.ts";
import { PKCE_CLIENT_ID, type RunContext, runBlock } from "./doc-tests/run.ts";
import { compileKind, typecheck } from "./doc-tests/typecheck.ts";
import { serveMock } from "./lib/mock-server.ts";
import { consumerProject, packTarball } from "./lib/pack.ts";
import { isMain, ROOT } from "./lib/paths.ts";
import { tally } from "./lib/results.ts";
import { runSteps, type Step } from "./lib/steps.ts";

const FIXTURE = "scripts/doc-tests/fixture.md";

/** One check of one block: its type check or a run on one runtime. */
interface Check {
  block: Block;
  what: string;
  ok: boolean;
  detail: string;
}

/** Packages the code imports other than ours and Node's, that this repository has in node_modules. */
function otherImports(code: string): string[] {
  const names = [...code.matchAll(/(?:from|import)\s+"([^".][^"]*)"/g)]
    .map(([, spec = ""]) => spec)
    .filter((spec) => !/^(node:|npm:|genesys-cloud-auth)/.test(spec))
    .map((spec) =>
      spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec),
    );
  return [...new Set(names)].filter((name) => existsSync(`${ROOT}node_modules/${name}`));
}

/** Type-checks and runs every block of `file`; answers the checks and the blocks marked no-run. */
async function checkFile(ctx: RunContext, file: string): Promise<{ checks: Check[]; noRun: Block[] }> {
  const blocks = extractBlocks(readFileSync(`${ROOT}${file}`, "utf8"));
  const prefix = file.replace(/\W+/g, "-");
  const path = (b: Block) => `${ctx.project}/${prefix}-L${b.line}.ts`;
  const runnable = blocks.filter((b) => !b.noRun && !b.problem);
  for (const b of runnable) writeFileSync(path(b), b.code);
  const checks: Check[] = blocks
    .filter((b) => b.problem)
    .map((b) => ({ block: b, what: b.info || "(no info string)", ok: false, detail: b.problem ?? "" }));
  for (const kind of ["node", "web"] as const) {
    const ofKind = runnable.filter((b) => b.lang === "ts" && b.runtimes.some((r) => compileKind(r) === kind));
    const errors = typecheck(ofKind.map(path), kind);
    for (const b of ofKind) {
      const list = (errors.get(path(b)) ?? []).map((e) =>
        e.replace(/^(\d+):/, (_, n) => `${file}:${b.line + Number(n)}:`),
      );
      checks.push({
        block: b,
        what: `tsc --strict (${kind})`,
        ok: list.length === 0,
        detail: list.join("\n"),
      });
    }
  }
  for (const b of runnable) {
    for (const runtime of b.runtimes) {
      const started = Date.now();
      const { ok, output } = await runBlock(ctx, b, runtime, path(b));
      const what = `${runtime}${b.service ? " service" : ""} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
      checks.push({ block: b, what, ok, detail: output });
    }
  }
  return { checks: checks.sort((x, y) => x.block.line - y.block.line), noRun: blocks.filter((b) => b.noRun) };
}

/**
 * Prints one check (`asExpected`: whether it behaved as it should): the first lines of its output when
 * it passed as it should, the last ones (why) when it failed, as expected or not.
 */
function print(file: string, c: Check, asExpected = c.ok): void {
  const lines = c.detail.trim().split("\n").filter(Boolean);
  const verdict = asExpected ? (c.ok ? "ok  " : "ok (failed as expected)") : "FAIL";
  console.log(`${verdict} ${file}:${c.block.line} ${c.what}`);
  const shown = asExpected ? (c.ok ? lines.slice(0, 2) : lines.slice(-2)) : lines.slice(-40);
  for (const line of shown) console.log(`       ${line.slice(0, 200)}`);
}

/** The redirect URI of the CLI's `login` on its default port, registered on the mock's PKCE client. */
const CLI_LOGIN_REDIRECT = "http://localhost:8765/callback";

/**
 * The system browser of process blocks (`xdg-open`, which the CLI's `login` starts): it opens the
 * address as a person who approves the sign-in would — the mock's login host approves at once — by
 * following its redirects back to the loopback callback.
 */
const BROWSER_STAND_IN = `#!/bin/sh
exec node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(30000) }).then((r) => r.arrayBuffer()).catch(() => process.exit(1))' "$1"
`;

/**
 * Sets up the project (the tarball installed, plus links to the repository's copies of other packages
 * `code` imports), the mock and, if `code` mentions REDIS_URL, Redis; runs `use`; tears it all down.
 */
async function withContext<T>(code: string, use: (ctx: RunContext) => Promise<T>): Promise<T> {
  const tarball = await packTarball();
  const linked = Object.fromEntries(
    otherImports(code).map((name) => [name, `file:${ROOT}node_modules/${name}`]),
  );
  const project = await consumerProject(tarball, undefined, { type: "module", dependencies: linked });
  writeFileSync(`${project}/deno.json`, `${JSON.stringify({ nodeModulesDir: "manual" })}\n`);
  const page = { script: "" };
  const served = await serveMock(
    (pathname) => {
      if (pathname === "/")
        return new Response('<!doctype html><script type="module" src="/doc-test.js"></script>', {
          headers: { "content-type": "text/html" },
        });
      if (pathname === "/doc-test.js")
        return new Response(page.script, { headers: { "content-type": "text/javascript" } });
      return undefined;
    },
    { pkceClient: { id: PKCE_CLIENT_ID } },
  );
  served.mock.addRedirectUri(PKCE_CLIENT_ID, `${served.url}/`); // the page browser blocks run in
  const redis = code.includes("REDIS_URL") ? await startRedis() : undefined;
  served.mock.addRedirectUri(PKCE_CLIENT_ID, CLI_LOGIN_REDIRECT);
  const opener = `${project}/.browser`;
  mkdirSync(opener);
  writeFileSync(`${opener}/xdg-open`, BROWSER_STAND_IN, { mode: 0o755 });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GENESYS")));
  const env = {
    ...inherited,
    ...served.env,
    PATH: `${opener}:${process.env.PATH}`,
    XDG_CONFIG_HOME: `${project}/.config`, // the CLI's token file stays in the project
    ...(redis ? { REDIS_URL: redis.url } : {}),
  };
  try {
    return await use({ project, served, env, tarball, page });
  } finally {
    await served.close();
    await redis?.stop();
    rmSync(project, { recursive: true, force: true });
  }
}

/** The fixture's expectations: blocks preceded by `<!-- expect: fail -->` must fail. */
function expectedToFail(file: string): Set<number> {
  const lines = readFileSync(`${ROOT}${file}`, "utf8").split("\n");
  return new Set(lines.flatMap((l, i) => (l.trim() === "<!-- expect: fail -->" ? [i + 2] : [])));
}

export const docTestsStep: Step = {
  title: "doc tests: every README code block runs against the mock",
  label: "doc tests",
  async run() {
    const code = [FIXTURE, "README.md"].map((f) => readFileSync(`${ROOT}${f}`, "utf8")).join("\n");
    await withContext(code, async (ctx) => {
      // The runner's self-check: a fixture block is expected to fail when any of its checks fails.
      const failing = expectedToFail(FIXTURE);
      const self = tally("doc-test runner self-check");
      const fixture = (await checkFile(ctx, FIXTURE)).checks;
      for (const block of new Set(fixture.map((c) => c.block))) {
        const mine = fixture.filter((c) => c.block === block);
        const expected = !failing.has(block.line);
        const ok = self.add(mine.every((c) => c.ok) === expected);
        for (const c of mine) print(FIXTURE, c, ok);
      }
      self.done();
      const { checks, noRun } = await checkFile(ctx, "README.md");
      const results = tally("doc tests (README.md)");
      for (const c of checks) {
        results.add(c.ok);
        print("README.md", c);
      }
      const marked = noRun.map((b) => `README.md:${b.line}`).join(", ");
      console.log(`${noRun.length} block(s) marked no-run${noRun.length ? `: ${marked}` : ""}`);
      results.done();
    });
  },
};

if (isMain(import.meta.url)) process.exitCode = await runSteps([docTestsStep]);
