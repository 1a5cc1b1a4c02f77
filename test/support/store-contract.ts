/** The contract every TokenStore / TokenLock must keep, run against each real backend. */
import { expect, it } from "vitest";
import { createAuth, type TokenLock, type TokenStore } from "../../src/index.ts";
import { createMockGenesys } from "../../src/testing/index.ts";
import { CLIENT_ID, SECRET } from "./helpers.ts";

/** Runs the store (and lock) contract; `fresh()` gives an empty store (and lock) on the backend. */
export function storeContract(fresh: () => Promise<{ store: TokenStore; lock?: TokenLock }>): void {
  it("stores, reads and deletes opaque strings", async () => {
    const { store } = await fresh();
    const key = `gca:v1:test:${crypto.randomUUID()}`;
    expect(await store.get(key)).toBeFalsy();
    await store.set(key, "v1.abc.def", { ttlMs: 60_000 });
    expect(await store.get(key)).toBe("v1.abc.def");
    await store.delete?.(key);
    expect(await store.get(key)).toBeFalsy();
  });

  it("shares one token between 16 createAuth instances: one token POST", async () => {
    const { store, lock } = await fresh();
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    mock.failNext("token", { delayMs: 100 }); // a slow first fetch: everyone else must wait for it
    const auths = Array.from({ length: 16 }, () =>
      createAuth({
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        fetch: mock.fetch,
        store,
        ...(lock ? { lock } : {}),
      }),
    );
    const tokens = await Promise.all(auths.map((auth) => auth.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("lock: exclusive until released or expired; release by a stale holder is a no-op", async (ctx) => {
    const { lock } = await fresh();
    if (!lock) return ctx.skip();
    const name = `lock-${crypto.randomUUID()}`;
    const held = await lock.tryAcquire(name, 300);
    expect(held).not.toBeNull();
    expect(await lock.tryAcquire(name, 300)).toBeNull();
    await held?.release();
    const second = await lock.tryAcquire(name, 200);
    expect(second).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 350)); // the lease lapses
    const third = await lock.tryAcquire(name, 5_000);
    expect(third).not.toBeNull();
    await second?.release(); // stale: must not free the third holder's lock
    expect(await lock.tryAcquire(name, 5_000)).toBeNull();
    await third?.release();
  });

  it("lock: of 20 concurrent acquirers exactly one wins", async (ctx) => {
    const { lock } = await fresh();
    if (!lock) return ctx.skip();
    const name = `race-${crypto.randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => lock.tryAcquire(name, 5_000)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
}
