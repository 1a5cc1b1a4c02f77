/**
 * The shared layer of the token cache: reads and writes entries in the configured store (encrypted
 * at rest unless it is in-process, and always bound to the client secret), and coordinates instances
 * through the optional lock. Every call to the store or lock is bounded in time and guarded; every
 * failure is reported and treated as a miss.
 *
 * @module
 */
import type { ResolvedConfig } from "../config.ts";
import { deriveEnvelopeKey, hmacBase64Url, openEnvelope, sealEnvelope, sha256Hex } from "../crypto.ts";
import { backoffMs } from "../retry.ts";
import { IN_PROCESS } from "../store/memory.ts";
import { BROKER, type HeldLock } from "../store/types.ts";
import { guarded, monotonic } from "../wait.ts";
import { parseEntry, refreshAtOf, serializeEntry, type TokenEntry } from "./entry.ts";
import type { AuthEvent } from "./events.ts";

/** The shared cache as `createAuth` uses it. */
export interface SharedCache {
  /**
   * A fresh entry from the store, or one fetched by `fetchFresh` (under the lock, if any) and stored.
   * An entry holding `refused` (a token the API refused) is never used.
   */
  obtain(forced: boolean, fetchFresh: () => Promise<TokenEntry>, refused?: string): Promise<TokenEntry>;
  /** Deletes the stored entry (no-op without a store). */
  remove(): Promise<void>;
}

const POLL_START_MS = 25;
const POLL_MAX_MS = 500;
/** A store or lock call slower than this is abandoned and counted as a failure. */
const STORE_TIMEOUT_MS = 3_000;

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

/**
 * How long one token fetch may take at worst: every attempt's timeout plus the backoffs between them
 * and a second of slack. A lock lease lasts this long, and so does the wait for a token broker.
 */
export function fetchBudgetMs(config: ResolvedConfig): number {
  let backoff = 0;
  for (let attempt = 1; attempt <= config.retry.limit; attempt++) backoff += backoffMs(attempt);
  return Math.min(120_000, config.timeoutMs * (config.retry.limit + 1) + backoff + 1_000);
}

/** Turns entries into stored values and back, for one configuration. */
export interface EntryCodec {
  /** The store key. */
  key(): Promise<string>;
  /** The stored value of `entry`. */
  encode(entry: TokenEntry): Promise<string>;
  /** The entry a stored value holds, or undefined for anything unreadable, tampered or foreign. */
  decode(value: string): Promise<TokenEntry | undefined>;
}

/**
 * The codec of `config`. Every value is bound to the client secret — a store shared by mistake, or
 * read by an instance with the wrong secret, yields nothing: encrypted values carry a secret-derived
 * value in their associated data, plain ones (in-process stores, `encryption: false`) start with it.
 */
export function entryCodec(config: ResolvedConfig, encrypted: boolean): EntryCodec {
  let keyPromise: Promise<string> | undefined;
  let bindingPromise: Promise<string> | undefined;
  let cryptoKey: Promise<CryptoKey> | undefined;
  const key = () => {
    keyPromise ??= cacheKeyOf(config);
    return keyPromise;
  };
  const binding = () => {
    bindingPromise ??= key().then((k) => hmacBase64Url(config.clientSecret, k));
    return bindingPromise;
  };
  const envelopeKey = () => {
    cryptoKey ??= deriveEnvelopeKey(config.encryption ? config.encryption.key : config.clientSecret);
    return cryptoKey;
  };
  const associatedData = async () => `${await key()}\n${await binding()}`;
  return {
    key,
    async encode(entry) {
      const plain = serializeEntry(entry);
      return encrypted
        ? sealEnvelope(await envelopeKey(), plain, await associatedData())
        : `p1.${await binding()}.${plain}`;
    },
    async decode(value) {
      if (encrypted) {
        const plain = await openEnvelope(await envelopeKey(), value, await associatedData());
        return plain === undefined ? undefined : parseEntry(plain);
      }
      const prefix = `p1.${await binding()}.`;
      return value.startsWith(prefix) ? parseEntry(value.slice(prefix.length)) : undefined;
    },
  };
}

/**
 * Creates the shared layer for `config`; a pass-through when there is no store. `handOff` gives a
 * background promise to the runtime (a Worker's `waitUntil`), or awaits nothing when there is none.
 */
