/**
 * Maps the login host's failure answers to {@link GenesysAuthError}s with hints that name the
 * likely fix (the tutorial's "Common errors").
 *
 * @module
 */
import { parseJsonObject } from "../encoding.ts";
import { ERROR_HINTS, GenesysAuthError, type GenesysAuthErrorCode } from "../errors.ts";
import { clip, type Redact } from "../redact.ts";
import { parseRetryAfter } from "../retry.ts";

/** Where the failed token request went, for messages, and how to redact what the server said. */
export interface TokenEndpoint {
  readonly url: string;
  readonly regionId: string;
  readonly redact: Redact;
}

const OAUTH_CODES: Readonly<Record<string, GenesysAuthErrorCode>> = {
  invalid_client: "invalid_client",
  unauthorized_client: "unauthorized_client",
  invalid_grant: "unauthorized_client",
  unsupported_grant_type: "unauthorized_client",
  invalid_scope: "invalid_scope",
  invalid_request: "invalid_request",
};

/** Server text fit for a message: trimmed, redacted, clipped; undefined when absent or blank. */
function said(value: unknown, redact: Redact): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? clip(redact(value.trim())) : undefined;
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
      hint: "The login host redirected the token request: `loginUrl` or the region points at something that is not Genesys' login host (a proxy, a captive or SSO portal, a URL missing its https:// or with a wrong path). Point it at https://login.<your region's domain>.",
    },
  );
}

/**
 * The error for a non-2xx answer of the token endpoint.
 *
 * @param body the response body as text (an OAuth error body never holds a token or the secret)
 */
export function tokenHttpError(
  status: number,
  headers: Headers,
  body: string,
  endpoint: TokenEndpoint,
  maxRetryAfterSeconds: number,
): GenesysAuthError {
  const { redact } = endpoint;
  const json = parseJsonObject(body);
  const oauthError = said(json?.error, redact);
  const description =
    said(json?.error_description, redact) ?? said(json?.description, redact) ?? said(json?.message, redact);
  const correlationId = said(headers.get("inin-correlation-id") ?? json?.contextId, redact);
  const details = { status, ...(correlationId ? { correlationId } : {}) };
  const answer = `${oauthError ?? `HTTP ${status}`}${description ? `: ${description}` : ""}`;

  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers.get("retry-after"));
    const wait =
      retryAfterSeconds === undefined
        ? ""
        : ` Genesys asked to wait ${retryAfterSeconds} s${retryAfterSeconds > maxRetryAfterSeconds ? `, more than retry.maxRetryAfterSeconds (${maxRetryAfterSeconds} s)` : ""}.`;
    return new GenesysAuthError("rate_limited", `Token request rate limited (429).${wait}`, {
      ...details,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  const code = oauthError && Object.hasOwn(OAUTH_CODES, oauthError) ? OAUTH_CODES[oauthError] : undefined;
  if (code === "invalid_client" || (code === undefined && status === 401)) {
    const notFound = /not found/i.test(description ?? "");
    return new GenesysAuthError(
      "invalid_client",
      `Genesys rejected the client credentials at ${endpoint.url} (${answer}).`,
      {
        ...details,
        hint: notFound
          ? `The client id is unknown in region ${endpoint.regionId}. An OAuth client exists in exactly one region: set the region it was created in (the org's login URL tells: login.mypurecloud.ie is eu-west-1, login.mypurecloud.de is eu-central-1, ...), and check the id has no typo or stray space. \`genesys-cloud-auth doctor\` finds the region for you.`
          : ERROR_HINTS.invalid_client,
      },
    );
  }
  if (code !== undefined) {
    return new GenesysAuthError(code, `Token request refused (${answer}).`, details);
  }
  if (status === 404 || status === 405) {
    return new GenesysAuthError("invalid_config", `No token endpoint at ${endpoint.url} (HTTP ${status}).`, {
      ...details,
      hint: "Check `loginUrl`/region: the token endpoint is https://login.<domain>/oauth/token.",
    });
  }
  if (status >= 500) {
    return new GenesysAuthError("server_error", `Genesys login host failed (${answer}).`, details);
  }
  return new GenesysAuthError(
    "server_error",
    `Unexpected answer from the token endpoint (${answer}).`,
    details,
  );
}
