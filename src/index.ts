/**
 * genesys-cloud-auth: Genesys Cloud tokens — for machines (client credentials) and signed-in users —
 * fetched, cached, shared, refreshed, and a ky client that uses them, on every JavaScript runtime.
 *
 * @module
 */

export { HTTPError, TimeoutError } from "ky";
export { type CreateClientOptions, createClient } from "./client/create.ts";
export {
  type EntityRef,
  getOrganization,
  getTokenInfo,
  getUser,
  type Organization,
  revokeToken,
  type TokenInfo,
  type User,
} from "./client/helpers.ts";
export {
  type GenesysApiError,
  type GenesysErrorFields,
  type GenesysHTTPError,
  isGenesysHTTPError,
} from "./client/http-error.ts";
export { type GenesysPage, type PaginateOptions, paginate } from "./client/paginate.ts";
export { type EnvOptions, type EnvRecord, fromEnv } from "./env.ts";
export {
  GenesysAuthError,
  type GenesysAuthErrorCode,
  type GenesysAuthErrorDetails,
  isGenesysAuthError,
} from "./errors.ts";
export type { AuthorizeParameters } from "./grants/authorization-code.ts";
export {
  type ClientAuthentication,
  type CreateAuthOptions,
  createAuth,
} from "./grants/client-credentials.ts";
export { type CreateSaml2BearerAuthOptions, createSaml2BearerAuth } from "./grants/saml2-bearer.ts";
export { REGIONS, type RegionInfo, type ResolvedRegion, resolveRegion } from "./regions.ts";
export { type CodeFlow, type CreateCodeFlowOptions, createCodeFlow } from "./signin/code-flow.ts";
export type { ExchangeOptions, SignedIn } from "./signin/sessions.ts";
export { type MemoryStore, memoryStore } from "./store/memory.ts";
export type { HeldLock, TokenLock, TokenStore } from "./store/types.ts";
export type { GenesysAuth, GetTokenOptions } from "./token/auth.ts";
export type { AuthEvent, AuthEventListener, RefreshReason, StoreOperation } from "./token/events.ts";
export type {
  ConnectionOptions,
  EncryptionOption,
  RequestOptions,
  RetryPolicy,
  SharingOptions,
} from "./token/options.ts";
export type { AccessToken } from "./token/token.ts";
