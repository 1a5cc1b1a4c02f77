/**
 * The storage contracts: a {@link TokenStore} shares tokens between instances, a {@link TokenLock}
 * makes one instance fetch while the others wait.
 *
 * @module
 */

/**
 * A shared key-value store for tokens (Deno KV, Workers KV, Redis, a Durable Object, memory).
 *
 * Rules for implementers:
 * - Values are opaque strings (by default an encrypted envelope); store and return them unchanged.
 * - `ttlMs` is a cleanup hint only: the SDK checks each entry's own expiry, so a store may keep an
 *   entry longer (Deno KV's lazy `expireIn`) or round the TTL up (Workers KV's 60 s minimum).
 * - Throwing, timing out or returning garbage never breaks `getToken()`: it is reported through
 *   `onEvent` and treated as a miss.
 */
export interface TokenStore {
  /** The value stored under `key`, or `null`/`undefined` when there is none. */
  get(key: string): Promise<string | null | undefined>;
  /** Stores `value` under `key`; `ttlMs` is how long it is useful. */
  set(key: string, value: string, options: { ttlMs: number }): Promise<void>;
  /** Removes `key` (used by `invalidate()`); optional. */
  delete?(key: string): Promise<void>;
}

/** A held lock; release it when done (releasing an expired or stolen lock is a no-op). */
export interface HeldLock {
  /** Releases the lock if this holder still owns it. */
  release(): Promise<void>;
}

/**
 * A lease-based mutual exclusion lock shared by instances, so that one of them fetches a token while
 * the others poll the store. A lease ends by itself after `ttlMs` even if never released.
 */
export interface TokenLock {
  /** Takes the lock `name` for `ttlMs`, or answers `null` at once when someone else holds it. */
  tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null>;
}

/**
 * Marks a {@link TokenStore} whose `get()` may itself fetch a token (a token broker): the SDK then
 * waits for it as long as a token request may take, instead of the few seconds a store read gets.
 * @internal
 */
export const BROKER = Symbol.for("genesys-cloud-auth.broker");
