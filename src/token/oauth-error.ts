/**
 * Maps the login host's failure answers to {@link GenesysAuthError}s with hints that name the likely
 * fix for the grant at hand: the OAuth error body, redirects, rate limits and server failures.
 *
 * @module
 */
import { ERROR_HINTS, GenesysAuthError, type GenesysAuthErrorCode } from "../errors.ts";
import { readFailure } from "../failure.ts";
import { clip, type Redact } from "../redact.ts";

/** The grants the SDK requests tokens with. */
export type GrantKind = "client_credentials" | "authorization_code" | "refresh_token" | "saml2_bearer";

/** Where the failed token request went and for which grant, for messages and hints. */
export interface TokenEndpoint {
  readonly url: string;
  readonly regionId: string;
  readonly grant: GrantKind;
  readonly redact: Redact;
  readonly maxRetryAfterSeconds: number;
}

/** The grant type as the admin UI names it (Admin > Integrations > OAuth > Grant Types). */
const GRANT_NAMES: Readonly<Record<GrantKind, string>> = {
  client_credentials: "Client Credentials",
  authorization_code: "Code Authorization",
  refresh_token: "Code Authorization",
  saml2_bearer: "SAML2 Bearer",
};

/** Why an `invalid_grant` answer refused what was presented, by grant. */
const INVALID_GRANT_HINTS: Readonly<Record<Exclude<GrantKind, "client_credentials">, string>> = {
  authorization_code:
    "The authorization code was refused. The redirect URI must match the one registered on the OAuth client exactly (scheme, host, port, path), a code can be exchanged once and only within 60 seconds, and the PKCE code_verifier must be the one whose challenge started the sign-in. Start the sign-in again.",
  refresh_token:
    "The refresh token was refused: it was already used (refresh tokens rotate), or revoked because the user signed out, changed their password or an admin revoked their tokens. Sign the user in again.",
  saml2_bearer:
    "The SAML assertion was refused: check `orgName`, that the assertion is signed by the identity provider configured for the organization, is addressed to Genesys Cloud and is still valid, and that its subject is a user of the organization.",
};

const OAUTH_CODES: Readonly<Record<string, GenesysAuthErrorCode>> = {
  invalid_client: "invalid_client",
  unauthorized_client: "unauthorized_client",
  unsupported_grant_type: "unauthorized_client",
  invalid_grant: "invalid_grant",
  invalid_scope: "invalid_scope",
  invalid_request: "invalid_request",
  access_denied: "access_denied",
};

/** Errors that report a client id unknown to the region's login host ("client not found"). */
const unknownClients = new WeakSet<GenesysAuthError>();

/** True when `error` says the client id is unknown to this region's login host ("client not found"). */
export function isUnknownClient(error: unknown): boolean {
  return error instanceof GenesysAuthError && unknownClients.has(error);
}

/**
 * The error for a redirect from the token endpoint. Credentials never follow a redirect: the
 * target's origin is named for the administrator, nothing is sent there.
 */
export function redirectError(response: Response, url: string, redact: Redact): GenesysAuthError {
  let target = "an unnamed location";
  try {
    const location = response.headers.get("location");
    if (location) target = new URL(location, url).origin;
  } catch {
    // an unreadable Location: name none
  }
  return new GenesysAuthError(
    "invalid_token_response",
    `The token endpoint ${url} answered ${response.status || "a redirect"} (to ${clip(redact(target), 200)}); credentials never follow a redirect, so nothing was sent there.`,
    {
      status: response.status,
      hint: "The login host redirected the token request: `loginUrl` or the region points at something that is not Genesys' login host (a proxy, a captive or SSO portal, a URL with a wrong path). Point it at https://login.<your region's domain>.",
    },
  );
}

/**
 * The error for a non-2xx answer of the token endpoint.
 *
 * @param body the response body as text (at most 64 KB); server text is redacted and clipped
 */
export function tokenHttpError(
  status: number,
  headers: Headers,
  body: string,
  endpoint: TokenEndpoint,
): GenesysAuthError {
  const failure = readFailure(status, headers, body, endpoint.redact, endpoint.maxRetryAfterSeconds);
  const { json, said, correlationId, retryAfterSeconds } = failure;
  const oauthError = said(json?.error);
  const description = said(json?.error_description) ?? said(json?.description) ?? said(json?.message);
  const details = { status, ...(correlationId ? { correlationId } : {}) };
  const answer = `${oauthError ?? `HTTP ${status}`}${description ? `: ${description}` : ""}`;

  if (status === 429) {
    return new GenesysAuthError("rate_limited", `Token request rate limited (429)${failure.waitText}.`, {
      ...details,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  let code = oauthError && Object.hasOwn(OAUTH_CODES, oauthError) ? OAUTH_CODES[oauthError] : undefined;
  // For client credentials, Genesys answers invalid_grant when the grant type is not enabled.
  if (code === "invalid_grant" && endpoint.grant === "client_credentials") code = "unauthorized_client";
  if (code === "invalid_client" || (code === undefined && status === 401)) {
    const notFound = /not found/i.test(description ?? "");
    const error = new GenesysAuthError(
      "invalid_client",
      `Genesys rejected the client credentials at ${endpoint.url} (${answer}).`,
      {
        ...details,
        hint: notFound
          ? `The client id is unknown in region ${endpoint.regionId}. An OAuth client exists in exactly one region: set the region it was created in (the org's login URL tells: login.mypurecloud.ie is eu-west-1, login.mypurecloud.de is eu-central-1, ...), and check the id has no typo or stray space. \`genesys-cloud-auth doctor\` finds the region for you.`
          : ERROR_HINTS.invalid_client,
      },
    );
    if (notFound) unknownClients.add(error);
    return error;
  }
  if (code === "unauthorized_client") {
    return new GenesysAuthError(code, `Token request refused (${answer}).`, {
      ...details,
      hint: `The OAuth client may not use this grant: in Admin > Integrations > OAuth (Admin > Security > OAuth Clients in older menus) open the client and set its Grant Type to ${GRANT_NAMES[endpoint.grant]}.`,
    });
  }
  if (code === "invalid_grant") {
    const grant = endpoint.grant as Exclude<GrantKind, "client_credentials">;
    return new GenesysAuthError(code, `Token request refused (${answer}).`, {
      ...details,
      hint: INVALID_GRANT_HINTS[grant],
    });
  }
  if (code !== undefined) return new GenesysAuthError(code, `Token request refused (${answer}).`, details);
  if (status === 404 || status === 405) {
    return new GenesysAuthError("invalid_config", `No token endpoint at ${endpoint.url} (HTTP ${status}).`, {
      ...details,
      hint: "Check `loginUrl`/region: the token endpoint is https://login.<domain>/oauth/token.",
    });
  }
  const what = status >= 500 ? "Genesys login host failed" : "Unexpected answer from the token endpoint";
  return new GenesysAuthError("server_error", `${what} (${answer}).`, details);
}
