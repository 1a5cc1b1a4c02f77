/**
 * genesys-cloud-auth: Genesys Cloud client-credentials tokens — fetched, cached, shared, refreshed —
 * and a ky client that uses them, on every JavaScript runtime.
 *
 * @module
 */

export { HTTPError, TimeoutError } from "ky";
export {
  type EntityRef,
  getOrganization,
  getTokenInfo,
  getUser,
  type Organization,
  revokeToken,
  type TokenInfo,
  type User,
} from "./client/calls.ts";
export type { GenesysApiError, GenesysErrorFields, GenesysHTTPError } from "./client/errors.ts";
export { type GenesysPage, type PaginateOptions, paginate } from "./client/paginate.ts";
export { authOf, type CreateClientOptions, createClient } from "./client.ts";
export type {
  ClientAuthentication,
  CreateAuthOptions,
  EncryptionOption,
  RetryPolicy,
} from "./config.ts";
export { ENV_VARIABLES, type EnvOptions, type EnvRecord, fromEnv } from "./env.ts";
export {
  ERROR_HINTS,
  GenesysAuthError,
  type GenesysAuthErrorCode,
  type GenesysAuthErrorDetails,
  isGenesysAuthError,
} from "./errors.ts";
export { DEFAULT_REGION, REGIONS, type RegionInfo, type ResolvedRegion, resolveRegion } from "./regions.ts";
export { parseRetryAfter } from "./retry.ts";
export { type MemoryStore, memoryStore } from "./store/memory.ts";
export type { HeldLock, TokenLock, TokenStore } from "./store/types.ts";
export { createAuth, type GenesysAuth, type GetTokenOptions } from "./token/auth.ts";
export type { AuthEvent, AuthEventListener, RefreshReason } from "./token/events.ts";
export type { AccessToken } from "./token/token.ts";
