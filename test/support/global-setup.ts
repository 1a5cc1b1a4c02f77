/** vitest global setup: a real redis-server for the Redis adapter tests (REDIS_URL). */
import { startRedis } from "./redis-server.ts";

export default async function setup(): Promise<() => Promise<void>> {
  const redis = await startRedis();
  process.env.REDIS_URL = redis.url;
  return redis.stop;
}
