/**
 * Every example against the mock Genesys Cloud served on 127.0.0.1, as a step of the test command:
 * Node, Deno, Bun (a Bun.serve service), a Cloudflare Worker with KV (workerd via miniflare), an edge
 * function module, the browser page and the browser sign-in app (Chromium). Uses the built package.
 * Each prints one line, which must name the mock's organization (the sign-in app: its user).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { bundleEntry } from "./lib/bundle.ts";
import { withPage } from "./lib/chromium.ts";
import { type ServedMock, serveMock } from "./lib/mock-server.ts";
import { bin, ROOT } from "./lib/paths.ts";
import { freePort } from "./lib/ports.ts";
import { runProcess, startProcess } from "./lib/process.ts";
import { tally } from "./lib/results.ts";
import { signInThrough } from "./lib/signin-driver.ts";
import type { Step } from "./lib/steps.ts";
import { bundleWorker, withWorker } from "./lib/worker.ts";

const out = ".tmp/examples";

/** Runs a command to completion; its stdout, or an error with its stderr. */
async function runOnce(served: ServedMock, command: string, args: string[]): Promise<string> {
  const env = { ...process.env, ...served.env };
  const { code, stdout, stderr } = await runProcess(command, args, { env, timeoutMs: 60_000 });
  if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(-1500)}`);
  return stdout;
}

/** What the served pages are made of (bundled while the examples run). */
interface Pages {
  script: string;
  signInScript: string;
}

/** The sign-in app's page, its configuration pointed at the mock. */
function signInPage(served: ServedMock): string {
  const config = JSON.stringify({
    clientId: served.mock.pkceClient.id,
    loginUrl: served.url,
    apiUrl: served.url,
  });
  return readFileSync("examples/browser-signin/index.html", "utf8").replace(
    /(<script type="application\/json" id="config">)[^<]*(<\/script>)/,
    `$1${config}$2`,
  );
}

/**
 * The browser sign-in app in Chromium: signs in by redirect, signs out, signs in by popup (a real
 * click each time), and answers one line naming the user.
 */
async function browserSignIn(served: ServedMock, page: Pages): Promise<string> {
  page.signInScript = await bundleEntry("examples/browser-signin/main.ts", "browser");
  const appUrl = `${served.url}/browser-signin/`;
  served.mock.addRedirectUri(served.mock.pkceClient.id, appUrl);
  return withPage(
    async (tab, _browser, errors) => {
      const out = async (pattern: RegExp) => {
        await tab.waitForFunction(
          (p) => new RegExp(p).test(document.getElementById("out")?.textContent ?? ""),
          pattern.source,
          {
            timeout: 30_000,
          },
        );
        return (await tab.textContent("#out")) ?? "";
      };
      await tab.goto(appUrl);
      await out(/signed out|failed/);
      await tab.click("#sign-in");
      const redirected = await out(/signed in as|failed/);
      await tab.click("#sign-out");
      await out(/signed out|failed/);
      const popup = tab.waitForEvent("popup");
      await tab.click("#sign-in-popup");
      await popup;
      const popped = await out(/signed in as|failed/);
      if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
      const stats = served.mock.stats;
      return `${redirected} (redirect), then signed out, then ${popped.replace("browser-signin: ", "")} (popup); code exchanges: ${stats.codeExchanges}`;
    },
    { popupBlocking: true },
  );
}

/** What an example's line must say: the mock's organization, or for the sign-in app its user. */
function expected(name: string, line: string, served: ServedMock): boolean {
  if (name === "examples/browser-signin") {
    const user = served.mock.signedInUser?.name ?? "";
    return user !== "" && line.split(`signed in as ${user}`).length === 3 && !line.includes("failed");
  }
  return /organization|"name"/.test(line) && line.includes("Mock Org");
}

const examples: Record<string, (served: ServedMock, page: Pages) => Promise<string>> = {
  "examples/node": (served) => runOnce(served, process.execPath, ["examples/node/index.mjs"]),
  "examples/deno": (served) =>
    runOnce(served, bin("deno"), [
      "run",
      "--quiet",
      "--allow-env",
      "--allow-net=127.0.0.1",
      "examples/deno/main.ts",
    ]),
  "examples/bun": async (served) => {
    const port = await freePort();
    const server = startProcess(bin("bun"), ["examples/bun/server.ts"], {
      env: { ...process.env, ...served.env, PORT: String(port) },
    });
    try {
      await server.waitFor("listening");
      return JSON.stringify(await (await fetch(`http://127.0.0.1:${port}/org`)).json());
    } finally {
      await server.stop();
    }
  },
  "examples/cloudflare-worker": async (served) => {
    const script = await bundleWorker("examples/cloudflare-worker/src/index.ts");
    return withWorker(script, { kvNamespaces: ["TOKENS"], bindings: served.env }, async (mf) => {
      const first = await (await mf.dispatchFetch("http://worker/")).text();
      // miniflare's KV type is declared through workers types this project does not load
      const kv = (await mf.getKVNamespace("TOKENS")) as unknown as { list(): Promise<{ keys: unknown[] }> };
      const keys = (await kv.list()).keys.length;
      return `${first} (KV entries: ${keys})`;
    });
  },
  "examples/node-signin": async (served) => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/callback`;
    served.mock.addRedirectUri(served.mock.codeClient.id, redirectUri);
    const server = startProcess(process.execPath, ["examples/node-signin/server.mjs"], {
      env: {
        ...process.env,
        ...served.env,
        GENESYS_CLIENT_ID: served.mock.codeClient.id,
        GENESYS_CLIENT_SECRET: served.mock.codeClient.secret,
        GENESYS_REDIRECT_URI: redirectUri,
        PORT: String(port),
      },
    });
    try {
      await server.waitFor("listening");
      const app = (url: string, init: { headers: Record<string, string> }) =>
        fetch(url, { ...init, redirect: "manual" });
      return `signed in: ${await signInThrough(app, `http://localhost:${port}`)}`;
    } finally {
      await server.stop();
    }
  },
  "examples/worker-signin": async (served) => {
    const script = await bundleWorker("examples/worker-signin/src/index.ts");
    const redirectUri = "https://worker.example/callback";
    served.mock.addRedirectUri(served.mock.codeClient.id, redirectUri);
    const bindings = {
      ...served.env,
      GENESYS_CLIENT_ID: served.mock.codeClient.id,
      GENESYS_CLIENT_SECRET: served.mock.codeClient.secret,
      GENESYS_REDIRECT_URI: redirectUri,
    };
    return withWorker(script, { bindings, durableObjects: { SESSIONS: "GenesysStore" } }, async (mf) => {
      const app = async (url: string, init: { headers: Record<string, string> }) =>
        (await mf.dispatchFetch(url, { ...init, redirect: "manual" })) as unknown as Response;
      return `signed in: ${await signInThrough(app, "https://worker.example")}`;
    });
  },
  "examples/edge": async (served) => {
    Object.assign(process.env, served.env);
    const file = `${ROOT}${out}/edge.mjs`;
    await build({
      entryPoints: ["examples/edge/index.ts"],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile: file,
      logLevel: "warning",
    });
    const handler = (await import(file)).default as { fetch(request: Request): Promise<Response> };
    return await (await handler.fetch(new Request("https://edge.example/"))).text();
  },
  "examples/browser": async (served, page) => {
    page.script = await bundleEntry("examples/browser/main.ts", "browser");
    return withPage(async (tab) => {
      const query = new URLSearchParams({
        clientId: served.mock.clientId,
        clientSecret: served.mock.clientSecret,
        loginUrl: served.url,
        apiUrl: served.url,
      });
      await tab.goto(`${served.url}/index.html?${query}`);
      await tab.waitForFunction(() => document.getElementById("out")?.textContent !== "working…", undefined, {
        timeout: 30_000,
      });
      return (await tab.textContent("#out")) ?? "";
    });
  },
  "examples/browser-signin": browserSignIn,
};

export const examplesStep: Step = {
  title: "examples against the mock",
  label: "examples",
  async run() {
    mkdirSync(out, { recursive: true });
    const page: Pages = { script: "", signInScript: "" };
    const js = { "content-type": "text/javascript" };
    const html = { "content-type": "text/html" };
    const served: ServedMock = await serveMock((pathname) => {
      if (pathname.startsWith("/oauth/") || pathname.startsWith("/api/") || pathname === "/logout")
        return undefined;
      if (pathname === "/main.js") return new Response(page.script, { headers: js });
      if (pathname === "/browser-signin/main.js") return new Response(page.signInScript, { headers: js });
      if (pathname === "/browser-signin/") return new Response(signInPage(served), { headers: html });
      return new Response(readFileSync("examples/browser/index.html"), { headers: html });
    });
    const checks = tally("examples");
    try {
      for (const [name, run] of Object.entries(examples)) {
        try {
          const line = await run(served, page);
          if (!expected(name, line, served)) throw new Error(`unexpected output: ${line}`);
          console.log(`ok   ${name}: ${line.trim()}`);
          checks.add(true);
        } catch (error) {
          console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
          checks.add(false);
        }
      }
    } finally {
      await served.close();
    }
    checks.done();
  },
};
