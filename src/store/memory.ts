/**
 * The in-process store and lock: share one token between several `createAuth` instances of one
 * process, and the reference implementation of the two contracts.
 *
 * @module
 */
import { ownProperties } from "../validation.ts";
import type { HeldLock, TokenLock, TokenStore } from "./types.ts";

/** Marks stores whose entries never leave the process (no at-rest encryption by default). */
export const IN_PROCESS = Symbol.for("genesys-cloud-auth.in-process");

/** A {@link TokenStore} and {@link TokenLock} in this process's memory. */
export interface MemoryStore extends TokenStore, TokenLock {
  readonly [IN_PROCESS]: true;
  /** Number of live entries (tests, diagnostics). */
  readonly size: number;
}

/** Creates an in-process store and lock, with expiry, for sharing tokens inside one process. */
export function memoryStore(options: { now?: () => number } = {}): MemoryStore {
  const now = ownProperties(options).now ?? Date.now;
  const entries = new Map<string, { value: string; until: number }>();
  const leases = new Map<string, { owner: symbol; until: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.until <= now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    [IN_PROCESS]: true,
    get size() {
      for (const key of [...entries.keys()]) live(key);
      return entries.size;
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, { ttlMs }) {
      entries.set(key, { value, until: now() + Math.max(0, ttlMs) });
    },
    async delete(key) {
      entries.delete(key);
    },
    async tryAcquire(name, ttlMs): Promise<HeldLock | null> {
      const current = leases.get(name);
      if (current !== undefined && current.until > now()) return null;
      const owner = Symbol(name);
      leases.set(name, { owner, until: now() + ttlMs });
      return {
        async release() {
          if (leases.get(name)?.owner === owner) leases.delete(name);
        },
      };
    },
  };
}
