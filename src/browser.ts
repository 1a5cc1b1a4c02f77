/**
 * `genesys-cloud-auth/browser`: users sign in to a page with the authorization code grant and PKCE
 * (`createBrowserAuth`), and the page calls the API as them (`createClient`). No secret, no
 * node-only code.
 *
 * @module
 */

export { HTTPError, TimeoutError } from "ky";
export { type CreateClientOptions, createClient } from "./client/create.ts";
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
export {
  type BrowserAuth,
  type CreateBrowserAuthOptions,
  createBrowserAuth,
  type SignInOptions,
} from "./signin/browser.ts";
export type { StorageLike, StorageOption } from "./signin/storage.ts";
export type { GenesysAuth, GetTokenOptions } from "./token/auth.ts";
export type { AuthEvent, AuthEventListener, RefreshReason, StoreOperation } from "./token/events.ts";
export type { ConnectionOptions, RequestOptions, RetryPolicy } from "./token/options.ts";
export type { AccessToken } from "./token/token.ts";
