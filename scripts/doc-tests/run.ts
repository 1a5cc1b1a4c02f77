/**
 * Running one block on one runtime, against the mock served on 127.0.0.1, from the doc-test project
 * (where the packed tarball is installed). Each runner answers whether the block worked and what it
 * printed.
 */
import { writeFileSync } from "node:fs";
import { bundleEntry } from "../lib/bundle.ts";
import { withPage } from "../lib/chromium.ts";
import type { ServedMock } from "../lib/mock-server.ts";
import { bin } from "../lib/paths.ts";
import { type Env, runProcess, startProcess } from "../lib/process.ts";
import { bundleWorker, withWorker } from "../lib/worker.ts";
import type { Block, Runtime } from "./blocks.ts";

/** What every run shares. */
export interface RunContext {
  project: string;
  served: ServedMock;
  env: Env;
  tarball: string;
  /** The script the page at the mock's origin loads (browser blocks). */
  page: { script: string };
}

/** How a run went. */
export interface Outcome {
  ok: boolean;
  output: string;
}

const TIMEOUT_MS = 60_000;

async function command(ctx: RunContext, cmd: string, args: string[], input?: string): Promise<Outcome> {
  const options = { cwd: ctx.project, env: ctx.env, timeoutMs: TIMEOUT_MS, ...(input ? { input } : {}) };
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
    bindings: ctx.served.env,
    durableObjects: durableObjects(block.code),
  };
  return withWorker(script, options, async (mf) => {
    const response = await mf.dispatchFetch("http://worker/");
    return { ok: response.ok, output: `${response.status} ${await response.text()}` };
  });
}

async function onBrowser(ctx: RunContext, file: string): Promise<Outcome> {
  const entry = file.replace(/\.ts$/, ".page.ts");
  const name = file.split("/").pop();
  writeFileSync(
    entry,
    `import "./${name}";\n(globalThis as { __docTestDone?: boolean }).__docTestDone = true;\n`,
  );
  ctx.page.script = await bundleEntry(entry, "browser");
  return withPage(async (page, _browser, errors) => {
    const logs: string[] = [];
    page.on("console", (message) => logs.push(message.text()));
    const erred = new Promise<false>((resolve) => page.once("pageerror", () => resolve(false)));
    await page.goto(`${ctx.served.url}/doc-test.html`);
    const done = () => (globalThis as { __docTestDone?: boolean }).__docTestDone === true;
    const finished = await Promise.race([
      page
        .waitForFunction(done, undefined, { timeout: 30_000 })
        .then(() => true)
        .catch(() => false),
      erred,
    ]);
    const output = [...logs, ...errors.map((e) => `uncaught: ${e}`)].join("\n");
    return { ok: finished && errors.length === 0, output: finished ? output : `${output}\n(did not finish)` };
  });
}

/** `npm install genesys-cloud-auth` means the packed tarball: the registry does not have this version. */
const withTarball = (script: string, tarball: string) =>
  script.replace(/^(\s*npm (?:install|i|add)\b[^#\n]*?)\bgenesys-cloud-auth\b(?![/\w-])/gm, `$1${tarball}`);

async function onShell(ctx: RunContext, block: Block): Promise<Outcome> {
  const script = withTarball(block.code, ctx.tarball);
  if (!block.service) return command(ctx, "bash", ["-eo", "pipefail", "-c", script]);
  // A service: it must start (print something) and still be running a moment later; then it is stopped.
  const service = startProcess("bash", ["-c", script], { cwd: ctx.project, env: ctx.env });
  try {
    await service.waitFor(/\S/, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const running = service.child.exitCode === null && service.child.signalCode === null;
    return {
      ok: running,
      output: `${service.output()}${running ? "(still serving: stopped)" : "(exited early)"}`,
    };
  } catch (error) {
    return { ok: false, output: `${service.output()}${error instanceof Error ? error.message : error}` };
  } finally {
    await service.stop("SIGINT");
  }
}

/** Runs `block` (written to `file`) on `runtime`. */
export async function runBlock(
  ctx: RunContext,
  block: Block,
  runtime: Runtime | "sh",
  file: string,
): Promise<Outcome> {
  switch (runtime) {
    case "node":
      return command(ctx, bin("tsx"), [file]);
    case "bun":
      return command(ctx, bin("bun"), [file]);
    case "deno": {
      const flags = denoFlags(block.code);
      if (!flags) return { ok: false, output: "a deno block's first line is `// deno run <flags> main.ts`" };
      return command(ctx, bin("deno"), ["run", "--check", ...flags, file]);
    }
    case "worker":
      return onWorker(ctx, block, file);
    case "browser":
      return onBrowser(ctx, file);
    case "sh":
      return onShell(ctx, block);
  }
}
