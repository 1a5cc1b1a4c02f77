/**
 * `genesys-cloud-auth/durable-object`: Cloudflare Durable Objects for what Workers KV cannot do.
 *
 * - {@link GenesysTokenBroker} owns the client-credentials token refresh of one cache key, and
 *   {@link durableObjectTokenSource} is the `store` a Worker gives `createAuth` to use it: one token
 *   request for every isolate everywhere. Entries travel encrypted, so the Worker and the broker must
 *   have the same client secret, or the same `encryption.key`.
 * - {@link GenesysStore} and {@link durableObjectStore}: a strongly consistent store and lock, for
 *   signed-in users' sessions (`createCodeFlow`), whose refresh tokens may be single-use.
 *
 * @module
 */
export { GenesysTokenBroker } from "./cloudflare/broker.ts";
export { type DurableObjectStateLike, durableObjectStore, GenesysStore } from "./cloudflare/session-store.ts";
export {
  type DurableObjectNamespaceLike,
  type DurableObjectSourceOptions,
  durableObjectTokenSource,
} from "./cloudflare/token-source.ts";
