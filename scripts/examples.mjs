// Runs every example against the mock Genesys Cloud served on 127.0.0.1 and prints each one's line:
// Node, Deno, Bun (a Bun.serve service), a Cloudflare Worker with KV (workerd via miniflare), an edge
// function module, and the browser page (Chromium). Uses the built package.
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { createMockGenesys, serveMockGenesys } from "../dist/testing.js";
import { freePort, launchChromium, runProcess } from "./support.mjs";

const out = ".tmp/examples";
mkdirSync(out, { recursive: true });
const mock = createMockGenesys();
let browserBundle = "";
const served = await serveMockGenesys({
  handler: async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/oauth/") || pathname.startsWith("/api/")) return mock.handler(request);
    if (pathname === "/main.js")
      return new Response(browserBundle, { headers: { "content-type": "text/javascript" } });
    return new Response(readFileSync("examples/browser/index.html"), {
      headers: { "content-type": "text/html" },
    });
  },
});
const env = {
  ...process.env,
  GENESYS_CLIENT_ID: mock.clientId,
  GENESYS_CLIENT_SECRET: mock.clientSecret,
  GENESYS_LOGIN_URL: served.url,
  GENESYS_API_URL: served.url,
};

let passed = 0;
let failed = 0;
async function example(name, run) {
  try {
    const line = await run();
    if (!/organization|"name"/.test(line) || !line.includes("Mock Org"))
      throw new Error(`unexpected output: ${line}`);
    console.log(`ok   ${name}: ${line.trim()}`);
    passed++;
  } catch (error) {
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
    failed++;
  }
}
/** Runs a command to completion; its stdout, or an error with its stderr. */
async function runOnce(command, args) {
  const { code, stdout, stderr } = await runProcess(command, args, { env, timeoutMs: 60_000 });
  if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(-1500)}`);
  return stdout;
}
const bundle = async (entry, platform, conditions = []) =>
  (
    await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform,
      conditions,
      target: "es2022",
      write: false,
      logLevel: "warning",
    })
  ).outputFiles[0].text;

await example("examples/node", () => runOnce(process.execPath, ["examples/node/index.mjs"]));
await example("examples/deno", () =>
  runOnce("npx", ["deno", "run", "--quiet", "--allow-env", "--allow-net=127.0.0.1", "examples/deno/main.ts"]),
);
await example("examples/bun", async () => {
  const port = await freePort();
  const child = spawn("npx", ["bun", "examples/bun/server.ts"], {
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("Bun server did not start")), 30_000);
      child.stdout.on("data", (d) => {
        if (!String(d).includes("listening")) return;
        clearTimeout(timer);
        resolve();
      });
      child.on("exit", (code) => reject(new Error(`bun exited ${code}`)));
    });
    return JSON.stringify(await (await fetch(`http://127.0.0.1:${port}/org`)).json());
  } finally {
    child.kill();
  }
});
await example("examples/cloudflare-worker", async () => {
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true,
    script: await bundle("examples/cloudflare-worker/src/index.ts", "browser", ["workerd", "worker"]),
    compatibilityDate: "2026-04-01",
    kvNamespaces: ["TOKENS"],
    bindings: {
      GENESYS_CLIENT_ID: mock.clientId,
      GENESYS_CLIENT_SECRET: mock.clientSecret,
      GENESYS_LOGIN_URL: served.url,
      GENESYS_API_URL: served.url,
    },
  });
  try {
    const first = await (await mf.dispatchFetch("http://worker/")).text();
    const kv = await mf.getKVNamespace("TOKENS");
    const keys = (await kv.list()).keys.length;
    return `${first} (KV entries: ${keys})`;
  } finally {
    await mf.dispose();
  }
});
await example("examples/edge", async () => {
  Object.assign(process.env, env);
  const file = `${process.cwd()}/${out}/edge.mjs`;
  await build({
    entryPoints: ["examples/edge/index.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: file,
    logLevel: "warning",
  });
  const handler = (await import(file)).default;
  return await (await handler.fetch(new Request("https://edge.example/"))).text();
});
await example("examples/browser", async () => {
  browserBundle = await bundle("examples/browser/main.ts", "browser");
  const browser = await launchChromium();

  try {
    const page = await browser.newPage();
    const query = new URLSearchParams({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      loginUrl: served.url,
      apiUrl: served.url,
    });
    await page.goto(`${served.url}/index.html?${query}`);
    await page.waitForFunction(() => document.getElementById("out")?.textContent !== "working…", undefined, {
      timeout: 30_000,
    });
    return (await page.textContent("#out")) ?? "";
  } finally {
    await browser.close();
  }
});

await served.close();
appendFileSync(".tmp/counts", `examples ${passed} ${failed}\n`);
console.log(`examples: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
