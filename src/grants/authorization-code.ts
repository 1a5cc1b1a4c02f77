/**
 * The authorization code grant, for browsers (public PKCE clients) and servers (confidential
 * clients): the `/oauth/authorize` URL, the reading of the redirect back (state checked first, then
 * the error, then the code), and the code exchange.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import { clip, type Redact } from "../redact.ts";
import type { RetryListener } from "../retry.ts";
import type { TokenEntry } from "../token/entry.ts";
import type { Settings } from "../token/options.ts";
import { type ClientAuth, postToken } from "../token/request.ts";
import { ownProperties } from "../validation.ts";

/** What `/oauth/authorize` is asked besides the client, the redirect and PKCE. */
export interface AuthorizeParameters {
  /** Pre-fills the login page's user name (`login_hint`). */
  loginHint?: string;
  /** `"login"`: make the user sign in again even with a Genesys session. */
  prompt?: "login";
  /** With `provider`: sign in through this organization's single sign-on (the org's short name). */
  org?: string;
  /** With `org`: the SSO identity provider (e.g. `"okta"`, `"adfs"`, `"salesforce"`). */
  provider?: string;
  /** Authorized Organizations: the id of the organization to sign in to. */
  target?: string;
}

/**
 * Genesys' `/logout` address: it ends the browser's login session, then sends the browser to
 * `redirectTo` (when given: a URI registered on the client).
 */
export function logoutUrl(loginUrl: string, clientId: string, redirectTo?: string): string {
  const query = new URLSearchParams({ client_id: clientId });
  if (redirectTo !== undefined) query.set("redirect_uri", redirectTo);
  return `${loginUrl}/logout?${query}`;
}

/** The `/oauth/authorize` URL for one sign-in. */
export function authorizeUrl(
  loginUrl: string,
  given: {
    clientId: string;
    redirectUri: string;
    state: string;
    challenge?: string | undefined;
    scopes?: readonly string[] | undefined;
  } & AuthorizeParameters,
): string {
  const request = ownProperties(given); // an absent parameter is never an inherited one
  const query = new URLSearchParams({
    client_id: request.clientId,
    response_type: "code",
    redirect_uri: request.redirectUri,
    state: request.state,
  });
  if (request.challenge !== undefined) {
    query.set("code_challenge", request.challenge);
    query.set("code_challenge_method", "S256");
  }
  if (request.scopes?.length) query.set("scope", request.scopes.join(" "));
  const extra = {
    org: request.org,
    provider: request.provider,
    target: request.target,
    login_hint: request.loginHint,
    prompt: request.prompt,
  };
  for (const [name, value] of Object.entries(extra))
    if (value !== undefined && value !== "") query.set(name, value);
  return `${loginUrl}/oauth/authorize?${query}`;
}

/** What a redirect back from `/oauth/authorize` carries. */
export interface Callback {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly errorDescription?: string;
}

/** The sign-in parameters of a redirect URL's query; anything else in it (`iss`, …) is ignored. */
export function readCallback(url: URL): Callback {
  const get = (name: string) => url.searchParams.get(name) ?? undefined;
  return {
    ...(get("code") !== undefined ? { code: get("code") } : {}),
    ...(get("state") !== undefined ? { state: get("state") } : {}),
    ...(get("error") !== undefined ? { error: get("error") } : {}),
    ...(get("error_description") !== undefined ? { errorDescription: get("error_description") } : {}),
  } as Callback;
}

/** Whether a URL carries a sign-in answer (a code or an error). */
export function isCallback(callback: Callback): boolean {
  return callback.code !== undefined || callback.error !== undefined;
}

/**
 * Checks a redirect back against the state this app sent, and answers its code. The state is
 * checked first — also on error redirects — so a forged or stale redirect is `state_mismatch`; a
 * matching one with `error=access_denied` is `access_denied`; other errors keep their OAuth code.
 *
 * @throws {GenesysAuthError} `state_mismatch`, `access_denied`, or the redirect's own error.
 */
export function codeOf(callback: Callback, expectedState: string, redact: Redact): string {
  if (callback.state === undefined || !sameText(callback.state, expectedState)) {
    throw new GenesysAuthError(
      "state_mismatch",
      "The sign-in answer does not belong to a sign-in started here: its state differs from the one this app sent.",
    );
  }
  if (callback.error !== undefined) {
    const description = callback.errorDescription ? `: ${clip(redact(callback.errorDescription))}` : "";
    const error = clip(redact(callback.error), 60);
    if (error === "access_denied") {
      throw new GenesysAuthError(
        "access_denied",
        `The sign-in was refused at the Genesys login page (access_denied${description}).`,
      );
    }
    throw new GenesysAuthError(
      error === "invalid_scope"
        ? "invalid_scope"
        : error === "unauthorized_client"
          ? "unauthorized_client"
          : "invalid_request",
      `The Genesys login page answered the sign-in with an error (${error}${description}).`,
      {
        hint: "Check the OAuth client: its Grant Type must be Code Authorization, the redirect URI must be registered on it exactly, and the requested scopes must be allowed.",
      },
    );
  }
  if (callback.code === undefined || callback.code === "") {
    throw new GenesysAuthError("invalid_request", "The sign-in answer carries neither a code nor an error.");
  }
  return callback.code;
}

/** Compares two strings in time independent of where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Exchanges a code for tokens: `grant_type=authorization_code` with the verifier, never retried but after a 429. */
export function exchangeCode(
  settings: Settings,
  exchange: { code: string; redirectUri: string; verifier?: string | undefined; client: ClientAuth },
  context: { redact: Redact; onRetry?: RetryListener; signal?: AbortSignal },
): Promise<TokenEntry> {
  const form: Record<string, string> = {
    grant_type: "authorization_code",
    code: exchange.code,
    redirect_uri: exchange.redirectUri,
  };
  if (exchange.verifier !== undefined) form.code_verifier = exchange.verifier;
  return postToken(
    settings,
    { grant: "authorization_code", form, client: exchange.client, retryRateLimitsOnly: true },
    context,
  );
}
