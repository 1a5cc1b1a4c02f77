/**
 * What every auth is to its users: {@link GenesysAuth}. `createAuth`, `createBrowserAuth`,
 * `flow.session(id)` and `createSaml2BearerAuth` all return one, so `createClient`, the helpers and
 * `paginate` work the same for users and machines.
 *
 * @module
 */
import { REDACT, type Redact } from "../redact.ts";
import type { AccessToken } from "./token.ts";

/** Options of a single `getToken()` call. */
export interface GetTokenOptions {
  /** Aborts this caller's wait only; a fetch shared with other callers goes on. */
  signal?: AbortSignal;
  /** Skip the memory and shared caches and fetch (or renew) a token now. */
  forceRefresh?: boolean;
}

/**
 * An auth: tokens for a machine or a signed-in user. Holds its secrets in a closure: serialising it
 * shows only the URLs.
 */
export interface GenesysAuth {
  /** A valid token: cached while fresh, refreshed in the background when close to expiry. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Drops the cached token (and, unless it can be renewed from the store, the stored entry). Given
   * the token a request was refused with, it does so only if that token is still the current one, so
   * that many requests failing at once cause one refresh.
   */
  invalidate(token?: AccessToken | string): Promise<void>;
  /** The API base URL, e.g. `https://api.mypurecloud.ie`. */
  readonly apiUrl: string;
  /** The login base URL, e.g. `https://login.mypurecloud.ie`. */
  readonly loginUrl: string;
  /** The region id, e.g. `eu-west-1` (the domain for regions missing from the table). */
  readonly region: string;
}

/**
 * The public face of an auth: the {@link GenesysAuth} methods and URLs only (plus `extra`), frozen,
 * with its redaction for the API client (non-enumerable, never serialised).
 */
export function publicAuth<T extends object = object>(
  auth: GenesysAuth & { readonly redact: Redact },
  extra?: T,
): GenesysAuth & T {
  const face = {
    getToken: auth.getToken,
    invalidate: auth.invalidate,
    apiUrl: auth.apiUrl,
    loginUrl: auth.loginUrl,
    region: auth.region,
    ...extra,
  };
  Object.defineProperty(face, REDACT, { value: auth.redact });
  return Object.freeze(face) as GenesysAuth & T;
}
