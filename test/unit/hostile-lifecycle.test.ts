// A bad day in production for the token lifecycle: stores and locks that misbehave, a revoked token
// that the store keeps handing back, clocks that stop or step back, a Worker's waitUntil that throws,
// and a shared memory store visited by an instance with the wrong secret. getToken() always settles,
// in bounded time, with a token or a typed error.
import { describe, expect, it } from "vitest";
import {
  type AuthEvent,
  createAuth,
  createClient,
  GenesysAuthError,
  getOrganization,
  memoryStore,
  type TokenLock,
  type TokenStore,
} from "../../src/index.ts";
import { createMockGenesys } from "../../src/testing/index.ts";
import { CLIENT_ID, cacheKeyFor, clockedMock, recordingAuth, rejection, SECRET } from "../support/helpers.ts";

const mockFor = () => createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });

describe("memoryStore() serves a token only to an instance holding the same secret", () => {
  it("the right id with a wrong secret gets no token from the store, and fails with invalid_client", async () => {
    const mock = mockFor();
    const shared = memoryStore();
    const owner = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch, store: shared });
    const token = await owner.getToken();
    const intruder = createAuth({
      clientId: CLIENT_ID,
      clientSecret: "a-wrong-secret-of-some-length",
      fetch: mock.fetch,
      store: shared,
      lock: shared,
    });
    const error = (await rejection(intruder.getToken())) as GenesysAuthError;
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect(error.code).toBe("invalid_client");
    expect(mock.stats.tokenRequests).toBe(2);
    // and the owner still gets its own token from the store
    const sibling = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch: mock.fetch,
      store: shared,
    });
    expect((await sibling.getToken()).accessToken).toBe(token.accessToken);
    expect(mock.stats.tokenRequests).toBe(2);
  });
});

describe("a misbehaving lock never wedges getToken()", () => {
  const held = (release: () => unknown) => ({ release }) as never;
  const cases: Array<[string, TokenLock]> = [
    ["tryAcquire resolves false", { tryAcquire: async () => false as never }],
    ["tryAcquire resolves 'OK'", { tryAcquire: async () => "OK" as never }],
    ["tryAcquire resolves an object without release()", { tryAcquire: async () => ({}) as never }],
    [
      "tryAcquire throws synchronously",
      {
        tryAcquire: () => {
          throw new Error("sync");
        },
      },
    ],
    ["tryAcquire never settles", { tryAcquire: () => new Promise(() => {}) }],
    ["release() never settles", { tryAcquire: async () => held(() => new Promise(() => {})) }],
    [
      "release() throws synchronously",
      {
        tryAcquire: async () =>
          held(() => {
            throw new Error("sync");
          }),
      },
    ],
    ["release() returns nothing", { tryAcquire: async () => held(() => undefined) }],
    ["release() rejects", { tryAcquire: async () => held(() => Promise.reject(new Error("down"))) }],
  ];
  it.each(cases)("%s: a token, a store_error event, and later calls work", async (_name, lock) => {
    const mock = mockFor();
    const events: AuthEvent[] = [];
    const auth = recordingAuth(mock, events, { store: memoryStore(), lock });
    const started = performance.now();
    const token = await auth.getToken();
    expect(token.accessToken).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(1_500);
    if (!/returns nothing/.test(_name)) {
      expect(events).toContainEqual(expect.objectContaining({ type: "store_error", operation: "lock" }));
    }
    await auth.invalidate();
    const again = performance.now();
    expect((await auth.getToken()).accessToken).toBeTruthy();
    expect(performance.now() - again).toBeLessThan(1_500);
  });

  it("a store whose delete() never settles does not hang invalidate()", async () => {
    const mock = mockFor();
    const map = new Map<string, string>();
    const store: TokenStore = {
      get: async (k) => map.get(k),
      set: async (k, v) => void map.set(k, v),
      delete: () => new Promise(() => {}),
    };
    const auth = recordingAuth(mock, [], { store });
    await auth.getToken();
    const started = performance.now();
    await auth.invalidate();
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe("a store that echoes what it was given", () => {
  it.each([
    ["encrypted", {}],
    ["plain", { encryption: false }],
  ])(
    "store_error events carry its message with the secret and the new token redacted (%s entries)",
    async (_name, extra) => {
      const mock = mockFor();
      const events: AuthEvent[] = [];
      const store: TokenStore = {
        get: async () => undefined,
        set: async (key, value) => {
          throw new Error(`cannot write ${key}=${value} for ${CLIENT_ID}:${SECRET}`);
        },
      };
      const auth = recordingAuth(mock, events, { store, ...extra });
      const token = await auth.getToken();
      const failures = events.filter((event) => event.type === "store_error");
      expect(failures.length).toBeGreaterThan(0);
      const seen = JSON.stringify(failures.map((event) => String((event as { error: Error }).error.message)));
      expect(seen).toContain("cannot write");
      expect(seen).not.toContain(SECRET);
      expect(seen).not.toContain(token.accessToken);
    },
  );
});

describe("a refused token never comes back from a cache layer", () => {
  const stores: Array<[string, (map: Map<string, string>) => TokenStore]> = [
    [
      "a store without delete()",
      (map) => ({ get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) }),
    ],
    [
      "a store whose delete() fails",
      (map) => ({
        get: async (k) => map.get(k),
        set: async (k, v) => void map.set(k, v),
        delete: () => Promise.reject(new Error("read-only replica")),
      }),
    ],
  ];
  it.each(stores)("%s: after a 401 the client gets a new token, not the revoked one", async (_name, make) => {
    const mock = mockFor();
    const store = make(new Map());
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch, store });
    const api = createClient({ auth, fetch: mock.fetch });
    await getOrganization(api);
    mock.revokeAllTokens();
    await getOrganization(api);
    expect(mock.stats.tokenRequests).toBe(2);
    expect(mock.stats.apiUnauthorized).toBe(1);
    // A second instance sharing the store is not handed the refused token either once the new one is stored.
    const sibling = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch, store });
    await getOrganization(createClient({ auth: sibling, fetch: mock.fetch }));
    expect(mock.stats.apiUnauthorized).toBe(1);
  });
});

