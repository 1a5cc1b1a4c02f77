/**
 * Running one block on one runtime, against the mock served on 127.0.0.1, from the doc-test project
 * (where the packed tarball is installed). Each runner answers whether the block worked and what it
 * printed.
 */
import { writeFileSync } from "node:fs";
import type { Page, Route } from "playwright-core";
import { bundleEntry } from "../lib/bundle.ts";
import { withPage } from "../lib/chromium.ts";
import type { ServedMock } from "../lib/mock-server.ts";
import { bin, ROOT } from "../lib/paths.ts";
import { freePort } from "../lib/ports.ts";
import { type Env, runProcess, type Service, startProcess } from "../lib/process.ts";
import { signInThrough } from "../lib/signin-driver.ts";
import { bundleWorker, withWorker } from "../lib/worker.ts";
import type { Block, Runtime } from "./blocks.ts";

/** What every run shares. */
export interface RunContext {
  project: string;
  served: ServedMock;
  /** The environment of every process: this one's without GENESYS_*, the mock's GENESYS_*, REDIS_URL… */
  env: Env;
  tarball: string;
  /** The script the page at `/` of the mock's origin loads (browser blocks). */
  page: { script: string };
}

/** The placeholder client id of the README's browser sign-in: the mock's PKCE client has this id. */
export const PKCE_CLIENT_ID = "YOUR_PKCE_CLIENT_ID";

/** How a run went. */
export interface Outcome {
  ok: boolean;
  output: string;
}

const TIMEOUT_MS = 60_000;
/** How long a browser block has to finish (across its navigations), and a service to print. */
const START_MS = 30_000;

const usesCodeFlow = (code: string) => /\bcreateCodeFlow\b/.test(code);

/**
 * The GENESYS_* variables a block gets: the mock's addresses, and the credentials of the mock's
 * client its grant needs — the confidential code client (with GENESYS_REDIRECT_URI, a free
 * `http://localhost:<port>/callback` registered on it) for blocks that use createCodeFlow, the SAML2
 * bearer client for those that use createSaml2BearerAuth, the client-credentials client otherwise.
 */
async function genesysEnv(ctx: RunContext, code: string): Promise<Record<string, string>> {
  const { mock, env } = ctx.served;
  if (usesCodeFlow(code)) {
    const redirectUri = `http://localhost:${await freePort()}/callback`;
    mock.addRedirectUri(mock.codeClient.id, redirectUri);
    const { id, secret } = mock.codeClient;
    return {
      ...env,
      GENESYS_CLIENT_ID: id,
      GENESYS_CLIENT_SECRET: secret,
      GENESYS_REDIRECT_URI: redirectUri,
    };
  }
  if (/\bcreateSaml2BearerAuth\b/.test(code)) {
    const { id, secret } = mock.saml2Client;
    return { ...env, GENESYS_CLIENT_ID: id, GENESYS_CLIENT_SECRET: secret };
  }
  return env;
}

async function command(ctx: RunContext, env: Env, cmd: string, args: string[]): Promise<Outcome> {
  const options = { cwd: ctx.project, env, timeoutMs: TIMEOUT_MS };
  const { code, stdout, stderr, timedOut } = await runProcess(cmd, args, options);
  const output = `${stdout}${stderr}${timedOut ? `\n(timed out after ${TIMEOUT_MS} ms)` : ""}`;
  return { ok: code === 0 && !timedOut, output };
}

/** `// deno run <flags> main.ts` on the block's first line: the flags users are told to run it with. */
function denoFlags(code: string): string[] | undefined {
  const match = /^\/\/ deno run ((?:--?[\w-]+(?:=\S+)?\s+)*)\S+\.ts\s*$/.exec(code.split("\n")[0] ?? "");
  return match ? (match[1] ?? "").split(/\s+/).filter(Boolean) : undefined;
}

/** Durable Object bindings named in a `wrangler.toml: [[durable_objects.bindings]] name = "X", class_name = "Y"` comment. */
function durableObjects(code: string): Record<string, string> {
  const bindings = code.matchAll(/\[\[durable_objects\.bindings\]\] name = "(\w+)", class_name = "(\w+)"/g);
  return Object.fromEntries([...bindings].map((m) => [m[1], m[2]]));
}

