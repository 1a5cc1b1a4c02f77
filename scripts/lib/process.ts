/**
 * Child processes for the scripts, the tests and the benchmarks. Every child is spawned in its own
 * process group (`detached: true`) and stopped by signalling the whole group (`process.kill(-pid)`),
 * SIGTERM first and SIGKILL after a grace period, so wrappers such as `npx` never leave the real
 * program (bun, deno, redis-server…) running. Children get plain output (`NO_COLOR=1`, no
 * `FORCE_COLOR`: Deno and others treat any `FORCE_COLOR` as "on") and carry the test run's marker
 * (see `leaks.ts`), so a child that escapes anyway is found at the end of `npm test`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { RUN_MARKER } from "./leaks.ts";

/** An environment record as `spawn` takes it. */
export type Env = Record<string, string | undefined>;

/** Options for `runProcess` and `startProcess`. */
export interface ProcessOptions {
  /** The child's whole environment (default: this process's); plain-output and marker variables are added. */
  env?: Env;
  cwd?: string;
  /** Written to the child's standard input, which is then closed. */
  input?: string;
  /** Stops the child's group after this long (runProcess only). */
  timeoutMs?: number;
  /** Copies the child's output to this process's stdout/stderr as it arrives. */
  echo?: boolean;
}

/** How a child ended, and what it wrote. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The grace period between SIGTERM and SIGKILL. */
const GRACE_MS = 3_000;
const running = new Set<ChildProcess>();

/** `env` with plain output forced and the run marker carried over (unless `env` sets one). */
export function childEnv(env: Env = process.env): Env {
  const result: Env = { [RUN_MARKER]: process.env[RUN_MARKER], ...env, NO_COLOR: "1" };
  delete result.FORCE_COLOR;
  if (result[RUN_MARKER] === undefined) delete result[RUN_MARKER];
  return result;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops process group `pgid`: SIGTERM, then SIGKILL if any member is still alive after `graceMs`.
 * Resolves once the group is empty (or after the SIGKILL).
 */
export async function killGroup(pgid: number, graceMs = GRACE_MS): Promise<void> {
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return; // no such group: nothing left
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {}
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function spawnGrouped(command: string, args: string[], options: ProcessOptions): ChildProcess {
  const child = spawn(command, args, {
    env: childEnv(options.env),
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  child.on("close", () => running.delete(child));
  child.stdin?.on("error", () => {}); // a child that exits without reading its input
  child.stdin?.end(options.input ?? "");
  if (options.echo) {
    child.stdout?.on("data", (d: Buffer) => process.stdout.write(d));
    child.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
  }
  return child;
}

/**
 * Runs `command` to completion without blocking the event loop (servers in this process keep
 * answering it); resolves with its exit code and output. Whatever the child left running in its
 * group is stopped before this resolves.
 */
export function runProcess(
  command: string,
  args: string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawnGrouped(command, args, options);
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d;
    });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          if (child.pid) void killGroup(child.pid);
        }, options.timeoutMs)
      : undefined;
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}\n`, timedOut });
    });
    // What the child left in its group (holding its output pipes open, maybe) is stopped when it exits.
    child.on("exit", () => {
      if (child.pid) void killGroup(child.pid);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A long-running child (a server): its output so far, and how to stop it. */
export interface Service {
  readonly child: ChildProcess;
  /** Everything the child wrote to stdout so far. */
  output(): string;
  /** Everything the child wrote to stderr so far. */
  errorOutput(): string;
  /** Resolves with stdout so far once `pattern` appears in it; rejects if the child exits or `timeoutMs` passes. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Stops the child's whole group (SIGTERM, then SIGKILL after a grace period); resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the child's exit code once it has exited by itself (stops nothing). */
  exited(): Promise<number | null>;
}

/** Starts a long-running child in its own process group. */
export function startProcess(command: string, args: string[], options: ProcessOptions = {}): Service {
  const child = spawnGrouped(command, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d;
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d;
  });
  let closed = false;
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      closed = true;
      resolve(code);
    });
    child.on("error", () => resolve(null));
  });
  return {
    child,
    output: () => stdout,
    errorOutput: () => stderr,
    waitFor(pattern, timeoutMs = 30_000) {
      const seen = () => (typeof pattern === "string" ? stdout.includes(pattern) : pattern.test(stdout));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`no ${pattern} from ${command} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const onData = () => {
          if (seen()) done();
        };
        const onExit = (code: number | null) =>
          done(new Error(`${command} exited ${code} before printing ${pattern}: ${stderr.slice(-1500)}`));
        function done(error?: Error) {
          clearTimeout(timer);
          child.stdout?.off("data", onData);
          child.off("close", onExit);
          if (error) reject(error);
          else resolve(stdout);
        }
        child.stdout?.on("data", onData);
        child.on("close", onExit);
        if (seen()) done();
        else if (closed) onExit(child.exitCode);
      });
    },
    exited: () => exited,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.pid && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, signal);
        } catch {}
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), GRACE_MS);
      });
      const code = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (child.pid) await killGroup(child.pid, 0); // whatever is left in the group, at once
      return code === "late" ? await exited : code;
    },
  };
}

/** Stops every child still running (on Ctrl-C or a crash of the calling script). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => (child.pid ? killGroup(child.pid) : undefined)));
}
