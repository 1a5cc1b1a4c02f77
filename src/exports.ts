/**
 * What every entry point for app code exports (the main one and `genesys-cloud-auth/browser`): the
 * API client and its helpers, the errors, the regions and the types every auth shares.
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
export {
  GenesysAuthError,
  type GenesysAuthErrorCode,
  type GenesysAuthErrorDetails,
  isGenesysAuthError,
} from "./errors.ts";
export type { AuthorizeParameters } from "./grants/authorization-code.ts";
export { REGIONS, type RegionInfo, type ResolvedRegion, resolveRegion } from "./regions.ts";
export type { GenesysAuth, GetTokenOptions } from "./token/auth.ts";
export type { AuthEvent, AuthEventListener, RefreshReason, StoreOperation } from "./token/events.ts";
export type { ConnectionOptions, RequestOptions, RetryPolicy } from "./token/options.ts";
export type { AccessToken } from "./token/token.ts";