async function onWorker(ctx: RunContext, block: Block, file: string): Promise<Outcome> {
  const script = await bundleWorker(file);
  const options = {
    kvNamespaces: ["TOKENS"],
    bindings: await genesysEnv(ctx, block.code),
    durableObjects: durableObjects(block.code),
  };
  return withWorker(script, options, async (mf) => {
    const response = await mf.dispatchFetch("http://worker/");
    return { ok: response.ok, output: `${response.status} ${await response.text()}` };
  });
}

/** The hosts of every known region (`login.<domain>`, `api.<domain>`), which browser runs send to the mock. */
async function genesysHosts(): Promise<Set<string>> {
  const { REGIONS } = (await import(`${ROOT}dist/index.js`)) as typeof import("../../src/index.ts");
  return new Set(Object.values(REGIONS).flatMap(({ domain }) => [`login.${domain}`, `api.${domain}`]));
}

/** What a browser run saw of the network: the hosts answered by the mock, the hosts refused. */
interface Traffic {
  mocked: Set<string>;
  refused: Set<string>;
}

/**
 * Answers the page's requests: the mock's origin as it is; a Genesys host (https only) by the mock,
 * same path and query, its answer as it is (redirects included: the browser follows them); any other
 * host is refused, so a block never reaches the internet.
 */
function router(mockUrl: string, hosts: Set<string>, traffic: Traffic) {
  return async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.origin === mockUrl) return route.continue();
    if (url.protocol !== "https:" || !hosts.has(url.hostname)) {
      traffic.refused.add(url.origin);
      return route.abort("blockedbyclient");
    }
    traffic.mocked.add(url.hostname);
    try {
      const response = await route.fetch({ url: `${mockUrl}${url.pathname}${url.search}`, maxRedirects: 0 });
      await route.fulfill({ response });
    } catch {
      await route.abort("failed").catch(() => {}); // the page is gone (a navigation, the end of the run)
    }
  };
}

/**
 * Waits for the block to finish on its final page: its module has completed on a page load and no
 * navigation of the page starts within a second after (a block that signs in completes only once it is
 * back from the login page). Answers why not: an uncaught error (on any page), a page answered with
 * an HTTP error (say, the login host refusing the sign-in), a first page that did not load, or no end
 * within START_MS; undefined when it finished.
 */
