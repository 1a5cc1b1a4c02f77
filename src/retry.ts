/**
 * The one retry policy, shared by the token request and the API client and executed by ky's retry
 * engine: 429 for every method (Genesys did not process it), 5xx for idempotent requests only,
 * `Retry-After` honoured up to a cap (past it: give up at once), otherwise exponential backoff with
 * full jitter.
 *
 * @module
 */
import ky, {
  type AfterResponseHook,
  type BeforeRetryHook,
  HTTPError,
  isForceRetryError,
  type RetryOptions,
} from "ky";

/** The part of the retry policy every caller sets. */
export interface RetrySettings {
  /** Retries after the first attempt. */
  readonly limit: number;
  /** The longest `Retry-After` honoured, in seconds. */
  readonly maxRetryAfterSeconds: number;
}

/** What to do with a failed response. */
export type RetryVerdict =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly retryAfterSeconds?: number };

/** Statuses worth retrying: rate limiting and transient server/gateway failures. */
const RETRIED_SERVER_STATUSES = new Set([500, 502, 503, 504]);
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
 * Decides whether a failed response is retried and after how long.
 *
 * @param retryCount retries already made (0 after the first attempt)
 * @param retryable5xx whether a 5xx may be retried (idempotent request)
 */
export function decideRetry(
  status: number,
  retryAfter: string | null,
  retryCount: number,
  retryable5xx: boolean,
  settings: RetrySettings,
  now: number = Date.now(),
): RetryVerdict {
  const retryable = status === 429 || (retryable5xx && RETRIED_SERVER_STATUSES.has(status));
  const seconds = status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : undefined;
  const giveUp: RetryVerdict =
    seconds === undefined ? { retry: false } : { retry: false, retryAfterSeconds: seconds };
  if (!retryable || retryCount >= settings.limit) return giveUp;
  if (seconds !== undefined) {
    return seconds > settings.maxRetryAfterSeconds ? giveUp : { retry: true, delayMs: seconds * 1000 };
  }
  return { retry: true, delayMs: Math.random() * backoffMs(retryCount + 1) };
}

/** Called before each retry the policy schedules. */
export type RetryListener = (attempt: number, delayMs: number, status: number | undefined) => void;

/**
 * ky options that run {@link decideRetry}: an `afterResponse` hook for HTTP statuses and ky's own
 * retry (backoff with full jitter) for lost connections and timeouts of `networkRetryMethods`;
 * `onRetry` hears of both.
 */
export function kyRetryOptions(
  settings: RetrySettings,
  networkRetryMethods: readonly string[],
  isRetryable5xx: (method: string) => boolean,
  onRetry?: RetryListener,
): { retry: RetryOptions; afterResponse: AfterResponseHook; beforeRetry: BeforeRetryHook } {
  const afterResponse: AfterResponseHook = (request, options, response, state) => {
    if (response.ok) return;
    // A request-level `retry` option may lower or raise the limit: ky's normalized value wins.
    const limit = options.retry.limit ?? settings.limit;
    const verdict = decideRetry(
      response.status,
      response.headers.get("retry-after"),
      state.retryCount,
      isRetryable5xx(request.method.toLowerCase()),
      limit === settings.limit ? settings : { limit, maxRetryAfterSeconds: settings.maxRetryAfterSeconds },
    );
    if (!verdict.retry) return;
    onRetry?.(state.retryCount + 1, verdict.delayMs, response.status);
    return ky.retry({ delay: verdict.delayMs });
  };
  let lastNetworkDelay = 0;
  const retry: RetryOptions = {
    limit: settings.limit,
    methods: [...networkRetryMethods],
    statusCodes: [],
    retryOnTimeout: true,
    delay: (attempt) => {
      lastNetworkDelay = Math.random() * backoffMs(attempt);
      return lastNetworkDelay;
    },
  };
  // Status retries were reported by afterResponse; this reports lost connections and timeouts.
  const beforeRetry: BeforeRetryHook = ({ error, retryCount }) => {
    if (!(error instanceof HTTPError) && !isForceRetryError(error))
      onRetry?.(retryCount, lastNetworkDelay, undefined);
  };
  return { retry, afterResponse, beforeRetry };
}
