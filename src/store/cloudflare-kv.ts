/**
 * `genesys-cloud-auth/cloudflare-kv`: a {@link TokenStore} on a Workers KV namespace.
 *
 * Workers KV is eventually consistent (a write can take 60 s or more to be seen in other locations)
 * and has no atomic operations, so it offers no lock: instances in different locations may each fetch
 * a token at a cold start. For exactly one fetch, put a Durable Object in front
 * (`genesys-cloud-auth/durable-object`). KV rejects `expirationTtl` below 60 s, so entries with less
 * than 60 s left are not written at all.
 *
 * @module
 */
import type { TokenStore } from "./types.ts";

/** The part of a Workers `KVNamespace` this store uses. */
export interface KVNamespaceLike {
  get(key: string, type: "text"): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** KV's smallest `expirationTtl`, in seconds. */
export const KV_MIN_TTL_SECONDS = 60;

/** A {@link TokenStore} on a Workers KV namespace (`env.MY_KV`). */
export function cloudflareKvStore(namespace: KVNamespaceLike): TokenStore {
  return {
    get: (key) => namespace.get(key, "text"),
    async set(key, value, { ttlMs }) {
      const seconds = Math.floor(ttlMs / 1000);
      if (seconds < KV_MIN_TTL_SECONDS) return; // KV would reject it; the entry is nearly expired anyway
      await namespace.put(key, value, { expirationTtl: seconds });
    },
    delete: (key) => namespace.delete(key),
  };
}
