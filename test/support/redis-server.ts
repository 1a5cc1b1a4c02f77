/**
 * A real redis-server on 127.0.0.1 for tests and the fleet benchmark: a free port, no persistence,
 * stopped by the returned function.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/support.mjs";

/** Starts redis-server; resolves once it answers PING. */
export async function startRedis(): Promise<{ url: string; stop: () => void }> {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "redis-server is not installed: run `npm test` (it installs it) or `apt-get install redis-server`.",
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "gca-redis-"));
  const server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync("redis-cli", ["-p", String(port), "ping"], { stdio: "ignore" });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("redis-server did not start within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      server.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
