/**
 * genesys-cloud-auth: Genesys Cloud tokens — for machines (client credentials) and signed-in users
 * (server code flow, SAML2 bearer) — fetched, cached, shared, refreshed, and a ky client that uses
 * them, on every JavaScript runtime. Browser sign-in: `genesys-cloud-auth/browser`.
 *
 * @module
 */

export { type EnvOptions, type EnvRecord, fromEnv } from "./env.ts";
export * from "./exports.ts";
export {
  type ClientAuthentication,
  type CreateAuthOptions,
  createAuth,
} from "./grants/client-credentials.ts";
export { type CreateSaml2BearerAuthOptions, createSaml2BearerAuth } from "./grants/saml2-bearer.ts";
export { type CodeFlow, type CreateCodeFlowOptions, createCodeFlow } from "./signin/code-flow.ts";
export type { ExchangeOptions, SignedIn } from "./signin/sessions.ts";
export { type MemoryStore, memoryStore } from "./store/memory.ts";
export type { HeldLock, TokenLock, TokenStore } from "./store/types.ts";
export type { EncryptionOption, ServerAuthOptions, SharingOptions } from "./token/options.ts";
