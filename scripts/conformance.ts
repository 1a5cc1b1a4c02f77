/**
 * The conformance suite (test/conformance/cases.ts) against the built package on Node 20 (this Node),
 * Node 22 and 24 (npx node@22/24), workerd (miniflare) and Chromium (playwright-core + Debian's
 * chromium), as a step of the test command. Each runtime prints the suite's own summary line, which is
 * what is counted. Deno and Bun run the same cases through their own test runners.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { withPage } from "./lib/chromium.ts";
import { serveMock } from "./lib/mock-server.ts";
import { conformanceCounts } from "./lib/parse.ts";
import { runProcess } from "./lib/process.ts";
import { report, reportRun } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";
import { bundleWorker, withWorker } from "./lib/worker.ts";

const out = ".tmp/conformance";

/** Counts one runtime's output: its summary line, or a failure when there is none. */
function count(fallbackLabel: string, output: string, exitedOk = true): void {
  const counts = conformanceCounts(output);
  reportRun(counts ? `conformance ${counts.runtime}` : `conformance ${fallbackLabel}`, counts, exitedOk);
}

async function onNode(label: string, command: string, args: string[]): Promise<void> {
  const { code, stdout, stderr } = await runProcess(command, [...args, `${out}/node.mjs`]);
  process.stdout.write(stdout);
  process.stderr.write(
    stderr
      .split("\n")
      .filter((l) => !l.includes("nodedir"))
      .join("\n"),
  );
  count(label, stdout, code === 0);
}

async function onWorkerd(): Promise<void> {
  const script = await bundleWorker("test/conformance/run-workerd.ts");
  const result = await withWorker(script, {}, async (mf) => {
    return (await (await mf.dispatchFetch("http://worker/")).json()) as { lines: string[] };
  });
  console.log(result.lines.join("\n"));
  count("workerd", result.lines.join("\n"));
}

async function onChromium(): Promise<void> {
  await build({
    entryPoints: ["test/conformance/run-chromium.ts"],
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    outfile: `${out}/browser.js`,
    logLevel: "warning",
  });
  const page =
    '<!doctype html><meta charset="utf-8"><title>conformance</title><script type="module" src="/browser.js"></script>';
  const served = await serveMock((pathname) =>
    pathname === "/browser.js"
      ? new Response(readFileSync(`${out}/browser.js`), { headers: { "content-type": "text/javascript" } })
      : new Response(page, { headers: { "content-type": "text/html" } }),
  );
  try {
    await withPage(async (tab, browser, errors) => {
      const label = `chromium-${browser.version()}`;
      await tab.goto(`${served.url}/?label=${encodeURIComponent(label)}`);
      const handle = await tab.waitForFunction(
        () => (globalThis as { __conformance?: unknown }).__conformance,
        undefined,
        {
          timeout: 60_000,
        },
      );
      const result = (await handle.jsonValue()) as { lines: string[] };
      console.log(result.lines.join("\n"));
      for (const error of errors) console.error("page error:", error);
      count(label, result.lines.join("\n"));
    });
  } finally {
    await served.close();
  }
}

/** Runs `run`, counting a crash of the runtime's harness as one failure. */
async function guarded(label: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    console.error(`${label} run failed:`, error);
    report({ label: `conformance ${label}`, passed: 0, failed: 1 });
  }
}

export const conformanceStep: Step = {
  title: "conformance: node 20/22/24, workerd, chromium",
  label: "conformance",
  async run() {
    mkdirSync(out, { recursive: true });
    await build({
      entryPoints: ["test/conformance/run-node.ts"],
      bundle: true,
      format: "esm",
      target: "es2022",
      platform: "node",
      external: ["genesys-cloud-auth", "genesys-cloud-auth/*"], // resolved at run time: the built package
      outfile: `${out}/node.mjs`,
      logLevel: "warning",
    });
    await guarded(`node-${process.versions.node}`, () =>
      onNode(`node-${process.versions.node}`, process.execPath, []),
    );
    for (const major of ["22", "24"]) {
      await guarded(`node-${major}`, () => onNode(`node-${major}`, "npx", ["-y", `node@${major}`]));
    }
    await guarded("workerd", onWorkerd);
    await guarded("chromium", onChromium);
  },
};
