/**
 * The shared protocol: how an engine with a store gets a token. The store first; then, with a lock,
 * one instance fetches while the others poll the store (waits on the monotonic clock); the holder
 * reads the store again before it fetches (double-checked) and writes before it releases. A grant
 * that renews with a refresh token never renews without the lock: a waiter whose holder vanished
 * takes the lock again, under one overall deadline.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import { monotonic, sleep } from "../wait.ts";
import type { TokenEntry } from "./entry.ts";
import type { AuthEvent } from "./events.ts";
import type { SharedLayer } from "./shared.ts";

/** What the protocol needs from the engine. */
export interface ProtocolHooks {
  /** Whether the grant renews with refresh tokens (one renewal at a time across the fleet). */
  readonly exclusive: boolean;
  /** An entry that may be served: fresh, issued no earlier than `minIssuedAt`, not refused. */
  usable(entry: TokenEntry | null | undefined, minIssuedAt: number): entry is TokenEntry;
  /** The grant's next token, from the previous entry (when it holds a refresh token) or from nothing. */
  next(previous: TokenEntry | null): Promise<TokenEntry>;
  /** The entry this instance holds in memory, if any. */
  held(): TokenEntry | undefined;
  /** How long to keep `entry` in the store. */
  ttlMs(entry: TokenEntry): number;
  /** Hands a background write to `waitUntil`; false when there is none (then the write is awaited). */
  handOff(promise: Promise<unknown>): boolean;
  emit(event: AuthEvent): void;
  now(): number;
}

/** A `produce(forced)` for `layer`: see the module comment. */
export function sharedProtocol(
  layer: SharedLayer,
  hooks: ProtocolHooks,
): (forced: boolean) => Promise<TokenEntry> {
  const { exclusive, usable, next, emit } = hooks;

  /**
   * The stored entry (null: none). For an exclusive grant a store that cannot be read is an error:
   * renewing from memory could spend a refresh token another instance already replaced.
   */
  const read = async (): Promise<TokenEntry | null> => {
    const stored = await layer.read();
    if (stored !== undefined || !exclusive) return stored ?? null;
    throw new GenesysAuthError(
      "server_error",
      "The session store could not be read (see the store_error event).",
      {
        hint: "The user's session lives in the configured store: check its backend (Redis, Deno KV, KV) and retry. The session is kept.",
      },
    );
  };

  /**
   * What to renew from: the stored entry, unless this instance holds a newer one — a write that
   * failed after a rotation left the store behind, and its refresh token is already spent.
   */
  const previous = (stored: TokenEntry | null): TokenEntry | null => {
    const held = hooks.held();
    return exclusive && held !== undefined && (stored === null || held.issuedAt > stored.issuedAt)
      ? held
      : stored;
  };

  /** Writes `entry`, in the background through `waitUntil` unless `wait` (then before answering). */
  const keep = async (entry: TokenEntry, wait: boolean): Promise<TokenEntry> => {
    const written = layer.write(entry, hooks.ttlMs(entry));
    if (wait || !hooks.handOff(written)) await written;
    return entry;
  };

  /** Polls the store until a usable entry appears or the holder's lease must have ended. */
  const poll = async (minIssuedAt: number): Promise<TokenEntry | undefined> => {
    const started = monotonic();
    let interval = 25;
    let found: TokenEntry | undefined;
    while (found === undefined && monotonic() - started < layer.leaseMs) {
      await sleep(interval);
      interval = Math.min(500, interval * 2);
      const stored = await layer.read();
      if (usable(stored, minIssuedAt)) found = stored;
    }
    emit({ type: "lock_wait", waitedMs: Math.round(monotonic() - started) });
    return found;
  };

  return async (forced) => {
    const minIssuedAt = forced ? hooks.now() : 0;
    const first = await read();
    if (!forced && usable(first, minIssuedAt)) {
      emit({ type: "cache_hit", source: "store", expiresAt: first.token.expiresAt });
      return first;
    }
    if (!layer.locking) return keep(await next(previous(first)), false);
    const deadline = monotonic() + 2 * layer.leaseMs;
    for (;;) {
      const held = await layer.acquire();
      if (held === undefined) {
        if (exclusive) {
          throw new GenesysAuthError(
            "server_error",
            "The session's refresh lock could not be taken (see the store_error event).",
            {
              hint: "Renewing without the lock could spend a single-use refresh token twice and sign the user out. Check the lock's backend (Redis, Deno KV) and retry.",
            },
          );
        }
        return keep(await next(previous(first)), false); // no usable lock: fetch without one
      }
      if (held === null) {
        const polled = await poll(minIssuedAt);
        if (polled !== undefined) return polled;
        if (!exclusive) return keep(await next(previous(first)), true); // the holder vanished: fetch without the lock
        if (monotonic() >= deadline) {
          throw new GenesysAuthError(
            "timeout",
            "Another instance held the session's refresh lock for too long.",
            {
              hint: "An instance renewing this session stopped answering, or the lock's store is slow. Retry; if it persists, check the store and lock backends.",
            },
          );
        }
        continue; // take the lock again, then read the store again
      }
      try {
        const again = await read(); // another instance may have stored a token since (double-checked)
        if (usable(again, minIssuedAt)) return again;
        return await keep(await next(previous(again)), true);
      } finally {
        await layer.release(held);
      }
    }
  };
}
