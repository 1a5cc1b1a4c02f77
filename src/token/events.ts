/**
 * What `onEvent` receives: observations of the token lifecycle. Events never carry the client
 * secret, a token, a code or a verifier.
 *
 * @module
 */
import type { GenesysAuthError } from "../errors.ts";

/** Why a token is being fetched. */
export type RefreshReason = "missing" | "expiring" | "expired" | "forced";

/** Which store or lock call failed. */
export type StoreOperation = "get" | "set" | "delete" | "lock" | "decode";

/** Everything an auth reports through `onEvent`. */
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
  | { readonly type: "store_error"; readonly operation: StoreOperation; readonly error: unknown }
  /**
   * `waitUntil` threw (e.g. a Worker's request context has ended); the background work runs anyway.
   * `error` keeps the failure's message only.
   */
  | { readonly type: "wait_until_error"; readonly error: Error }
  /** Another instance holds the refresh lock; this one waited for the token to appear in the store. */
  | { readonly type: "lock_wait"; readonly waitedMs: number }
  /** `invalidate()` dropped the cached token. */
  | { readonly type: "invalidated" }
  /**
   * A user's token that cannot be renewed (browser sign-in: Genesys gives PKCE clients no refresh
   * token) is inside the refresh margin: prompt the user to sign in again before `expiresAt`.
   */
  | { readonly type: "expiring"; readonly expiresAt: number }
  /** A user signed in (browser: after the redirect or popup; server: after `flow.exchange`). */
  | { readonly type: "signed_in"; readonly expiresAt: number }
  /** A user signed out (`signOut`), or their session was ended. */
  | { readonly type: "signed_out" }
  /** There is no usable user token: the session ended, expired or was refused; sign in again. */
  | { readonly type: "login_required"; readonly reason: "missing" | "expired" | "refused" };

/** A listener for {@link AuthEvent}s. */
export type AuthEventListener = (event: AuthEvent) => void;
