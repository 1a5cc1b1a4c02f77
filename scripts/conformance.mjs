// Runs the conformance suite (test/conformance/cases.ts) against the built package on Node 20
// (this Node), Node 22 and 24 (npx node@22/24), workerd (miniflare) and Chromium (playwright-core +
// Debian's chromium). Each runtime prints its own count and adds a line to .tmp/counts; exits 1 if
// any runtime fails. Deno and Bun run the same cases through their own test runners.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { build } from "esbuild";
import { launchChromium } from "./support.mjs";

const out = ".tmp/conformance";
mkdirSync(out, { recursive: true });
const shared = { bundle: true, format: "esm", target: "es2022", logLevel: "warning" };
await build({
  ...shared,
  entryPoints: ["test/conformance/run-node.ts"],
  platform: "node",
  external: ["genesys-cloud-auth", "genesys-cloud-auth/*"], // resolved at run time: the built package
  outfile: `${out}/node.mjs`,
});
await build({
  ...shared,
  entryPoints: ["test/conformance/run-workerd.ts"],
  platform: "browser",
  conditions: ["workerd", "worker"],
  outfile: `${out}/worker.mjs`,
});
await build({
  ...shared,
  entryPoints: ["test/conformance/run-chromium.ts"],
  platform: "browser",
  outfile: `${out}/browser.js`,
});

let failures = 0;
const record = (label, passed, failed) => {
  appendFileSync(".tmp/counts", `${label} ${passed} ${failed}\n`);
  if (failed > 0 || passed === 0) failures++;
};

function nodeRun(label, command, args) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  process.stdout.write(result.stdout);
  process.stderr.write(
    result.stderr
      .split("\n")
      .filter((l) => !l.includes("nodedir"))
      .join("\n"),
  );
  const match = /: (\d+) passed, (\d+) failed/.exec(result.stdout);
  record(label, match ? Number(match[1]) : 0, match ? Number(match[2]) : 1);
}

nodeRun(`node-${process.versions.node}`, process.execPath, [`${out}/node.mjs`]);
for (const major of ["22", "24"]) nodeRun(`node-${major}`, "npx", ["-y", `node@${major}`, `${out}/node.mjs`]);

// workerd
{
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true,
    scriptPath: `${out}/worker.mjs`,
    compatibilityDate: "2026-04-01",
  });
  try {
    const result = await (await mf.dispatchFetch("http://worker/")).json();
    for (const line of result.lines) console.log(line);
    record("workerd", result.passed, result.failed);
  } catch (error) {
    console.error("workerd run failed:", error);
    record("workerd", 0, 1);
  } finally {
    await mf.dispose();
  }
}

// Chromium
{
  const page =
    '<!doctype html><meta charset="utf-8"><title>conformance</title><script type="module" src="/browser.js"></script>';
  const { readFileSync } = await import("node:fs");
  const server = createServer((req, res) => {
    if (req.url === "/browser.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(readFileSync(`${out}/browser.js`));
    } else {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(page);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await launchChromium();

  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    const handle = await tab.waitForFunction(() => globalThis.__conformance, undefined, { timeout: 60_000 });
    const result = await handle.jsonValue();
    for (const line of result.lines) console.log(line);
    console.log(
      `conformance chromium-${browser.version()}: ${result.passed} passed, ${result.failed} failed`,
    );
    for (const error of errors) console.error("page error:", error);
    record(`chromium-${browser.version().split(".")[0]}`, result.passed, result.failed);
  } catch (error) {
    console.error("chromium run failed:", error);
    record("chromium", 0, 1);
  } finally {
    await browser.close();
    server.close();
  }
}

process.exit(failures === 0 ? 0 : 1);