async function finished(page: Page, start: () => Promise<unknown>): Promise<string | undefined> {
  let navigations = 0;
  let settle: (why: string | undefined) => void = () => {};
  const outcome = new Promise<string | undefined>((resolve) => {
    settle = resolve;
  });
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations++;
  });
  page.on("response", async (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame() || response.status() < 400)
      return;
    const text = (await response.text().catch(() => "")).replace(/<[^>]*>|\s+/g, " ").trim();
    const { origin, pathname } = new URL(response.url());
    settle(`(the page ${origin}${pathname} answered ${response.status()}: ${text.slice(0, 300)})`);
  });
  page.on("pageerror", () => settle("(an uncaught error)"));
  await page.exposeBinding("__docTestDone", () => {
    const seenAt = navigations;
    setTimeout(() => {
      if (navigations === seenAt) settle(undefined);
    }, 1_000);
  });
  const timer = setTimeout(() => settle(`(did not finish within ${START_MS / 1000} s)`), START_MS);
  try {
    await start();
    return await outcome;
  } catch (error) {
    return `(the page did not load: ${error instanceof Error ? error.message : error})`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a browser block: bundled, loaded as a module by the page at `/` of the mock's origin (registered
 * as a redirect URI of the mock's PKCE client), with the real Genesys hosts answered by the mock.
 */
async function onBrowser(ctx: RunContext, file: string): Promise<Outcome> {
  const entry = file.replace(/\.ts$/, ".page.ts");
  const name = file.split("/").pop();
  writeFileSync(
    entry,
    `import "./${name}";\nawait (globalThis as { __docTestDone?: () => Promise<void> }).__docTestDone?.();\n`,
  );
  ctx.page.script = await bundleEntry(entry, "browser");
  const hosts = await genesysHosts();
  return withPage(async (page, _browser, errors) => {
    const logs: string[] = [];
    const traffic: Traffic = { mocked: new Set(), refused: new Set() };
    page.on("console", (message) => logs.push(message.text()));
    await page.route(() => true, router(ctx.served.url, hosts, traffic));
    const failure = await finished(page, () => page.goto(`${ctx.served.url}/`));
    const output = [
      ...logs,
      ...errors.map((e) => `uncaught: ${e}`),
      ...(traffic.mocked.size ? [`(answered by the mock: ${[...traffic.mocked].join(", ")})`] : []),
      ...(traffic.refused.size ? [`(refused: ${[...traffic.refused].join(", ")})`] : []),
      ...(failure ? [failure] : []),
    ].join("\n");
    return { ok: failure === undefined && errors.length === 0, output };
  });
}

/** `npm install genesys-cloud-auth` means the packed tarball: the registry does not have this version. */
const withTarball = (script: string, tarball: string) =>
  script.replace(/^(\s*npm (?:install|i|add)\b[^#\n]*?)\bgenesys-cloud-auth\b(?![/\w-])/gm, `$1${tarball}`);

/**
 * A server block that uses createCodeFlow: a person signs in through it (`/login`, the mock's login
 * host, `/callback`, cookies kept) and `/` must greet them by name.
 */
async function signInCheck(ctx: RunContext, env: Env): Promise<string> {
  const name = ctx.served.mock.signedInUser?.name ?? "(no user)";
  const base = new URL(env.GENESYS_REDIRECT_URI ?? "").origin;
  const app = (url: string, init: { headers: Record<string, string> }) =>
    fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  const home = await signInThrough(app, base);
  if (!home.includes(name)) throw new Error(`/ answered ${JSON.stringify(home.slice(0, 200))}, not ${name}`);
  return `signed in through ${base}/login as ${name}: / answered ${JSON.stringify(home.slice(0, 200))}`;
}

/**
 * A service: it must start (print something) and still be running a moment later; one that uses
 * createCodeFlow must then let a person sign in; then its whole process group is stopped.
 */
async function asService(
  ctx: RunContext,
  block: Block,
  env: Env,
  cmd: string,
  args: string[],
): Promise<Outcome> {
  const service: Service = startProcess(cmd, args, { cwd: ctx.project, env });
  const output = (note: string) => `${service.output()}${service.errorOutput()}${note}`;
  try {
    await service.waitFor(/\S/, START_MS);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const running = () => service.child.exitCode === null && service.child.signalCode === null;
    if (!running()) return { ok: false, output: output("(exited early)") };
    const signedIn = usesCodeFlow(block.code) ? `${await signInCheck(ctx, env)}\n` : "";
    if (!running()) return { ok: false, output: output(`${signedIn}(exited early)`) };
    return { ok: true, output: output(`${signedIn}(still serving: stopped)`) };
  } catch (error) {
    return { ok: false, output: output(error instanceof Error ? error.message : String(error)) };
  } finally {
    await service.stop("SIGINT");
  }
}

/** The command that runs a block on a process runtime, or why it cannot. */
function commandOf(
  ctx: RunContext,
  block: Block,
  runtime: Runtime | "sh",
  file: string,
): [string, string[]] | string {
  switch (runtime) {
    case "node":
      return [bin("tsx"), [file]];
    case "bun":
      return [bin("bun"), [file]];
    case "deno": {
      const flags = denoFlags(block.code);
      if (!flags) return "a deno block's first line is `// deno run <flags> main.ts`";
      return [bin("deno"), ["run", "--check", ...flags, file]];
    }
    case "sh": {
      const script = withTarball(block.code, ctx.tarball);
      return block.service ? ["bash", ["-c", script]] : ["bash", ["-eo", "pipefail", "-c", script]];
    }
    default:
      return `${runtime} blocks do not run as processes`;
  }
}

/** Runs `block` (written to `file`) on `runtime`. */
export async function runBlock(
  ctx: RunContext,
  block: Block,
  runtime: Runtime | "sh",
  file: string,
): Promise<Outcome> {
  if (runtime === "worker") return onWorker(ctx, block, file);
  if (runtime === "browser") return onBrowser(ctx, file);
  const how = commandOf(ctx, block, runtime, file);
  if (typeof how === "string") return { ok: false, output: how };
  const env = { ...ctx.env, ...(await genesysEnv(ctx, block.code)) };
  return block.service ? asService(ctx, block, env, ...how) : command(ctx, env, ...how);
}
