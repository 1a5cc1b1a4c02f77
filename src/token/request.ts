/**
 * One token request: `POST <login>/oauth/token` with the client-credentials grant, through ky with
 * the shared retry policy, its answer validated with valibot.
 *
 * @module
 */
import ky, { HTTPError, TimeoutError } from "ky";
import * as v from "valibot";
import { issuePath, type ResolvedConfig } from "../config.ts";
import { bytesToBase64 } from "../encoding.ts";
import { GenesysAuthError } from "../errors.ts";
import { kyRetryOptions, type RetryListener, tagWithMethod } from "../retry.ts";
import { tokenHttpError } from "./oauth-errors.ts";
import { BearerToken } from "./token.ts";

/** Genesys' longest token lifetime is 48 h; anything past a year is not a real answer. */
const MAX_EXPIRES_IN = 365 * 24 * 3600;

const tokenResponseSchema = v.looseObject(
  {
    access_token: v.pipe(v.string("is not a string"), v.minLength(1, "is empty")),
    token_type: v.pipe(
      v.string("is not a string"),
      v.check((type) => type.toLowerCase() === "bearer", 'is not "bearer"'),
    ),
    expires_in: v.pipe(
      v.number("is not a number"),
      v.finite("is not finite"),
      v.check((seconds) => seconds > 0, "is not positive"),
      v.maxValue(MAX_EXPIRES_IN, "is longer than a year"),
    ),
    scope: v.optional(v.string("is not a string")),
  },
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
 * aborts it (rejecting with the signal's reason).
 *
 * @throws {GenesysAuthError} for every failure but an abort.
 */
export async function requestToken(
  config: ResolvedConfig,
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

  const retry = kyRetryOptions(config.retry, () => true, onRetry);
  let sentAt = config.now();
  let body: string;
  try {
    const response = await ky.post(url, {
      body: form,
      headers,
      fetch: (input, init) =>
        config.fetch(input, init).catch((error: unknown) => {
          throw tagWithMethod(error, "POST");
        }),
      timeout: config.timeoutMs,
      retry,
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
    throw await toTokenError(error, config, url, signal);
  }
  return parseTokenResponse(body, url, sentAt);
}

/** Validates a token endpoint body and builds the token; expiry counts from `sentAt`. */
export function parseTokenResponse(body: string, url: string, sentAt: number): IssuedToken {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GenesysAuthError(
      "invalid_token_response",
      `The token endpoint ${url} answered 2xx with a body that is not JSON (${body.length} bytes).`,
    );
  }
  const result = v.safeParse(tokenResponseSchema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const field = issuePath(issue) ?? "body";
    throw new GenesysAuthError(
      "invalid_token_response",
      `The token endpoint ${url} answered without a usable token: "${field}" ${issue.message}.`,
    );
  }
  const { access_token, expires_in, scope } = result.output;
  const scopes = scope?.split(" ").filter(Boolean);
  return {
    token: new BearerToken(access_token, sentAt + expires_in * 1000, scopes),
    issuedAt: sentAt,
  };
}

/** `fetch failed (ECONNREFUSED)`: the error's message and its cause's code or message. */
export function describeNetworkError(error: unknown): string {
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
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (signal?.aborted) return signal.reason;
  if (error instanceof GenesysAuthError) return error;
  if (error instanceof HTTPError) {
    const body = await error.response.text().catch(() => "");
    return tokenHttpError(
      error.response.status,
      error.response.headers,
      body,
      { url, regionId: config.region.id },
      config.retry.maxRetryAfterSeconds,
    );
  }
  if (error instanceof TimeoutError) {
    return new GenesysAuthError(
      "timeout",
      `Token request to ${url} timed out (timeoutMs: ${config.timeoutMs} per attempt, ${config.retry.limit} retries).`,
    );
  }
  return new GenesysAuthError(
    "network_error",
    `Could not reach the token endpoint ${url}: ${describeNetworkError(error)}.`,
    {
      cause: error,
    },
  );
}
