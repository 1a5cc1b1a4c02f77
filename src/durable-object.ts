/**
 * `genesys-cloud-auth/durable-object`: a Cloudflare Durable Object that owns the token refresh of one
 * cache key ({@link GenesysTokenBroker}), and the `store` a Worker gives `createAuth` to use it
 * ({@link durableObjectTokenSource}). Entries travel encrypted, so the Worker and the broker must
 * have the same client secret, or the same `encryption.key`.
 *
 * @module
 */
export { GenesysTokenBroker } from "./broker/broker.ts";
export {
  type DurableObjectNamespaceLike,
  type DurableObjectSourceOptions,
  durableObjectTokenSource,
} from "./broker/source.ts";
