/**
 * The shared layer of the token cache: reads and writes entries in the configured store (encrypted
 * at rest unless it is in-process), and coordinates instances through the optional lock. Every
 * failure of the store or lock is reported and treated as a miss.
 *
 * @module
 */
import type { ResolvedConfig } from "../config.ts";
import { deriveEnvelopeKey, openEnvelope, sealEnvelope, sha256Hex } from "../crypto.ts";
import { backoffMs } from "../retry.ts";
import { IN_PROCESS } from "../store/memory.ts";
import type { HeldLock } from "../store/types.ts";
import { parseEntry, refreshAtOf, serializeEntry, type TokenEntry } from "./entry.ts";
import type { AuthEvent } from "./events.ts";

/** The shared cache as `createAuth` uses it. */
export interface SharedCache {
  /** A fresh entry from the store, or one fetched by `fetchFresh` (under the lock, if any) and stored. */
  obtain(forced: boolean, fetchFresh: () => Promise<TokenEntry>): Promise<TokenEntry>;
  /** Deletes the stored entry (no-op without a store). */
  remove(): Promise<void>;
}

const POLL_START_MS = 25;
/** A store or lock call slower than this is abandoned and counted as a failure. */
const STORE_TIMEOUT_MS = 3_000;

/** Resolves like `promise`, or rejects once `ms` have passed (a hung store never hangs getToken). */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
const POLL_MAX_MS = 500;

/**
 * The cache key: `gca:v1:<region>:<clientId>:<hash>` where the hash covers what makes tokens
 * differ for one client (login host, scopes, authentication mode). Never the secret.
 */
export async function cacheKeyOf(config: ResolvedConfig): Promise<string> {
  const hash = await sha256Hex(
    JSON.stringify([config.loginUrl, config.scopes ?? [], config.clientAuthentication]),
  );
  return `gca:v1:${config.region.id}:${config.clientId}:${hash.slice(0, 16)}`;
}

