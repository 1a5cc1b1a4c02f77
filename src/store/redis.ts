/**
 * `genesys-cloud-auth/redis`: a {@link TokenStore} and a {@link TokenLock} on Redis, for
 * node-redis (v4+), ioredis and @upstash/redis clients. The lock is `SET key owner NX PX ttl` with a
 * compare-and-delete release in Lua, so a holder whose lease ran out never deletes a successor's lock.
 *
 * @module
 */
import { ownProperties } from "../validation.ts";
import type { HeldLock, TokenLock, TokenStore } from "./types.ts";

/** A node-redis (v4+) client: `set(key, value, { PX, NX })`, `eval(script, { keys, arguments })`. */
export interface NodeRedisLike {
  get(key: string): Promise<string | null | unknown>;
  set(key: string, value: string, options: { PX: number; NX?: boolean }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  sendCommand(...args: never[]): unknown;
}

/** An ioredis client: `set(key, value, "PX", ttl, "NX")`, `eval(script, numKeys, ...keysAndArgs)`. */
export interface IoRedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: "PX", ttl: number, nx?: "NX"): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  defineCommand(...args: never[]): unknown;
}

/** An @upstash/redis client: `set(key, value, { px, nx })`, `eval(script, keys, args)`. */
export interface UpstashRedisLike {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { px: number; nx?: boolean }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** Any supported Redis client. */
export type RedisClientLike = NodeRedisLike | IoRedisLike | UpstashRedisLike;

/** Options of {@link redisStore} and {@link redisLock}. */
export interface RedisOptions {
  /** Prepended to every key. Default `""` (keys already start with `gca:v1:`). */
  prefix?: string;
}

/** The three client families, as one set of operations. */
interface RedisOps {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ttlMs: number, onlyIfAbsent: boolean): Promise<boolean>;
  del(key: string): Promise<void>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** Picks the calling convention: ioredis (has `defineCommand`), node-redis (`sendCommand`), else Upstash. */
function opsFor(client: RedisClientLike): RedisOps {
  if (typeof (client as IoRedisLike).defineCommand === "function") {
    const c = client as IoRedisLike;
    return {
      get: (key) => c.get(key),
      set: async (key, value, ttl, nx) =>
        (await (nx ? c.set(key, value, "PX", ttl, "NX") : c.set(key, value, "PX", ttl))) !== null,
      del: async (key) => void (await c.del(key)),
      eval: (script, keys, args) => c.eval(script, keys.length, ...keys, ...args),
    };
  }
  if (typeof (client as NodeRedisLike).sendCommand === "function") {
    const c = client as NodeRedisLike;
    return {
      get: (key) => c.get(key),
      set: async (key, value, ttl, nx) =>
        (await c.set(key, value, nx ? { PX: ttl, NX: true } : { PX: ttl })) !== null,
      del: async (key) => void (await c.del(key)),
      eval: (script, keys, args) => c.eval(script, { keys, arguments: args }),
    };
  }
  const c = client as UpstashRedisLike;
  return {
    get: (key) => c.get(key),
    set: async (key, value, ttl, nx) =>
      (await c.set(key, value, nx ? { px: ttl, nx: true } : { px: ttl })) !== null,
    del: async (key) => void (await c.del(key)),
    eval: (script, keys, args) => c.eval(script, keys, args),
  };
}

/** Deletes KEYS[1] only while it still holds ARGV[1] (this holder's id). */
const RELEASE_SCRIPT =
  'if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end';

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
}

/** A {@link TokenStore} on Redis (TTL via `PX`, at least 1 ms). */
export function redisStore(client: RedisClientLike, options: RedisOptions = {}): TokenStore {
  const ops = opsFor(client);
  const prefix = ownProperties(options).prefix ?? "";
  return {
    async get(key) {
      const value = await ops.get(prefix + key);
      // @upstash/redis parses JSON-looking values; entries are envelopes or JSON text, so re-serialise objects.
      if (value !== null && typeof value === "object") return JSON.stringify(value);
      return typeof value === "string" ? value : null;
    },
    async set(key, value, { ttlMs }) {
      await ops.set(prefix + key, value, Math.max(1, Math.ceil(ttlMs)), false);
    },
    async delete(key) {
      await ops.del(prefix + key);
    },
  };
}

/** A {@link TokenLock} on Redis: `SET NX PX` to take, compare-and-delete (Lua) to release. */
export function redisLock(client: RedisClientLike, options: RedisOptions = {}): TokenLock {
  const ops = opsFor(client);
  const prefix = ownProperties(options).prefix ?? "";
  return {
    async tryAcquire(name, ttlMs): Promise<HeldLock | null> {
      const key = prefix + name;
      const owner = randomId();
      const taken = await ops.set(key, owner, Math.max(1, Math.ceil(ttlMs)), true);
      if (!taken) return null;
      return {
        async release() {
          await ops.eval(RELEASE_SCRIPT, [key], [owner]);
        },
      };
    },
  };
}
