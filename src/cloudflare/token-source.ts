/**
 * The `store` a Worker gives `createAuth` to share the `GenesysTokenBroker`'s token: on a miss
 * it asks the broker (one per cache key), writing through to Workers KV when a namespace is given and
 * reading KV when the broker cannot be reached.
 *
 * @module
 */
import { cloudflareKvStore, type KVNamespaceLike } from "../store/cloudflare-kv.ts";
import { BROKER, type TokenStore } from "../store/types.ts";
import { ownProperties } from "../validation.ts";

/** Where the Worker reaches the broker (the host is never resolved: a Durable Object stub answers). */
const BROKER_URL = "https://genesys-token-broker/token";

/** The parts of a `DurableObjectNamespace` used here. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** Options of {@link durableObjectTokenSource}. */
export interface DurableObjectSourceOptions {
  /** A KV namespace to write tokens through to, and to read from when the broker cannot be reached. */
  kv?: KVNamespaceLike;
}

/**
 * The `store` for `createAuth` in a Worker: asks the `GenesysTokenBroker` (one per cache key) for
 * the token, so one request refreshes it for every isolate. The SDK waits for the broker as long as
 * a token request may take.
 */
export function durableObjectTokenSource(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectSourceOptions = {},
): TokenStore {
  const { kv: namespaceKv } = ownProperties(options);
  const kv = namespaceKv ? cloudflareKvStore(namespaceKv) : undefined;
  const broker = (key: string) => namespace.get(namespace.idFromName(key) as never);
  const url = (key: string) => `${BROKER_URL}?key=${encodeURIComponent(key)}`;
  const source: TokenStore & { [BROKER]: true } = {
    [BROKER]: true,
    async get(key) {
      let response: Response;
      try {
        response = await broker(key).fetch(url(key), { method: "POST" });
      } catch (error) {
        const fallback = await kv?.get(key);
        if (fallback) return fallback;
        throw error;
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        const fallback = await kv?.get(key);
        if (fallback) return fallback;
        throw new Error(`Token broker answered ${response.status}: ${body.message ?? "no details"}`);
      }
      const envelope = await response.text();
      await kv?.set(key, envelope, { ttlMs: 24 * 3600 * 1000 }).catch(() => undefined);
      return envelope;
    },
    async set(key, value, ttl) {
      await kv?.set(key, value, ttl);
    },
    async delete(key) {
      await Promise.all([broker(key).fetch(url(key), { method: "DELETE" }), kv?.delete?.(key)]);
    },
  };
  return source;
}