/** Creates the shared layer for `config`; a pass-through when there is no store. */
export function createSharedCache(config: ResolvedConfig, emit: (event: AuthEvent) => void): SharedCache {
  const { store, lock, now } = config;
  if (store === undefined) {
    return { obtain: (_forced, fetchFresh) => fetchFresh(), remove: async () => {} };
  }
  const marginMs = config.refreshMarginSeconds * 1000;
  const encrypted =
    config.encryption !== false &&
    (config.encryption !== undefined || !(store as { [IN_PROCESS]?: true })[IN_PROCESS]);
  const storeTimeoutMs = Math.min(STORE_TIMEOUT_MS, config.timeoutMs);
  // A holder's lease lasts as long as its fetch can: every attempt's timeout plus the backoffs between.
  let backoffBudget = 0;
  for (let attempt = 1; attempt <= config.retry.limit; attempt++) backoffBudget += backoffMs(attempt);
  const lockTtlMs = Math.min(120_000, config.timeoutMs * (config.retry.limit + 1) + backoffBudget + 1_000);
  let keyPromise: Promise<string> | undefined;
  let cryptoKey: Promise<CryptoKey> | undefined;
  const cacheKey = () => {
    keyPromise ??= cacheKeyOf(config);
    return keyPromise;
  };
  const envelopeKey = () => {
    cryptoKey ??= deriveEnvelopeKey(config.encryption ? config.encryption.key : config.clientSecret);
    return cryptoKey;
  };
  /**
   * Reports a store failure as a plain Error carrying only the message: a client's own error object
   * may hold the command's arguments (ioredis does), and with `encryption: false` those include a token.
   */
  const reportFailure = (operation: "get" | "set" | "delete" | "lock" | "decode", error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const reported = new Error(message.length > 500 ? `${message.slice(0, 500)}…` : message);
    reported.name = error instanceof Error ? error.name : "Error";
    emit({ type: "store_error", operation, error: reported });
  };

  /** A stored entry that is still fresh and at least `minIssuedAt` old, else undefined. */
  const read = async (minIssuedAt: number): Promise<TokenEntry | undefined> => {
    const key = await cacheKey();
    let raw: unknown;
    try {
      raw = await bounded(store.get(key), storeTimeoutMs, "store.get()");
    } catch (error) {
      reportFailure("get", error);
      return undefined;
    }
    if (raw === null || raw === undefined) return undefined;
    const text =
      typeof raw !== "string"
        ? undefined
        : encrypted
          ? await openEnvelope(await envelopeKey(), raw, key)
          : raw;
    const entry = text === undefined ? undefined : parseEntry(text);
    if (entry === undefined) {
      reportFailure(
        "decode",
        new Error(`The stored entry under ${key} is unreadable (tampered, foreign or corrupt); ignored.`),
      );
      return undefined;
    }
    if (entry.issuedAt < minIssuedAt || now() >= refreshAtOf(entry, marginMs)) return undefined;
    emit({ type: "cache_hit", source: "store", expiresAt: entry.token.expiresAt });
    return entry;
  };

  const write = async (entry: TokenEntry): Promise<void> => {
    try {
      const key = await cacheKey();
      const plain = serializeEntry(entry);
      const value = encrypted ? await sealEnvelope(await envelopeKey(), plain, key) : plain;
      await bounded(
        store.set(key, value, { ttlMs: Math.max(0, entry.token.expiresAt - now()) }),
        storeTimeoutMs,
        "store.set()",
      );
    } catch (error) {
      reportFailure("set", error);
    }
  };

  const acquire = async (name: string): Promise<HeldLock | null | undefined> => {
    try {
      return lock === undefined
        ? undefined
        : await bounded(lock.tryAcquire(name, lockTtlMs), storeTimeoutMs, "lock.tryAcquire()");
    } catch (error) {
      reportFailure("lock", error);
      return undefined; // no lock available: fetch without one
    }
  };

  /** Polls the store until a new enough entry appears or the holder's lease must have ended. */
  const poll = async (minIssuedAt: number): Promise<TokenEntry | undefined> => {
    const started = now();
    let interval = POLL_START_MS;
    while (now() - started < lockTtlMs) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(POLL_MAX_MS, interval * 2);
      const entry = await read(minIssuedAt);
      if (entry !== undefined) {
        emit({ type: "lock_wait", waitedMs: now() - started });
        return entry;
      }
    }
    emit({ type: "lock_wait", waitedMs: now() - started });
    return undefined;
  };

  const fetchAndStore = async (fetchFresh: () => Promise<TokenEntry>, awaitWrite: boolean) => {
    const entry = await fetchFresh();
    const written = write(entry);
    if (awaitWrite || config.waitUntil === undefined) await written;
    else config.waitUntil(written);
    return entry;
  };

  return {
    async obtain(forced, fetchFresh) {
      const minIssuedAt = forced ? now() : 0;
      if (!forced) {
        const stored = await read(0);
        if (stored !== undefined) return stored;
      }
      if (lock === undefined) return fetchAndStore(fetchFresh, false);
      const held = await acquire(`${await cacheKey()}:lock`);
      if (held === null) {
        const polled = await poll(minIssuedAt);
        if (polled !== undefined) return polled;
      }
      try {
        // Another instance may have stored a token between our read and our lock (double-checked).
        if (held) {
          const stored = await read(minIssuedAt);
          if (stored !== undefined) return stored;
        }
        return await fetchAndStore(fetchFresh, true);
      } finally {
        await held?.release().catch((error: unknown) => reportFailure("lock", error));
      }
    },
    async remove() {
      if (store.delete === undefined) return;
      try {
        await bounded(store.delete(await cacheKey()), storeTimeoutMs, "store.delete()");
      } catch (error) {
        reportFailure("delete", error);
      }
    },
  };
}
