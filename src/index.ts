/**
 * genesys-cloud-auth: Genesys Cloud client-credentials tokens — fetched, cached, shared, refreshed —
 * and a ky client that uses them, on every JavaScript runtime.
 *
 * @module
 */

export { HTTPError, TimeoutError } from "ky";
export {
  getOrganization,
  getTokenInfo,
  getUser,
  type Organization,
  revokeToken,
  type TokenInfo,
  type User,
} from "./client/calls.js";
export type { GenesysApiError, GenesysErrorFields, GenesysHTTPError } from "./client/errors.js";
export { type GenesysPage, type PaginateOptions, paginate } from "./client/paginate.js";
export { authOf, type CreateClientOptions, createClient } from "./client.js";
export type {
  ClientAuthentication,
  CreateAuthOptions,
  EncryptionOption,
  RetryPolicy,
} from "./config.js";
export { ENV_VARIABLES, type EnvOptions, type EnvRecord, fromEnv } from "./env.js";
export {
  ERROR_HINTS,
  GenesysAuthError,
  type GenesysAuthErrorCode,
  type GenesysAuthErrorDetails,
  isGenesysAuthError,
} from "./errors.js";
export { DEFAULT_REGION, REGIONS, type RegionInfo, type ResolvedRegion, resolveRegion } from "./regions.js";
export { parseRetryAfter } from "./retry.js";
export { type MemoryStore, memoryStore } from "./store/memory.js";
export type { HeldLock, TokenLock, TokenStore } from "./store/types.js";
export { createAuth, type GenesysAuth, type GetTokenOptions } from "./token/auth.js";
export type { AuthEvent, AuthEventListener, RefreshReason } from "./token/events.js";
export type { AccessToken } from "./token/token.js";
