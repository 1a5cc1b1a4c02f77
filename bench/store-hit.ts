/**
 * 7. What a shared store costs: a fresh instance's first getToken() served from the store (read,
 * decrypt, validate) vs a memory hit, per backend (median of 200 fresh instances each).
 */
import { openKv } from "@deno/kv";
import { createClient as createRedis } from "redis";
import { createAuth, memoryStore, type TokenStore } from "../src/index.ts";
import { denoKvStore } from "../src/store/deno-kv.ts";
import { type RedisClientLike, redisStore } from "../src/store/redis.ts";
import { createMockGenesys } from "../src/testing/index.ts";
import { startRedis } from "../test/support/redis-server.ts";
import { markdownTable, median, nsPerCall } from "./lib.ts";

async function storeHitMicros(store: TokenStore, encryption: boolean, instances = 200): Promise<number> {
  const mock = createMockGenesys();
  const options = {
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    fetch: mock.fetch,
    store,
    ...(encryption ? {} : { encryption: false as const }),
  };
  await createAuth(options).getToken(); // fills the store
  const samples: number[] = [];
  for (let i = 0; i < instances; i++) {
    const auth = createAuth(options);
    const started = performance.now();
    await auth.getToken();
    samples.push((performance.now() - started) * 1000);
  }
  if (mock.stats.tokenRequests !== 1) throw new Error("the store did not serve the token");
  return median(samples);
}

export async function benchStoreHit(): Promise<string> {
  const mock = createMockGenesys();
  const warm = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
  await warm.getToken();
  const memoryHitNs = await nsPerCall(() => warm.getToken(), 200_000);
  const map = new Map<string, string>();
  const mapStore: TokenStore = { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) };
  const kv = await openKv(":memory:");
  const redis = await startRedis();
  const client = createRedis({ url: redis.url });
  await client.connect();
  try {
    const rows: Array<[string, number]> = [
      ["memoryStore() (in-process, plaintext)", await storeHitMicros(memoryStore(), false)],
      ["external store in memory, AES-GCM encrypted", await storeHitMicros(mapStore, true)],
      ["Deno KV (@deno/kv, :memory:), encrypted", await storeHitMicros(denoKvStore(kv), true)],
      [
        "Redis (redis-server on 127.0.0.1, node-redis), encrypted",
        await storeHitMicros(redisStore(client as unknown as RedisClientLike), true),
      ],
    ];
    return markdownTable(
      ["first getToken() of a fresh instance", "µs (median of 200)", "vs a memory hit"],
      [
        ["memory hit (cached, for reference)", (memoryHitNs / 1000).toFixed(3), "1×"],
        ...rows.map(([name, us]) => [name, us.toFixed(1), `${Math.round((us * 1000) / memoryHitNs)}×`]),
      ],
    );
  } finally {
    await client.quit();
    await redis.stop();
    kv.close();
  }
}
