/**
 * One POST to `<login>/oauth/token`, for any grant: the grant's form fields and the client's
 * authentication go in, a validated {@link TokenEntry} comes out. Sent through ky with the shared
 * retry policy and the credential transport (no redirects, one deadline over headers and body,
 * bounded body); every failure is a {@link GenesysAuthError} with its server text redacted.
 *
 * @module
 */
import ky, { HTTPError, TimeoutError } from "ky";
import { bytesToBase64 } from "../encoding.ts";
import { GenesysAuthError, plainError } from "../errors.ts";
import { clip, type Redact, redactor } from "../redact.ts";
import { kyRetryOptions, type RetryListener } from "../retry.ts";
import { exchange, isRedirect, UNINHERITED } from "../transport.ts";
import type { TokenEntry } from "./entry.ts";
import { type GrantKind, redirectError, tokenHttpError } from "./oauth-error.ts";
import type { Settings } from "./options.ts";
import { parseTokenResponse } from "./response.ts";

/** How the client authenticates: Basic (default), id and secret in the form, or a public client's id. */
export type ClientAuth =
  | { readonly method: "basic" | "body"; readonly id: string; readonly secret: string }
  | { readonly method: "none"; readonly id: string };

/** One token request. */
export interface TokenRequest {
  /** Which grant, for error hints. */
  readonly grant: GrantKind;
  /** The grant's form fields, `grant_type` first (client credentials are added from `client`). */
  readonly form: Readonly<Record<string, string>>;
  readonly client: ClientAuth;
  /**
   * Retry after a 429 only (Genesys did not process it): for grants that present something single-use
   * (a code, a rotating refresh token, a one-time assertion), which a retry after a timeout, a 5xx
   * or a lost answer might present twice.
   */
  readonly retryRateLimitsOnly?: boolean;
}

/** Form fields that are not credentials (everything else is redacted from server text). */
const PUBLIC_FIELDS = new Set(["grant_type", "scope", "client_id", "redirect_uri", "orgName"]);

/** `Basic base64(id:secret)`, as every official SDK sends it (UTF-8, not percent-encoded). */
export function basicValue(id: string, secret: string): string {
  return `Basic ${bytesToBase64(new TextEncoder().encode(`${id}:${secret}`))}`;
}

/**
 * Requests a token. The caller's `signal` aborts it (rejecting with the signal's reason).
 *
 * @throws {GenesysAuthError} for every failure but an abort.
 */
export async function postToken(
  settings: Settings,
  request: TokenRequest,
  context: { redact: Redact; signal?: AbortSignal | undefined; onRetry?: RetryListener | undefined },
): Promise<TokenEntry> {
  const { client, grant } = request;
  const url = `${settings.loginUrl}/oauth/token`;
  const form = new URLSearchParams(request.form);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  if (client.method === "basic") headers.authorization = basicValue(client.id, client.secret);
  else form.set("client_id", client.id);
  if (client.method === "body") form.set("client_secret", client.secret);
  const sensitive = Object.entries(request.form)
    .filter(([name]) => !PUBLIC_FIELDS.has(name))
    .map(([, value]) => value);
  const formRedact = redactor(() => sensitive);
  const redact: Redact = (text) => context.redact(formRedact(text));

  let sentAt = settings.now();
  let body: string;
  try {
    const response = await ky.post(url, {
      ...UNINHERITED,
      body: form,
      headers,
      // Set here so that ky never reads an inherited (polluted) value for where and what it sends.
      prefixUrl: "",
      searchParams: undefined,
      json: undefined,
      redirect: "manual",
      timeout: false, // the transport's deadline covers headers and body
      fetch: (input, init) =>
        exchange(settings.fetch, input as Request, init, { timeoutMs: settings.timeoutMs, body: "buffer" }),
      retry: kyRetryOptions(settings.retry, () => request.retryRateLimitsOnly !== true, context.onRetry),
      ...(context.signal ? { signal: context.signal } : {}),
      hooks: {
        beforeRequest: [
          () => {
            sentAt = settings.now();
          },
        ],
      },
    });
    body = await response.text();
  } catch (error) {
    throw await toTokenError(error, settings, url, grant, redact, context.signal);
  }
  return parseTokenResponse(body, url, sentAt);
}

async function toTokenError(
  error: unknown,
  settings: Settings,
  url: string,
  grant: GrantKind,
  redact: Redact,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal?.aborted) return signal.reason;
  if (error instanceof GenesysAuthError) return error;
  if (error instanceof HTTPError) {
    const { response } = error;
    if (isRedirect(response)) {
      return redirectError(response, url, redact);
    }
    const body = await response.text().catch(() => "");
    return tokenHttpError(response.status, response.headers, body, {
      url,
      regionId: settings.region.id,
      grant,
      redact,
      maxRetryAfterSeconds: settings.retry.maxRetryAfterSeconds,
    });
  }
  if (error instanceof TimeoutError) {
    return new GenesysAuthError(
      "timeout",
      `Token request to ${url} timed out (timeoutMs: ${settings.timeoutMs} per attempt, headers and body, ${settings.retry.limit} retries).`,
    );
  }
  // The cause is a plain copy: a custom fetch's error may carry the request, headers included.
  const cause = plainError(error, redact);
  return new GenesysAuthError(
    "network_error",
    `Could not reach the token endpoint ${url}: ${clip(cause.message)}.`,
    {
      cause,
    },
  );
}
