// The reliability harness's fault matrix: every fault ends in transparent recovery or a typed error,
// within bounded time, with no unhandled rejection (vitest fails the run on one).
import { describe, expect, it } from "vitest";
import {
  type AuthEvent,
  createAuth,
  GenesysAuthError,
  memoryStore,
  type TokenStore,
} from "../../src/index.ts";
import { createMockGenesys, type MockFault } from "../../src/testing/index.ts";
import { CLIENT_ID, cacheKeyFor, clockedMock, recordingAuth, SECRET } from "../support/helpers.ts";

function auth(
  extra: Record<string, unknown> = {},
  mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET }),
) {
  const events: AuthEvent[] = [];
  const instance = recordingAuth(mock, events, extra);
  return { mock, auth: instance, events };
}

/** The outcome of one getToken(): "ok" or the error code. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(GenesysAuthError);
    return (error as GenesysAuthError).code;
  }
}

const body = (b: unknown): MockFault => ({ status: 200, body: b });
const token = (over: Record<string, unknown>) =>
  body({ access_token: "tok", token_type: "bearer", expires_in: 3600, ...over });

describe("fault matrix: the token endpoint", () => {
  it.each<[string, MockFault, number, string]>([
    ["500 once", { status: 500, retryAfter: 0 }, 1, "ok"],
    ["502 once", { status: 502, retryAfter: 0 }, 1, "ok"],
    ["503 once", { status: 503, retryAfter: 0 }, 1, "ok"],
    ["504 once", { status: 504, retryAfter: 0 }, 1, "ok"],
    ["503 always", { status: 503, retryAfter: 0 }, 9, "server_error"],
    ["connection reset once", { networkError: true }, 1, "ok"],
    ["connection reset always", { networkError: true }, 9, "network_error"],
    ["hanging server always", { delayMs: 10_000 }, 9, "timeout"],
    ["hanging server once", { delayMs: 10_000 }, 1, "ok"],
    ["HTML with 200", body("<!doctype html><title>Login</title>"), 9, "invalid_token_response"],
    [
      "JSON without access_token",
      body({ token_type: "bearer", expires_in: 3600 }),
      9,
      "invalid_token_response",
    ],
    ["expires_in 0", token({ expires_in: 0 }), 9, "invalid_token_response"],
    ["expires_in negative", token({ expires_in: -1 }), 9, "invalid_token_response"],
    ["expires_in huge", token({ expires_in: 1e15 }), 9, "invalid_token_response"],
    ["expires_in a string", token({ expires_in: "3600" }), 9, "invalid_token_response"],
    ["token_type not bearer", token({ token_type: "mac" }), 9, "invalid_token_response"],
    ["429 Retry-After garbage (backoff)", { status: 429, retryAfter: "soon" }, 1, "ok"],
    ["429 Retry-After negative (backoff)", { status: 429, retryAfter: "-3" }, 1, "ok"],
    [
      "429 Retry-After HTTP date",
      { status: 429, retryAfter: new Date(Date.now() + 1000).toUTCString() },
      1,
      "ok",
    ],
    ["429 Retry-After hours", { status: 429, retryAfter: 7200 }, 1, "rate_limited"],
    ["429 always", { status: 429, retryAfter: 0 }, 9, "rate_limited"],
    [
      "302 to another host",
      { status: 302, headers: { location: "https://evil.example/t" } },
      9,
      "invalid_token_response",
    ],
    [
      "308 to another host",
      { status: 308, headers: { location: "https://evil.example/t" } },
      9,
      "invalid_token_response",
    ],
    ["expires_in 0.001", token({ expires_in: 0.001 }), 9, "invalid_token_response"],
    [
      "access_token with control characters",
      token({ access_token: "a\u001b[2Jb" }),
      9,
      "invalid_token_response",
    ],
    [
      "access_token with a newline",
      token({ access_token: "a\r\nX-Injected: 1" }),
      9,
      "invalid_token_response",
    ],
  ])("%s (%j × %i) → %s", async (_name, fault, times, expected) => {
    const { mock, auth: a } = auth();
    mock.failNext("token", fault, times);
    const started = performance.now();
    expect(await outcome(a.getToken())).toBe(expected);
    expect(performance.now() - started).toBeLessThan(6_000);
  });
});

describe("fault matrix: the shared store and lock", () => {
  const failing = (over: Partial<TokenStore>): TokenStore => ({
    get: async () => null,
    set: async () => {},
    ...over,
  });
  it.each<[string, TokenStore, string]>([
    ["get throws", failing({ get: () => Promise.reject(new Error("down")) }), "get"],
    ["set throws", failing({ set: () => Promise.reject(new Error("down")) }), "set"],
    ["get hangs", failing({ get: () => new Promise(() => {}) }), "get"],
    ["set hangs", failing({ set: () => new Promise(() => {}) }), "set"],
    ["get returns garbage", failing({ get: async () => "v1.garbage.garbage" }), "decode"],
    ["get returns a non-string", failing({ get: async () => 42 as unknown as string }), "decode"],
    [
      "get throws synchronously",
      failing({
        get: () => {
          throw new Error("sync");
        },
      }),
      "get",
    ],
    ["delete-less store", failing({}), "none"],
  ])("%s: reported as store_error, getToken() still succeeds (%#)", async (_name, store, operation) => {
    const { auth: a, events } = auth({ store });
    expect(await outcome(a.getToken())).toBe("ok");
    if (operation !== "none") {
      expect(events).toContainEqual(expect.objectContaining({ type: "store_error", operation }));
    }
    await a.invalidate();
    expect(await outcome(a.getToken())).toBe("ok");
  });

  it.each<[string, Record<string, unknown>]>([
    ["tryAcquire answers false", { tryAcquire: async () => false }],
    [
      "tryAcquire throws synchronously",
      {
        tryAcquire: () => {
          throw new Error("sync");
        },
      },
    ],
    ["release() hangs", { tryAcquire: async () => ({ release: () => new Promise(() => {}) }) }],
    [
      "release() throws synchronously",
      {
        tryAcquire: async () => ({
          release: () => {
            throw new Error("x");
          },
        }),
      },
    ],
  ])(
    "lock: %s → reported as store_error, getToken() still succeeds, in bounded time",
    async (_name, lock) => {
      const { auth: a, events } = auth({ store: memoryStore(), lock });
      const started = performance.now();
      expect(await outcome(a.getToken())).toBe("ok");
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(events).toContainEqual(expect.objectContaining({ type: "store_error", operation: "lock" }));
    },
  );

  it("a store error object's own fields (e.g. the command's arguments) never reach the event", async () => {
    const leaky = Object.assign(new Error("WRONGTYPE Operation against a key"), {
      args: ["SET", "key", "the-token-value"],
    });
    const { auth: a, events } = auth({
      store: failing({ set: () => Promise.reject(leaky) }),
      encryption: false,
    });
    await a.getToken();
    const reported = events.find((e) => e.type === "store_error");
    expect(reported && reported.type === "store_error" && (reported.error as Error).message).toBe(
      "WRONGTYPE Operation against a key",
    );
    expect(
      JSON.stringify(reported) + String((reported as { error?: { args?: unknown } }).error?.args),
    ).not.toContain("the-token-value");
  });

  it("a ciphertext from another client id is a miss", async () => {
    const map = new Map<string, string>();
    const store: TokenStore = { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) };
    const other = createMockGenesys({ clientId: "other-client", clientSecret: SECRET });
    await createAuth({
      clientId: "other-client",
      clientSecret: SECRET,
      fetch: other.fetch,
      store,
    }).getToken();
    const [foreign] = [...map.values()];
    const { auth: a, mock, events } = auth({ store });
    // Plant the other client's envelope under this client's key.
    const key = `gca:v1:us-east-1:${CLIENT_ID}:`;
    await a.getToken();
    for (const k of map.keys()) if (k.startsWith(key)) map.set(k, foreign as string);
    const { auth: fresh, events: freshEvents } = auth({ store }, mock);
    await fresh.getToken();
    expect(freshEvents).toContainEqual(expect.objectContaining({ type: "store_error", operation: "decode" }));
    expect(mock.stats.tokenRequests).toBe(2);
    expect(events.filter((e) => e.type === "store_error")).toHaveLength(0);
  });

  it("a lock that is never released: the waiter polls until the lease ends, then fetches", async () => {
    const shared = memoryStore();
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const key = await cacheKeyFor({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch });
    // A holder that died: its lease (as long as the SDK's own would be) is never released.
    await shared.tryAcquire(`${key}:lock`, 1_300);
    const { auth: waiter, events } = auth({ store: shared, lock: shared, retry: { limit: 0 } }, mock);
    const started = performance.now();
    expect(await outcome(waiter.getToken())).toBe("ok");
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThan(1_000);
    expect(waited).toBeLessThan(5_000);
    expect(events).toContainEqual(expect.objectContaining({ type: "lock_wait" }));
    expect(mock.stats.tokenRequests).toBe(1);
  });
});

describe("fault matrix: the clock", () => {
  it("jumping forward past expiry → a new token; backward → the cached one", async () => {
    const { mock, clock } = clockedMock();
    const { auth: a } = auth({ now: clock.now }, mock);
    const first = await a.getToken();
    clock.advance(-86_400_000);
    expect(await a.getToken()).toBe(first);
    clock.advance(86_400_000 + 3_601_000);
    const second = await a.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(mock.stats.tokenRequests).toBe(2);
  });
});
