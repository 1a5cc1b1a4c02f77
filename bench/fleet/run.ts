/**
 * The fleet: N independent processes, each with its own createAuth on one shared backend, start at
 * the same moment and make M API calls each against the mock served on 127.0.0.1. Counts the token
 * POSTs the mock saw. `npx tsx bench/fleet/run.ts [backend…]` prints a table; `runFleet` is used by
 * the tests and the benchmark.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runProcess } from "../../scripts/lib/process.ts";
import { createMockGenesys, serveMockGenesys } from "../../src/testing/index.ts";
import { startRedis } from "../../test/support/redis-server.ts";

/** Shared backends the fleet can use. */
export type FleetBackend = "memory" | "redis" | "deno-kv-node" | "deno";

/** What one fleet run measured. */
export interface FleetResult {
  backend: FleetBackend;
  processes: number;
  apiCalls: number;
  tokenPosts: number;
  ms: number;
}

const here = fileURLToPath(new URL(".", import.meta.url));

async function runChild(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ ok: number }> {
  const { code, stdout, stderr } = await runProcess(command, args, { env: { ...process.env, ...env } });
  if (process.env.FLEET_DEBUG) process.stderr.write(stderr);
  try {
    if (code !== 0) throw new Error();
    return JSON.parse(stdout.trim().split("\n").pop() ?? "") as { ok: number };
  } catch {
    throw new Error(`fleet child exited ${code}: ${stderr.slice(-2000)}`);
  }
}

/** Runs one fleet. */
export async function runFleet(backend: FleetBackend, processes = 16, callsEach = 20): Promise<FleetResult> {
  if (backend !== "deno" && !existsSync(join(here, "../../dist/index.js"))) {
    throw new Error("the fleet's Node children use the built package: run `npm run build` first");
  }
  const mock = createMockGenesys();
  const served = await serveMockGenesys(mock);
  const redis = backend === "redis" ? await startRedis() : undefined;
  const dir = mkdtempSync(join(tmpdir(), "gca-fleet-"));
  try {
    const env = {
      BACKEND: backend,
      MOCK_URL: served.url,
      REDIS_URL: redis?.url ?? "",
      KV_PATH: join(dir, "kv.sqlite"),
      START_AT: String(Date.now() + (backend === "deno" ? 6_000 : 2_500)),
      CALLS: String(callsEach),
      CLIENT_ID: mock.clientId,
      CLIENT_SECRET: mock.clientSecret,
    };
    const started = performance.now();
    const children = Array.from({ length: processes }, () =>
      backend === "deno"
        ? runChild(
            process.execPath,
            [
              join(here, "../../node_modules/deno/bin.cjs"),
              "run",
              "--quiet",
              "--unstable-kv",
              "-A",
              join(here, "child-deno.ts"),
            ],
            env,
          )
        : runChild(process.execPath, [join(here, "child.mjs")], env),
    );
    const results = await Promise.all(children);
    return {
      backend,
      processes,
      apiCalls: results.reduce((sum, r) => sum + r.ok, 0),
      tokenPosts: mock.stats.tokenRequests,
      ms: Math.round(performance.now() - started),
    };
  } finally {
    await served.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const backends = (process.argv.slice(2) as FleetBackend[]).filter(Boolean);
  for (const backend of backends.length ? backends : (["memory", "redis", "deno-kv-node", "deno"] as const)) {
    const r = await runFleet(backend);
    console.log(
      `${r.backend.padEnd(14)} ${r.processes} processes, ${r.apiCalls} API calls: ${r.tokenPosts} token POSTs (${r.ms} ms)`,
    );
  }
}
