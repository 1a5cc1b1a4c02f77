import { openKv } from "@deno/kv";
import { Redis as IoRedis } from "ioredis";
import { createClient as createNodeRedis } from "redis";
import { afterAll, describe } from "vitest";
import { memoryStore } from "../../src/index.ts";
import { denoKvLock, denoKvStore } from "../../src/store/deno-kv.ts";
import { type RedisClientLike, redisLock, redisStore } from "../../src/store/redis.ts";
import { storeContract } from "../support/store-contract.ts";

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

describe("memoryStore", () => {
  storeContract(async () => {
    const store = memoryStore();
    return { store, lock: store };
  });
});

describe("Deno KV through @deno/kv in Node", () => {
  storeContract(async () => {
    const kv = await openKv(":memory:");
    cleanups.push(async () => kv.close());
    return { store: denoKvStore(kv), lock: denoKvLock(kv) };
  });
});

const url = () => process.env.REDIS_URL as string;

describe("Redis with node-redis", () => {
  storeContract(async () => {
    const client = createNodeRedis({ url: url() });
    await client.connect();
    cleanups.push(() => client.quit());
    return {
      store: redisStore(client as unknown as RedisClientLike),
      lock: redisLock(client as unknown as RedisClientLike),
    };
  });
});

describe("Redis with ioredis", () => {
  storeContract(async () => {
    const client = new IoRedis(url());
    cleanups.push(() => client.quit());
    const prefix = { prefix: `${crypto.randomUUID()}:` };
    return { store: redisStore(client, prefix), lock: redisLock(client, prefix) };
  });
});

describe("Redis with an @upstash/redis-shaped client (over node-redis to a real server)", () => {
  storeContract(async () => {
    const inner = createNodeRedis({ url: url() });
    await inner.connect();
    cleanups.push(() => inner.quit());
    // @upstash/redis's surface: set(key, value, { px, nx }), eval(script, keys, args), get parses JSON.
    const upstash = {
      async get(key: string) {
        const raw = await inner.get(key);
        if (raw === null) return null;
        try {
          return JSON.parse(raw);
        } catch {
          return raw;
        }
      },
      set: (key: string, value: string, o: { px: number; nx?: boolean }) =>
        inner.set(key, value, o.nx ? { PX: o.px, NX: true } : { PX: o.px }),
      del: (key: string) => inner.del(key),
      eval: (script: string, keys: string[], args: string[]) => inner.eval(script, { keys, arguments: args }),
    };
    const prefix = { prefix: `${crypto.randomUUID()}:` };
    return { store: redisStore(upstash, prefix), lock: redisLock(upstash, prefix) };
  });
});
