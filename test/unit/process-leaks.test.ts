// The test command's "no process left behind" check (scripts/lib/leaks.ts) and the process-group
// handling that prevents leaks (scripts/lib/process.ts), with real `sleep` children.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findMarked, RUN_MARKER, reapMarked } from "../../scripts/lib/leaks.ts";
import { runProcess, startProcess } from "../../scripts/lib/process.ts";

/** A fresh marker value, and the environment that carries it. */
function marked() {
  const value = randomUUID();
  return { value, env: { ...process.env, [RUN_MARKER]: value } };
}

async function gone(value: string): Promise<boolean> {
  for (let i = 0; i < 100 && findMarked(value).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return findMarked(value).length === 0;
}

describe("leak check", () => {
  it("finds a deliberately leaked sleep by the run's marker, and kills it", async () => {
    const { value, env } = marked();
    const leaked = spawn("sleep", ["60"], { env, detached: true, stdio: "ignore" });
    leaked.unref();
    try {
      expect(await reapMarked(value, 0)).toEqual([{ pid: leaked.pid, command: "sleep 60" }]);
      expect(await gone(value)).toBe(true);
    } finally {
      leaked.kill("SIGKILL");
    }
  });

  it("finds nothing when no process carries the marker", async () => {
    expect(await reapMarked(randomUUID(), 0)).toEqual([]);
  });
});

describe("process groups", () => {
  it("killing only a wrapper leaves its child running: the leak the check exists for", async () => {
    const { value, env } = marked();
    const wrapper = spawn("sh", ["-c", "sleep 60 & wait"], { env, stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 200));
    wrapper.kill();
    await new Promise((r) => wrapper.on("close", r));
    try {
      expect(findMarked(value).map((p) => p.command)).toEqual(["sleep 60"]);
    } finally {
      await reapMarked(value, 0);
    }
  });

  it("stopping a service stops everything in its group", async () => {
    const { value, env } = marked();
    const service = startProcess("sh", ["-c", "sleep 60 & echo started; wait"], { env });
    await service.waitFor("started");
    expect(findMarked(value)).toHaveLength(2);
    await service.stop();
    expect(await gone(value)).toBe(true);
  });

  it("a command run to completion leaves nothing of its group behind", async () => {
    const { value, env } = marked();
    const { code, stdout } = await runProcess("sh", ["-c", "sleep 60 & echo started"], { env });
    expect([code, stdout]).toEqual([0, "started\n"]);
    expect(await gone(value)).toBe(true);
  });
});
