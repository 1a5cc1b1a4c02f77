/**
 * Every default of the SDK, in one place: the token engine, the grants and the API client all read
 * their defaults here.
 *
 * @module
 */

/** The defaults, in the units the options use. */
export const DEFAULTS = Object.freeze({
  /** The region used when none is given. */
  region: "us-east-1",
  /** Refresh this long before expiry (never more than half the token's lifetime). */
  refreshMarginSeconds: 300,
  /** Deadline of one HTTP attempt, response body included. */
  timeoutMs: 10_000,
  /** Retries after the first attempt (429, 5xx, lost connections). */
  retryLimit: 3,
  /** The longest `Retry-After` honoured; a longer one fails at once. */
  maxRetryAfterSeconds: 60,
  /** A store or lock call slower than this is abandoned and counted as a failure. */
  storeTimeoutMs: 3_000,
  /** How long a signed-in user's session lives in the store without being used (renewed on refresh). */
  sessionTtlSeconds: 30 * 24 * 3600,
});
