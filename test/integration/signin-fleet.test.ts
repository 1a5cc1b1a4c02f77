// A fleet of 8 server instances sharing a real store and lock (redis-server; Deno KV through
// @deno/kv) hits one user's expiring session at once: exactly one refresh POST, every instance gets
// the new token, and with the mock's single-use (rotating) refresh tokens nobody is signed out.
import { openKv } from "@deno/kv";
import { createClient as createNodeRedis } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import type { TokenLock, TokenStore } from "../../src/index.ts";
import { denoKvLock, denoKvStore } from "../../src/store/deno-kv.ts";
import { type RedisClientLike, redisLock, redisStore } from "../../src/store/redis.ts";
import { createMockGenesys } from "../../src/testing/index.ts";
import { clock, codeFlowOn, signIn } from "../support/signin.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

const backends: Array<[string, () => Promise<{ store: TokenStore; lock: TokenLock }>]> = [
  [
    "Redis (node-redis, redis-server)",
    async () => {
      const client = createNodeRedis({ url: process.env.REDIS_URL as string });
      await client.connect();
      cleanups.push(() => client.quit());
      const redis = client as unknown as RedisClientLike;
      const prefix = { prefix: `${crypto.randomUUID()}:` };
      return { store: redisStore(redis, prefix), lock: redisLock(redis, prefix) };
    },
  ],
  [
    "Deno KV (@deno/kv)",
    async () => {
      const kv = await openKv(":memory:");
      cleanups.push(async () => kv.close());
      return { store: denoKvStore(kv), lock: denoKvLock(kv) };
    },
  ],
];

describe("a fleet of 8 instances and one user's session", () => {
  it.each(backends)(
    "%s: 1 refresh POST, one new token for all, nobody signed out",
    async (_name, backend) => {
      const { store, lock } = await backend();
      const time = clock();
      const mock = createMockGenesys({ tokenLifetimeSeconds: 3600, now: time.now });
      const first = codeFlowOn(time, {}, { store, lock }, [], mock);
      const { sessionId } = await signIn(mock, first.flow);
      const fleet = Array.from({ length: 8 }, () => codeFlowOn(time, {}, { store, lock }, [], mock).flow);
      time.t += 3600_000; // the session's access token has expired for everyone
      const tokens = await Promise.all(fleet.map((flow) => flow.session(sessionId).getToken()));
      expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
      expect(mock.stats.refreshes).toBe(1);
      expect(mock.stats.refreshReuseRefused).toBe(0);
      // The next expiry, again at once: one more refresh, with the rotated token.
      time.t += 3600_000;
      await Promise.all(fleet.map((flow) => flow.session(sessionId).getToken()));
      expect(mock.stats.refreshes).toBe(2);
      expect(mock.stats.refreshReuseRefused).toBe(0);
    },
  );
});
