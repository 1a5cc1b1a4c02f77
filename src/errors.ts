/**
 * The one error class of the SDK: every failure of configuration, of the token endpoint or of the
 * runtime is a {@link GenesysAuthError} with a stable {@link GenesysAuthErrorCode} and a hint.
 *
 * @module
 */
import { clip } from "./redact.ts";

/** Stable machine-readable error codes. New codes may be added; existing ones never change meaning. */
export type GenesysAuthErrorCode =
  | "invalid_config"
  | "invalid_client"
  | "unauthorized_client"
  | "invalid_scope"
  | "invalid_request"
  | "rate_limited"
  | "server_error"
  | "invalid_token_response"
  | "invalid_response"
  | "timeout"
  | "network_error"
  | "browser_not_allowed"
  | "login_required"
  | "invalid_grant"
  | "state_mismatch"
  | "access_denied"
  | "popup_blocked"
  | "popup_closed";

/** Optional details of a {@link GenesysAuthError}. */
export interface GenesysAuthErrorDetails {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** What to do about it, in the words of an administrator. Defaults to the code's standard hint. */
  hint?: string;
  /** Genesys' `ININ-Correlation-Id`: quote it to Genesys support. */
  correlationId?: string;
  /** For `rate_limited`: the wait Genesys asked for, in seconds. */
  retryAfterSeconds?: number;
  /** The underlying error. Never an object that holds credentials. */
  cause?: unknown;
}

/** Standard hints, one per code: what an administrator or developer should check. */
export const ERROR_HINTS: Readonly<Record<GenesysAuthErrorCode, string>> = {
  invalid_config:
    "Check the options passed to createAuth() or the GENESYS_* environment variables; the message names the one at fault.",
  invalid_client:
    "Check the client id and secret (no leading or trailing spaces, from the same OAuth client), that the OAuth client is active (Admin > Integrations > OAuth), and that the region is the one the OAuth client was created in: a client id unknown to this region's login host answers 'client not found'.",
  unauthorized_client:
    "The OAuth client may not use this grant: in Admin > Integrations > OAuth (Admin > Security > OAuth Clients in older menus) open the client and set its Grant Type to Client Credentials.",
  invalid_scope:
    "Client-credentials tokens get their rights from the OAuth client's roles and divisions, not from scopes: remove the `scopes` option, or add the requested scope to the OAuth client.",
  invalid_request:
    "The token request must be a form (application/x-www-form-urlencoded) with grant_type=client_credentials, not JSON. If a proxy sits in front of the login host (loginUrl), make sure it forwards the body and Content-Type unchanged.",
  rate_limited:
    "Genesys is rate limiting this client. Cache tokens and share them across instances (a shared `store` and `lock`) instead of requesting a token per process or per call; retry after the wait given.",
  server_error:
    "Genesys answered with a server error. It is usually transient: retry later, and quote the correlation id to Genesys support if it persists.",
  invalid_token_response:
    "The login host answered with something that is not a Genesys token response. Check `loginUrl`/region: it must point at https://login.<your region's domain>, not at a web page or proxy that rewrites responses.",
  invalid_response:
    "The platform API answered with a body this SDK does not recognise. Check `apiUrl`/region, and any proxy in between; use the ky client directly for endpoints whose shape differs.",
  timeout:
    "The request took longer than `timeoutMs`. Check connectivity to the Genesys host, or raise `timeoutMs`.",
  network_error:
    "The Genesys host could not be reached. Check DNS, proxies and firewalls for the login/API host named in the message, and that the region is spelled correctly.",
  browser_not_allowed:
    "A client secret in a browser is visible to every user of the page. Get tokens on a server instead; if this page is trusted (an internal tool, a test), pass `dangerouslyAllowBrowser: true`.",
  login_required:
    "There is no usable token for this user: the session ended, expired or was never started. Sign the user in again (browser: auth.signIn(); server: redirect to flow.authorizationUrl()).",
  invalid_grant:
    "Genesys refused what was presented (an authorization code, a PKCE verifier, a refresh token or an assertion): it is expired, already used or does not match. Sign the user in again.",
  state_mismatch:
    "The sign-in answer does not belong to a sign-in this app started (its `state` differs): a stale or replayed link, a second tab, or a forged request. Start the sign-in again from the app.",
  access_denied:
    "The user, or the organization's policy, refused the sign-in at the Genesys login page. Check that the user may use this OAuth client (its roles and the Authorized Organizations), then sign in again.",
  popup_blocked:
    "The browser blocked the sign-in popup. Call signIn({ popup: true }) directly in a click handler (before any await), or allow popups for this site.",
  popup_closed:
    "The sign-in popup was closed before the sign-in finished. Ask the user to sign in again and keep the popup open until it closes by itself.",
};

/** The error thrown by every function of the SDK (API call failures stay ky `HTTPError`s). */
export class GenesysAuthError extends Error {
  /** Stable machine-readable code. */
  readonly code: GenesysAuthErrorCode;
  /** HTTP status of the response that caused the error, when there was one. */
  readonly status?: number;
  /** What to do about it. */
  readonly hint: string;
  /** Genesys' `ININ-Correlation-Id`, when there was a response that carried one. */
  readonly correlationId?: string;
  /** For `rate_limited`: the wait Genesys asked for, in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(code: GenesysAuthErrorCode, message: string, details: GenesysAuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "GenesysAuthError";
    this.code = code;
    this.hint = details.hint ?? ERROR_HINTS[code];
    if (details.status !== undefined) this.status = details.status;
    if (details.correlationId !== undefined) this.correlationId = details.correlationId;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** A plain, loggable view (no cause chain): safe to `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      hint: this.hint,
      correlationId: this.correlationId,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}

/** True when `error` is a {@link GenesysAuthError}, optionally with the given code. */
export function isGenesysAuthError(error: unknown, code?: GenesysAuthErrorCode): error is GenesysAuthError {
  return error instanceof GenesysAuthError && (code === undefined || error.code === code);
}

/**
 * A plain copy of a foreign error — its name, and its message with its cause's code or message
 * (`fetch failed (ECONNREFUSED)`), redacted and clipped to one line — for events, causes and what a
 * custom fetch threw: a store client's or a fetch's own error object may carry the request's
 * arguments or headers (ioredis does), credentials included.
 */
export function plainError(error: unknown, redact: (text: string) => string = (text) => text): Error {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  const copy = new Error(
    clip(redact(detail && !message.includes(detail) ? `${message} (${detail})` : message), 500),
  );
  copy.name = error instanceof Error ? error.name : "Error";
  return copy;
}
