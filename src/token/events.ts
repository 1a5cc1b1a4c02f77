/**
 * What `onEvent` receives: observations of the token lifecycle. Events never carry the client
 * secret or an access token.
 *
 * @module
 */
import type { GenesysAuthError } from "../errors.ts";

/** Why a token is being fetched. */
export type RefreshReason = "missing" | "expiring" | "expired" | "forced";

/** Everything `createAuth` reports through `onEvent`. */
export type AuthEvent =
  /** A token was served from memory or from the shared store. */
  | { readonly type: "cache_hit"; readonly source: "memory" | "store"; readonly expiresAt: number }
  /** A token fetch starts (`background`: callers are being served the current token meanwhile). */
  | { readonly type: "refresh"; readonly reason: RefreshReason; readonly background: boolean }
  /** The token endpoint issued a token. */
  | { readonly type: "token_fetched"; readonly expiresAt: number; readonly durationMs: number }
  /**
   * A token request attempt failed and will be retried: after `delayMs` when Genesys sent a
   * `Retry-After`, otherwise after an exponential backoff with jitter.
   */
  | {
      readonly type: "retry";
      readonly attempt: number;
      readonly delayMs?: number;
      readonly status?: number;
    }
  /** A background refresh failed; callers keep the current token until it expires. */
  | { readonly type: "refresh_failed"; readonly error: GenesysAuthError }
  /**
   * The shared store or lock failed, or held an unusable entry; it was skipped. `error` keeps the
   * failure's name and message only (never the client's error object, which may hold arguments).
   */
  | {
      readonly type: "store_error";
      readonly operation: "get" | "set" | "delete" | "lock" | "decode";
      readonly error: unknown;
    }
  /**
   * `waitUntil` threw (e.g. a Worker's request context has ended); the background work runs anyway.
   * `error` keeps the failure's message only.
   */
  | { readonly type: "wait_until_error"; readonly error: Error }
  /** Another instance holds the refresh lock; this one waits for the token to appear in the store. */
  | { readonly type: "lock_wait"; readonly waitedMs: number }
  /** `invalidate()` dropped the cached token. */
  | { readonly type: "invalidated" };

/** A listener for {@link AuthEvent}s. */
export type AuthEventListener = (event: AuthEvent) => void;
