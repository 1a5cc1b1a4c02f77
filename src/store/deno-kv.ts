/**
 * `genesys-cloud-auth/deno-kv`: a {@link TokenStore} and a {@link TokenLock} on Deno KV (Deno's
 * `Deno.openKv()`, Deno Deploy, or `@deno/kv` in Node). Deno KV's `expireIn` is lazy — expired keys
 * stay readable for a while — so the lock stores its own expiry and takes over a lapsed lease with an
 * atomic compare-and-swap.
 *
 * @module
 */
import { ownProperties } from "../validation.ts";
import { monotonic, sleep } from "../wait.ts";
import type { HeldLock, TokenLock, TokenStore } from "./types.ts";

/** A Deno KV key. */
export type KvKey = readonly (string | number | bigint | boolean | Uint8Array)[];

/** The parts of `Deno.Kv` used here (Deno's own and `@deno/kv` both fit). */
export interface DenoKvLike {
  get<T = unknown>(key: KvKey): Promise<{ value: T | null; versionstamp: string | null }>;
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  delete(key: KvKey): Promise<void>;
  atomic(): {
    check(...checks: { key: KvKey; versionstamp: string | null }[]): ReturnType<DenoKvLike["atomic"]>;
    set(key: KvKey, value: unknown, options?: { expireIn?: number }): ReturnType<DenoKvLike["atomic"]>;
    delete(key: KvKey): ReturnType<DenoKvLike["atomic"]>;
    commit(): Promise<{ ok: boolean }>;
  };
}

/** Options of {@link denoKvStore} and {@link denoKvLock}. */
export interface DenoKvOptions {
  /** Key prefix. Default `["genesys-cloud-auth"]`. */
  prefix?: KvKey;
  /** The clock (tests). Default `Date.now`. */
  now?: () => number;
}

/** How long contention is waited out before it counts as a failure (the SDK gives a store call 3 s). */
const BUSY_MS = 2_000;

/**
 * Runs `operation`, again while a local SQLite-backed KV shared by several processes answers
 * "database is locked"/"busy" — contention, not failure — for up to 2 s, with growing random pauses.
 */
async function retryBusy<T>(operation: () => Promise<T>): Promise<T> {
  const started = monotonic();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const busy = /locked|busy/i.test(String((error as Error)?.message ?? error));
      if (!busy || monotonic() - started > BUSY_MS) throw error;
      await sleep(10 + Math.random() * Math.min(250, 30 * attempt));
    }
  }
}

interface Lease {
  owner: string;
  expiresAt: number;
}

/** A {@link TokenStore} on Deno KV. */
export function denoKvStore(kv: DenoKvLike, options: DenoKvOptions = {}): TokenStore {
  const prefix = ownProperties(options).prefix ?? ["genesys-cloud-auth"];
  return {
    async get(key) {
      const entry = await retryBusy(() => kv.get<unknown>([...prefix, "token", key]));
      return typeof entry.value === "string" ? entry.value : null;
    },
    async set(key, value, { ttlMs }) {
      await retryBusy(() =>
        kv.set([...prefix, "token", key], value, { expireIn: Math.max(1, Math.ceil(ttlMs)) }),
      );
    },
    async delete(key) {
      await retryBusy(() => kv.delete([...prefix, "token", key]));
    },
  };
}

/** A lease {@link TokenLock} on Deno KV (strongly consistent: safe to poll for the token). */
export function denoKvLock(kv: DenoKvLike, options: DenoKvOptions = {}): TokenLock {
  const own = ownProperties(options);
  const prefix = own.prefix ?? ["genesys-cloud-auth"];
  const now = own.now ?? Date.now;
  return {
    tryAcquire(name, ttlMs): Promise<HeldLock | null> {
      return retryBusy(() => acquire([...prefix, "lock", name], ttlMs));
    },
  };

  async function acquire(key: KvKey, ttlMs: number): Promise<HeldLock | null> {
    const current = await kv.get<Lease>(key);
    const lease = current.value;
    if (lease !== null && typeof lease.expiresAt === "number" && lease.expiresAt > now()) return null;
    const owner = crypto.randomUUID();
    const taken = await kv
      .atomic()
      .check({ key, versionstamp: current.versionstamp })
      .set(key, { owner, expiresAt: now() + ttlMs } satisfies Lease, { expireIn: ttlMs })
      .commit();
    if (!taken.ok) return null; // someone else took it between our read and write
    return {
      release: () =>
        retryBusy(async () => {
          const held = await kv.get<Lease>(key);
          if (held.value?.owner !== owner) return;
          await kv.atomic().check({ key, versionstamp: held.versionstamp }).delete(key).commit();
        }),
    };
  }
}
