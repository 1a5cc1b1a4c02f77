/// <reference lib="deno.ns" />
/// <reference lib="deno.unstable" />
// Deno KV adapter tests in real Deno: `npx deno test --unstable-kv test/integration/deno`.
import assert from "node:assert/strict";
import { createAuth } from "../../../src/index.ts";
import { denoKvLock, denoKvStore } from "../../../src/store/deno-kv.ts";
import { createMockGenesys } from "../../../src/testing/index.ts";

Deno.test("Deno KV store: stores, reads and deletes opaque strings", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const store = denoKvStore(kv);
    await store.set("gca:v1:k", "v1.a.b", { ttlMs: 60_000 });
    assert.equal(await store.get("gca:v1:k"), "v1.a.b");
    await store.delete?.("gca:v1:k");
    assert.equal(await store.get("gca:v1:k"), null);
  } finally {
    kv.close();
  }
});

Deno.test("Deno KV lock: exclusive, lapses by its own expiry, stale release is a no-op", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let now = 1_000_000;
    const lock = denoKvLock(kv, { now: () => now });
    const first = await lock.tryAcquire("refresh", 1_000);
    assert.ok(first);
    assert.equal(await lock.tryAcquire("refresh", 1_000), null);
    now += 1_001; // lapsed by the lease's own expiry, whatever expireIn does
    const second = await lock.tryAcquire("refresh", 1_000);
    assert.ok(second);
    await first.release();
    assert.equal(await lock.tryAcquire("refresh", 1_000), null);
    await second.release();
    assert.ok(await lock.tryAcquire("refresh", 1_000));
    const racers = await Promise.all(Array.from({ length: 20 }, () => lock.tryAcquire("race", 5_000)));
    assert.equal(racers.filter((r) => r !== null).length, 1);
  } finally {
    kv.close();
  }
});

Deno.test("Deno KV: 16 createAuth instances sharing store + lock make one token POST", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const mock = createMockGenesys();
    mock.failNext("token", { delayMs: 100 });
    const auths = Array.from({ length: 16 }, () =>
      createAuth({
        clientId: mock.clientId,
        clientSecret: mock.clientSecret,
        fetch: mock.fetch,
        store: denoKvStore(kv),
        lock: denoKvLock(kv),
      }),
    );
    const tokens = await Promise.all(auths.map((auth) => auth.getToken()));
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
    assert.equal(mock.stats.tokenRequests, 1);
    const stored = [];
    for await (const entry of kv.list({ prefix: ["genesys-cloud-auth", "token"] })) stored.push(entry.value);
    assert.equal(stored.length, 1);
    assert.match(String(stored[0]), /^v1\./); // encrypted at rest
  } finally {
    kv.close();
  }
});