export function createSharedCache(
  config: ResolvedConfig,
  emit: (event: AuthEvent) => void,
  handOff: (promise: Promise<unknown>) => boolean,
): SharedCache {
  const { store, lock, now } = config;
  if (store === undefined) {
    return { obtain: (_forced, fetchFresh) => fetchFresh(), remove: async () => {} };
  }
  const marginMs = config.refreshMarginSeconds * 1000;
  const encrypted =
    config.encryption !== false &&
    (config.encryption !== undefined || !(store as { [IN_PROCESS]?: true })[IN_PROCESS]);
  const codec = entryCodec(config, encrypted);
  const storeTimeoutMs = Math.min(STORE_TIMEOUT_MS, config.timeoutMs);
  const lockTtlMs = fetchBudgetMs(config);
  // A token broker's get() may fetch a token itself: wait for it as long as a fetch may take.
  const getTimeoutMs = (store as { [BROKER]?: true })[BROKER] ? lockTtlMs : storeTimeoutMs;

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

  /** A stored entry that is still fresh, at least `minIssuedAt` old and not `refused`, else undefined. */
  const read = async (minIssuedAt: number, refused: string | undefined): Promise<TokenEntry | undefined> => {
    const key = await codec.key();
    let raw: unknown;
    try {
      raw = await guarded(() => store.get(key), getTimeoutMs, "store.get()");
    } catch (error) {
      reportFailure("get", error);
      return undefined;
    }
    if (raw === null || raw === undefined) return undefined;
    const entry = typeof raw === "string" ? await codec.decode(raw) : undefined;
    if (entry === undefined) {
      reportFailure(
        "decode",
        new Error(`The stored entry under ${key} is unreadable (tampered, foreign or corrupt); ignored.`),
      );
      return undefined;
    }
    if (entry.issuedAt < minIssuedAt || now() >= refreshAtOf(entry, marginMs)) return undefined;
    if (entry.token.accessToken === refused) return undefined;
    emit({ type: "cache_hit", source: "store", expiresAt: entry.token.expiresAt });
    return entry;
  };

  const write = async (entry: TokenEntry): Promise<void> => {
    try {
      const key = await codec.key();
      const value = await codec.encode(entry);
      const ttlMs = Math.max(0, entry.token.expiresAt - now());
      await guarded(() => store.set(key, value, { ttlMs }), storeTimeoutMs, "store.set()");
    } catch (error) {
      reportFailure("set", error);
    }
  };

  /** The held lock, `null` when another instance holds it, `undefined` when there is no usable lock. */
  const acquire = async (name: string): Promise<HeldLock | null | undefined> => {
    if (lock === undefined) return undefined;
    try {
      const held = await guarded(() => lock.tryAcquire(name, lockTtlMs), storeTimeoutMs, "lock.tryAcquire()");
      if (held === null) return null;
      if (typeof held === "object" && typeof (held as Partial<HeldLock>).release === "function") return held;
      throw new Error("lock.tryAcquire() answered neither a held lock (an object with release()) nor null");
    } catch (error) {
      reportFailure("lock", error);
      return undefined; // no usable lock: fetch without one
    }
  };

  const release = async (held: HeldLock): Promise<void> => {
    try {
      await guarded(() => held.release(), storeTimeoutMs, "lock release()");
    } catch (error) {
      reportFailure("lock", error);
    }
  };

  /**
   * Polls the store until a new enough entry appears or the holder's lease must have ended, measured
   * on the monotonic clock (an injected or stepping `now` cannot stretch the wait).
   */
  const poll = async (minIssuedAt: number, refused: string | undefined): Promise<TokenEntry | undefined> => {
    const started = monotonic();
    let interval = POLL_START_MS;
    while (monotonic() - started < lockTtlMs) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(POLL_MAX_MS, interval * 2);
      const entry = await read(minIssuedAt, refused);
      if (entry !== undefined) {
        emit({ type: "lock_wait", waitedMs: Math.round(monotonic() - started) });
        return entry;
      }
    }
    emit({ type: "lock_wait", waitedMs: Math.round(monotonic() - started) });
    return undefined;
  };

  const fetchAndStore = async (fetchFresh: () => Promise<TokenEntry>, awaitWrite: boolean) => {
    const entry = await fetchFresh();
    const written = write(entry);
    if (awaitWrite || !handOff(written)) await written;
    return entry;
  };

  return {
    async obtain(forced, fetchFresh, refused) {
      const minIssuedAt = forced ? now() : 0;
      if (!forced) {
        const stored = await read(0, refused);
        if (stored !== undefined) return stored;
      }
      if (lock === undefined) return fetchAndStore(fetchFresh, false);
      const held = await acquire(`${await codec.key()}:lock`);
      if (held === null) {
        const polled = await poll(minIssuedAt, refused);
        if (polled !== undefined) return polled;
      }
      try {
        // Another instance may have stored a token between our read and our lock (double-checked).
        if (held) {
          const stored = await read(minIssuedAt, refused);
          if (stored !== undefined) return stored;
        }
        return await fetchAndStore(fetchFresh, true);
      } finally {
        if (held) await release(held);
      }
    },
    async remove() {
      const { delete: remove } = store;
      if (remove === undefined) return;
      try {
        const key = await codec.key();
        await guarded(() => remove.call(store, key), storeTimeoutMs, "store.delete()");
      } catch (error) {
        reportFailure("delete", error);
      }
    },
  };
}
