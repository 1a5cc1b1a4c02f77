/**
 * One token request: `POST <login>/oauth/token` with the client-credentials grant, through ky with
 * the shared retry policy and the credential transport (no redirects, one deadline over headers and
 * body, bounded body), its answer validated with valibot.
 *
 * @module
 */
import ky, { HTTPError, TimeoutError } from "ky";
import * as v from "valibot";
import type { ResolvedConfig } from "../config.ts";
import { bytesToBase64 } from "../encoding.ts";
import { GenesysAuthError } from "../errors.ts";
import { clip, type Redact } from "../redact.ts";
import { kyRetryOptions, type RetryListener } from "../retry.ts";
import { exchange } from "../transport.ts";
import { issuePath, parseOwn, shape } from "../validation.ts";
import { redirectError, tokenHttpError } from "./oauth-errors.ts";
import { BearerToken } from "./token.ts";

/** Genesys' longest token lifetime is 48 h; anything past a year is not a real answer. */
const MAX_EXPIRES_IN = 365 * 24 * 3600;
/** Genesys' shortest is 300 s; a token living under 10 s would cost a request per call. */
const MIN_EXPIRES_IN = 10;

const tokenResponseSchema = v.looseObject(
  shape({
    access_token: v.pipe(
      v.string("is not a string"),
      v.check((token) => /^[\x21-\x7e]+$/.test(token), "is empty or holds characters a bearer token cannot"),
    ),
    token_type: v.pipe(
      v.string("is not a string"),
      v.check((type) => type.toLowerCase() === "bearer", 'is not "bearer"'),
    ),
    expires_in: v.pipe(
      v.number("is not a number"),
      v.check((seconds) => seconds >= MIN_EXPIRES_IN, `is under ${MIN_EXPIRES_IN} seconds`),
      v.maxValue(MAX_EXPIRES_IN, "is longer than a year"),
    ),
    scope: v.optional(v.string("is not a string")),
  }),
  (issue) => (issue.path?.length ? "is missing" : "is not a JSON object"),
);

/** A freshly issued token and when it was requested. */
export interface IssuedToken {
  readonly token: BearerToken;
  /** When the successful attempt was sent (epoch ms): the token cannot be older. */
  readonly issuedAt: number;
}

/**
 * Requests a token. Retries 429/5xx/lost connections per `config.retry`; the caller's `signal`
 * aborts it (rejecting with the signal's reason). Server text in errors passes through `redact`.
 *
 * @throws {GenesysAuthError} for every failure but an abort.
 */
export async function requestToken(
  config: ResolvedConfig,
  redact: Redact,
  signal?: AbortSignal,
  onRetry?: RetryListener,
): Promise<IssuedToken> {
  const url = `${config.loginUrl}/oauth/token`;
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  if (config.clientAuthentication === "basic") {
    headers.authorization = `Basic ${bytesToBase64(new TextEncoder().encode(`${config.clientId}:${config.clientSecret}`))}`;
  } else {
    form.set("client_id", config.clientId);
    form.set("client_secret", config.clientSecret);
  }
  if (config.scopes) form.set("scope", config.scopes.join(" "));

  let sentAt = config.now();
  let body: string;
  try {
    const response = await ky.post(url, {
      body: form,
      headers,
      // Set here so that ky never reads an inherited (polluted) value for where and what it sends.
      prefixUrl: "",
      searchParams: undefined,
      json: undefined,
      redirect: "manual",
      timeout: false, // the transport's deadline covers headers and body
      fetch: (input, init) =>
        exchange(config.fetch, input as Request, init, { timeoutMs: config.timeoutMs, body: "buffer" }),
      retry: kyRetryOptions(config.retry, () => true, onRetry),
      ...(signal ? { signal } : {}),
      hooks: {
        beforeRequest: [
          () => {
            sentAt = config.now();
          },
        ],
      },
    });
    body = await response.text();
  } catch (error) {
    throw await toTokenError(error, config, url, redact, signal);
  }
  return parseTokenResponse(body, url, sentAt);
}

/** Validates a token endpoint body and builds the token; expiry counts from `sentAt`. */
function parseTokenResponse(body: string, url: string, sentAt: number): IssuedToken {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GenesysAuthError(
      "invalid_token_response",
      `The token endpoint ${url} answered 2xx with a body that is not JSON (${body.length} bytes read).`,
    );
  }
  const result = parseOwn(tokenResponseSchema, json);
  if (!result.ok) {
    const issue = result.issues[0] as v.BaseIssue<unknown>;
    const field = issuePath(issue) ?? "body";
    throw new GenesysAuthError(
      "invalid_token_response",
      `The token endpoint ${url} answered without a usable token: "${field}" ${issue.message}.`,
    );
  }
  const { access_token, expires_in, scope } = result.value;
  const scopes = scope?.split(" ").filter(Boolean);
  return {
    token: new BearerToken(access_token, sentAt + expires_in * 1000, scopes),
    issuedAt: sentAt,
  };
}

/** `fetch failed (ECONNREFUSED)`: the error's message and its cause's code or message. */
function describeNetworkError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : "";
  return detail && !message.includes(detail) ? `${message} (${detail})` : message;
}

async function toTokenError(
  error: unknown,
  config: ResolvedConfig,
  url: string,
  redact: Redact,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal?.aborted) return signal.reason;
  if (error instanceof GenesysAuthError) return error;
  if (error instanceof HTTPError) {
    const { response } = error;
    if ((response.status >= 300 && response.status < 400) || response.type === "opaqueredirect") {
      return redirectError(response, url, redact);
    }
    const body = await response.text().catch(() => "");
    return tokenHttpError(
      response.status,
      response.headers,
      body,
      { url, regionId: config.region.id, redact },
      config.retry.maxRetryAfterSeconds,
    );
  }
  if (error instanceof TimeoutError) {
    return new GenesysAuthError(
      "timeout",
      `Token request to ${url} timed out (timeoutMs: ${config.timeoutMs} per attempt, headers and body, ${config.retry.limit} retries).`,
    );
  }
  // The cause is a plain copy: a custom fetch's error may carry the request, headers included.
  const detail = clip(redact(describeNetworkError(error)));
  const cause = new Error(detail);
  cause.name = error instanceof Error ? error.name : "Error";
  return new GenesysAuthError("network_error", `Could not reach the token endpoint ${url}: ${detail}.`, {
    cause,
  });
}
