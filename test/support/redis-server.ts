/**
 * A real redis-server on 127.0.0.1 for tests, the doc tests and the fleet benchmark: a free port, no
 * persistence, in its own process group, stopped by the returned function.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/ports.ts";
import { startProcess } from "../../scripts/lib/process.ts";

/** Starts redis-server; resolves once it answers PING. */
export async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "redis-server is not installed: run `npm test` (it installs it) or `apt-get install redis-server`.",
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "gca-redis-"));
  const server = startProcess("redis-server", [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
  ]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync("redis-cli", ["-p", String(port), "ping"], { stdio: "ignore" });
      break;
    } catch {
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error("redis-server did not start within 10 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
