import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveEnvelopeKey, openEnvelope, sealEnvelope } from "../../src/crypto.ts";
import { type AuthEvent, createAuth, memoryStore, type TokenStore } from "../../src/index.ts";
import { cloudflareKvStore } from "../../src/store/cloudflare-kv.ts";
import { createMockGenesys } from "../../src/testing/index.ts";
import { parseEntry, serializeEntry } from "../../src/token/entry.ts";
import { BearerToken } from "../../src/token/token.ts";
import { allViews, CLIENT_ID, cacheKeyFor, SECRET } from "../support/helpers.ts";

/** A plain Map-backed store, standing in for an external one (encrypted by default). */
function mapStore(): TokenStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    async get(key) {
      return map.get(key);
    },
    async set(key, value) {
      map.set(key, value);
    },
    async delete(key) {
      map.delete(key);
    },
  };
}

function instances(count: number, store: TokenStore, extra: Record<string, unknown> = {}) {
  const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
  const events: AuthEvent[] = [];
  const auths = Array.from({ length: count }, () =>
    createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch: mock.fetch,
      store,
      onEvent: (e) => events.push(e),
      ...extra,
    }),
  );
  return { mock, auths, events };
}

describe("shared store", () => {
  it("a second instance reads the first one's token from the store", async () => {
    const store = memoryStore();
    const { mock, auths, events } = instances(2, store);
    const a = await auths[0]?.getToken();
    const b = await auths[1]?.getToken();
    expect(b?.accessToken).toBe(a?.accessToken);
    expect(mock.stats.tokenRequests).toBe(1);
    expect(events).toContainEqual({ type: "cache_hit", source: "store", expiresAt: a?.expiresAt });
  });

  it("with a lock, 16 instances starting at once make one POST", async () => {
    const store = memoryStore();
    const { mock, auths } = instances(16, store, { lock: store });
    mock.failNext("token", { delayMs: 50 });
    const tokens = await Promise.all(auths.map((auth) => auth.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("refreshes are shared too: inside the margin, one instance fetches and the others pick it up", async () => {
    const clock = { t: 1_800_000_000_000 };
    const store = memoryStore({ now: () => clock.t });
    const mock = createMockGenesys({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tokenLifetimeSeconds: 3600,
      now: () => clock.t,
    });
    const waited: Promise<unknown>[] = [];
    const make = () =>
      createAuth({
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        fetch: mock.fetch,
        store,
        lock: store,
        now: () => clock.t,
        waitUntil: (p) => waited.push(p),
      });
    const [a, b] = [make(), make()];
    const first = await a.getToken();
    expect((await b.getToken()).accessToken).toBe(first.accessToken);
    clock.t += 3_400_000; // inside the 300 s margin
    expect(await a.getToken()).toBe(first); // served while A refreshes in the background
    await Promise.all(waited);
    const refreshed = await a.getToken();
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    await b.getToken(); // B starts its own background refresh… which finds A's token in the store
    await Promise.all(waited);
    expect((await b.getToken()).accessToken).toBe(refreshed.accessToken);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("forceRefresh skips the store's current token and shares the new one", async () => {
    const store = memoryStore();
    const { mock, auths } = instances(2, store, { lock: store });
    const first = await auths[0]?.getToken();
    const forced = await auths[0]?.getToken({ forceRefresh: true });
    expect(forced?.accessToken).not.toBe(first?.accessToken);
    expect((await auths[1]?.getToken())?.accessToken).toBe(forced?.accessToken);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("encrypts entries of external stores: no token in the stored value, key has no secret", async () => {
    const store = mapStore();
    const { auths } = instances(1, store);
    const token = await auths[0]?.getToken();
    const [[key, value]] = [...store.map.entries()] as [[string, string]];
    expect(key).toMatch(new RegExp(`^gca:v1:us-east-1:${CLIENT_ID}:[0-9a-f]{32}$`));
    expect(value).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(value).not.toContain(token?.accessToken);
    expect(key + value).not.toContain(SECRET);
  });

  it("encryption: false stores plaintext entries", async () => {
    const store = mapStore();
    const { auths } = instances(1, store, { encryption: false });
    const token = await auths[0]?.getToken();
    expect([...store.map.values()][0]).toContain(token?.accessToken);
  });

  it("a tampered or foreign entry is a miss, reported as store_error", async () => {
    const store = mapStore();
    const first = instances(1, store);
    await first.auths[0]?.getToken();
    const [key, value] = [...store.map.entries()][0] as [string, string];
    store.map.set(key, `${value.slice(0, -4)}AAAA`);
    const afterTamper = instances(1, store);
    await expect(afterTamper.auths[0]?.getToken()).resolves.toBeDefined();
    expect(afterTamper.mock.stats.tokenRequests).toBe(1);
    expect(afterTamper.events).toContainEqual(
      expect.objectContaining({ type: "store_error", operation: "decode" }),
    );
    const foreign = instances(1, store, { encryption: { key: "another-key-of-16-chars" } });
    await expect(foreign.auths[0]?.getToken()).resolves.toBeDefined();
    expect(foreign.mock.stats.tokenRequests).toBe(1);
    expect(foreign.events).toContainEqual(
      expect.objectContaining({ type: "store_error", operation: "decode" }),
    );
    store.map.set(key, "not an envelope");
    const garbage = instances(1, store);
    await garbage.auths[0]?.getToken();
    expect(garbage.mock.stats.tokenRequests).toBe(1);
  });

  it("a store that throws or hangs never breaks getToken()", async () => {
    const broken: TokenStore = {
      get: () => Promise.reject(new Error("redis down")),
      set: () => new Promise(() => {}),
    };
    const { auths, events } = instances(1, broken, { timeoutMs: 200 });
    await expect(auths[0]?.getToken()).resolves.toBeDefined();
    const failures = events
      .filter((e) => e.type === "store_error")
      .map((e) => e.type === "store_error" && e.operation);
    expect(failures).toEqual(["get", "set"]);
    expect(allViews(events)).not.toContain(SECRET);
  });

  it("invalidate() deletes the shared entry", async () => {
    const store = mapStore();
    const { auths } = instances(1, store);
    await auths[0]?.getToken();
    expect(store.map.size).toBe(1);
    await auths[0]?.invalidate();
    expect(store.map.size).toBe(0);
  });

  it("the cache key differs by scopes and login host, never by secret", async () => {
    const key = (over: Record<string, unknown>) =>
      cacheKeyFor({ clientId: "id", clientSecret: "a-secret-value", region: "eu-west-1", ...over });
    const a = await key({});
    expect(a).toMatch(/^gca:v1:eu-west-1:id:[0-9a-f]{32}$/);
    expect(await key({ clientSecret: "another-secret-value" })).toBe(a);
    expect(await key({ scopes: ["x"] })).not.toBe(a);
    expect(await key({ loginUrl: "http://127.0.0.1:1" })).not.toBe(a);
    expect(await key({ clientAuthentication: "body" })).not.toBe(a);
  });
});

describe("cloudflareKvStore", () => {
  it("writes with expirationTtl >= 60 and skips entries with less than 60 s left", async () => {
    const puts: Array<{ key: string; ttl: number | undefined }> = [];
    const store = cloudflareKvStore({
      get: async () => null,
      put: async (key, _value, options) => void puts.push({ key, ttl: options?.expirationTtl }),
      delete: async () => {},
    });
    await store.set("a", "v", { ttlMs: 86_399_000 });
    await store.set("b", "v", { ttlMs: 60_500 });
    await store.set("c", "v", { ttlMs: 59_999 });
    expect(puts).toEqual([
      { key: "a", ttl: 86_399 },
      { key: "b", ttl: 60 },
    ]);
  });
});

describe("envelope and entries (property tests)", () => {
  it("round-trips any text and detects any tampering or other associated data", async () => {
    const key = await deriveEnvelopeKey(SECRET);
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), fc.nat(), async (plain, aad, flip) => {
        const sealed = await sealEnvelope(key, plain, aad);
        expect(await openEnvelope(key, sealed, aad)).toBe(plain);
        expect(await openEnvelope(key, sealed, `${aad}x`)).toBeUndefined();
        const at = 3 + (flip % (sealed.length - 3));
        const swapped = sealed[at] === "A" ? "B" : "A";
        const tampered = sealed.slice(0, at) + swapped + sealed.slice(at + 1);
        if (tampered !== sealed) expect(await openEnvelope(key, tampered, aad)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a non-canonical encoding of the same bytes (unused bits of the last character changed)", async () => {
    const key = await deriveEnvelopeKey(SECRET);
    const sealed = await sealEnvelope(key, "x", "k"); // 17 ciphertext bytes: the last character has unused bits
    const last = sealed.at(-1) as string;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const decode = (text: string) => Buffer.from(text.split(".")[2] as string, "base64url").toString("hex");
    const twin = [...alphabet]
      .map((c) => sealed.slice(0, -1) + c)
      .find((candidate) => candidate.at(-1) !== last && decode(candidate) === decode(sealed));
    expect(twin).toBeDefined();
    expect(await openEnvelope(key, sealed, "k")).toBe("x");
    expect(await openEnvelope(key, twin as string, "k")).toBeUndefined();
  });

  it("refuses envelopes made with another key", async () => {
    const sealed = await sealEnvelope(await deriveEnvelopeKey("key-one-0123456789"), "x", "k");
    expect(await openEnvelope(await deriveEnvelopeKey("key-two-0123456789"), sealed, "k")).toBeUndefined();
  });

  it("stored entries round-trip, and anything else parses as a miss", () => {
    const entry = { token: new BearerToken("tok", 2_000, ["a"]), issuedAt: 1_000 };
    const parsed = parseEntry(serializeEntry(entry));
    expect(parsed?.token.accessToken).toBe("tok");
    expect(parsed?.token.expiresAt).toBe(2_000);
    expect(parsed?.issuedAt).toBe(1_000);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ v: 1, t: v, i: 1, e: v })),
        ),
        (text) => {
          const result = parseEntry(text);
          if (result !== undefined) {
            expect(result.token.accessToken.length).toBeGreaterThan(0);
            expect(result.token.expiresAt).toBeGreaterThan(result.issuedAt);
          }
        },
      ),
    );
    expect(parseEntry(JSON.stringify({ v: 1, t: "x", i: 5, e: 5 }))).toBeUndefined();
  });
});
