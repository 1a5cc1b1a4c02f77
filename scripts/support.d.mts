import type { Browser } from "playwright-core";

/** A loopback TCP port nothing listens on right now. */
export function freePort(): Promise<number>;

/** Launches Debian's headless Chromium. */
export function launchChromium(): Promise<Browser>;

/** Runs a command to completion without blocking the event loop. */
export function runProcess(
  command: string,
  args: string[],
  options?: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number },
): Promise<{ code: number | null; stdout: string; stderr: string }>;
