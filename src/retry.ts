/**
 * The one retry policy, shared by the token request and the API client and executed by ky's retry
 * engine (no hooks, so a successful response is never cloned): 429 for every method (Genesys did not process it), 5xx for idempotent requests only,
 * `Retry-After` honoured up to a cap (past it: give up at once), otherwise exponential backoff with
 * full jitter.
 *
 * @module
 */
import { HTTPError, type RetryOptions } from "ky";
import { DEFAULTS } from "./defaults.ts";
import { methodOf } from "./transport.ts";

/** The part of the retry policy every caller sets. */
export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly limit: number;
  /** The longest `Retry-After` honoured, in seconds. */
  readonly maxRetryAfterSeconds: number;
}

/** A retry policy as given (either part may be missing), with the defaults filled in. */
export function retrySettingsOf(policy?: Partial<RetrySettings>): RetrySettings {
  return {
    limit: policy?.limit ?? DEFAULTS.retryLimit,
    maxRetryAfterSeconds: policy?.maxRetryAfterSeconds ?? DEFAULTS.maxRetryAfterSeconds,
  };
}

/** What to do with a failed response: give up, or retry after `retryAfterSeconds` (else backoff). */
export interface RetryVerdict {
  readonly retry: boolean;
  /** The `Retry-After` Genesys sent, when it was readable. */
  readonly retryAfterSeconds?: number;
}

/** Server and gateway failures worth retrying (idempotent methods only). */
const RETRIED_SERVER_STATUSES = [500, 502, 503, 504];
/** The statuses whose `Retry-After` Genesys means: rate limiting and maintenance. */
export const RETRY_AFTER_STATUSES: readonly number[] = [429, 503];
/** Methods safe to repeat after a server error or a lost connection. */
export const IDEMPOTENT_METHODS: readonly string[] = ["get", "head", "put", "delete", "options", "trace"];

const BACKOFF_BASE_MS = 500;
const BACKOFF_LIMIT_MS = 30_000;

/**
 * Parses a `Retry-After` value: delta-seconds (`"120"`) or an HTTP date. Answers whole seconds
 * from `now` (a past date is 0), or `undefined` for a missing, negative or unreadable value.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) ? Math.ceil(seconds) : undefined;
  }
  // An HTTP date always names a weekday or month; a bare number is never read as a date.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Exponential backoff without jitter for the `attempt`-th retry (1-based): 0.5 s, 1 s, 2 s … 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_LIMIT_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Decides whether a failed response is retried: 429 always, 5xx when `retryable5xx` (idempotent
 * requests), within `settings.limit`; a `Retry-After` past `settings.maxRetryAfterSeconds` gives up
 * at once. A retry with `retryAfterSeconds` waits that long, one without it backs off with jitter.
 *
 * @param retryCount retries already made (0 after the first attempt)
 */
export function decideRetry(
  status: number,
  retryAfter: string | null,
  retryCount: number,
  retryable5xx: boolean,
  settings: RetrySettings,
  now: number = Date.now(),
): RetryVerdict {
  const seconds = RETRY_AFTER_STATUSES.includes(status) ? parseRetryAfter(retryAfter, now) : undefined;
  const retryable = status === 429 || (retryable5xx && RETRIED_SERVER_STATUSES.includes(status));
  const retry =
    retryable &&
    retryCount < settings.limit &&
    (seconds === undefined || seconds <= settings.maxRetryAfterSeconds);
  return seconds === undefined ? { retry } : { retry, retryAfterSeconds: seconds };
}

/** Called before each retry: the attempt number, the `Retry-After` wait if any, the status if any. */
export type RetryListener = (
  attempt: number,
  delayMs: number | undefined,
  status: number | undefined,
) => void;

/**
 * ky `retry` options running {@link decideRetry} through ky's own engine: ky honours `Retry-After`
 * (seconds or HTTP date) when the verdict has one, otherwise backs off exponentially with full jitter.
 * Lost connections and timeouts are retried when `retryable(method)` says the request may be repeated.
 */
export function kyRetryOptions(
  settings: RetrySettings,
  retryable: (method: string) => boolean,
  onRetry?: RetryListener,
): RetryOptions {
  return {
    limit: settings.limit,
    methods: [...IDEMPOTENT_METHODS, "post", "patch"], // shouldRetry decides per method
    statusCodes: [429, ...RETRIED_SERVER_STATUSES],
    afterStatusCodes: [...RETRY_AFTER_STATUSES],
    maxRetryAfter: settings.maxRetryAfterSeconds * 1000,
    retryOnTimeout: true,
    delay: backoffMs,
    jitter: true,
    shouldRetry: ({ error, retryCount }) => {
      if (error instanceof HTTPError) {
        const { response, request } = error;
        const verdict = decideRetry(
          response.status,
          response.headers.get("retry-after"),
          retryCount - 1,
          retryable(request.method.toLowerCase()),
          { limit: Number.POSITIVE_INFINITY, maxRetryAfterSeconds: settings.maxRetryAfterSeconds }, // ky enforces the limit
        );
        if (!verdict.retry) return false;
        const wait = verdict.retryAfterSeconds;
        onRetry?.(retryCount, wait === undefined ? undefined : wait * 1000, response.status);
        return wait === undefined ? true : undefined; // undefined: ky waits out the Retry-After itself
      }
      const method = methodOf(error);
      if (method === undefined || !retryable(method.toLowerCase())) return false;
      onRetry?.(retryCount, undefined, undefined);
      return true;
    },
  };
}