describe("waits use a monotonic clock", () => {
  async function heldLock(now: () => number) {
    const mock = mockFor();
    const shared = memoryStore(); // its leases run on the real clock
    await shared.tryAcquire(
      `${await cacheKeyFor({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch })}:lock`,
      60_000,
    ); // a holder that died
    const auth = recordingAuth(mock, [], { store: shared, lock: shared, retry: { limit: 0 }, now });
    return { mock, auth };
  }

  it("a frozen clock: the wait for another holder still ends", async () => {
    const { auth, mock } = await heldLock(() => 1_800_000_000_000);
    const started = performance.now();
    await auth.getToken();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("a clock stepping back an hour during the wait: the wait still ends", async () => {
    let offset = 0;
    const { auth } = await heldLock(() => Date.now() - offset);
    setTimeout(() => {
      offset = 3_600_000;
    }, 100);
    const started = performance.now();
    await auth.getToken();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("a clock that goes bad after creation", () => {
  it.each<[string, () => number]>([
    [
      "throws",
      () => {
        throw new Error("clock gone");
      },
    ],
    ["answers NaN", () => Number.NaN],
    ["answers a string", () => "soon" as unknown as number],
  ])(
    "a clock that later %s: getToken() still answers a token that expires in the future",
    async (_name, bad) => {
      const mock = mockFor();
      let clock: () => number = Date.now;
      const auth = recordingAuth(mock, [], { now: () => clock() });
      clock = bad;
      const token = await auth.getToken();
      expect(Number.isFinite(token.expiresAt)).toBe(true);
      expect(token.expiresAt).toBeGreaterThan(Date.now());
      expect((await auth.getToken()).accessToken).toBe(token.accessToken); // and it is cached
      expect(mock.stats.tokenRequests).toBe(1);
    },
  );
});

describe("a waitUntil that throws", () => {
  it("getToken() still returns a promise, the failure is reported, and the refresh runs", async () => {
    const { mock, clock } = clockedMock();
    const events: AuthEvent[] = [];
    const auth = recordingAuth(mock, events, {
      now: clock.now,
      store: memoryStore(),
      waitUntil: () => {
        throw new Error("the request context is gone");
      },
    });
    const first = await auth.getToken();
    clock.advance(3_500_000); // inside the refresh margin: a background refresh through waitUntil
    let result: Promise<unknown> | undefined;
    expect(() => {
      result = auth.getToken();
    }).not.toThrow();
    expect(await result).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.stats.tokenRequests).toBe(2);
    expect(events).toContainEqual(expect.objectContaining({ type: "wait_until_error" }));
    expect((await auth.getToken()).accessToken).not.toBe(first.accessToken);
  });
});
