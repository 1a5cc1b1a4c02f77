import { inspect } from "node:util";
import { clientCredentialsEngine } from "../../src/grants/client-credentials.ts";
import { type AuthEvent, type CreateAuthOptions, createAuth, type GenesysAuth } from "../../src/index.ts";
import { createMockGenesys, type MockGenesys, type MockGenesysOptions } from "../../src/testing/index.ts";

/** Recognisable credentials: any output containing them is a leak. */
export const SECRET = "s3cr3t-VALUE-that-must-never-leak-7f3a";
export const CLIENT_ID = "c0ffee00-1111-4222-8333-444455556666";

/** A mock and an auth wired to it in process. */
export function setup(
  mockOptions: MockGenesysOptions = {},
  authOptions: Partial<CreateAuthOptions> = {},
): { mock: MockGenesys; auth: GenesysAuth } {
  const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET, ...mockOptions });
  const auth = createAuth({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    loginUrl: "http://127.0.0.1:1",
    apiUrl: "http://127.0.0.1:1",
    fetch: mock.fetch,
    ...authOptions,
  });
  return { mock, auth };
}

/** A settable clock, and a mock (tokens living an hour) that tells time by it. */
export function clockedMock(start = 1_800_000_000_000): {
  mock: MockGenesys;
  clock: { now: () => number; advance: (ms: number) => void };
} {
  let time = start;
  const now = () => time;
  const mock = createMockGenesys({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    tokenLifetimeSeconds: 3600,
    now,
  });
  const advance = (ms: number) => {
    time += ms;
  };
  return { mock, clock: { now, advance } };
}

/**
 * An auth wired to `mock` in process whose events land in `events`. It fails fast (300 ms a try, two
 * retries, `Retry-After` up to 5 s) unless `options` say otherwise.
 */
export function recordingAuth(
  mock: MockGenesys,
  events: AuthEvent[],
  options: Record<string, unknown> = {},
): GenesysAuth {
  return createAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    fetch: mock.fetch,
    timeoutMs: 300,
    retry: { limit: 2, maxRetryAfterSeconds: 5 },
    onEvent: (e) => events.push(e),
    ...options,
  });
}

/** Every textual view of `value` a log line or error report could show. */
export function allViews(value: unknown): string {
  const views: string[] = [inspect(value, { depth: 10, showHidden: true }), String(value)];
  try {
    views.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covered it
  }
  let cause: unknown = value;
  for (let depth = 0; depth < 10 && cause instanceof Error; depth++) {
    views.push(cause.message, cause.stack ?? "");
    cause = cause.cause;
  }
  return views.join("\n");
}

/** Captures the rejection of `promise` (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The store key createAuth uses for `options` (its lock is this key + ":lock"). */
export function cacheKeyFor(options: CreateAuthOptions): Promise<string> {
  return clientCredentialsEngine(options).key();
}
