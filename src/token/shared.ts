/**
 * The shared layer of the token engine: one entry in the configured store (encrypted at rest unless
 * the store is in-process, and always bound to the client's secret) and the optional lock. Every
 * call to the store or lock is bounded in time and guarded; every failure is reported as a
 * `store_error` event and treated as a miss. The engine runs the protocol on top of it.
 *
 * @module
 */
import {
  deriveEnvelopeKey,
  hmacBase64Url,
  hmacKey,
  openEnvelope,
  sealEnvelope,
  sha256Hex,
} from "../crypto.ts";
import { DEFAULTS } from "../defaults.ts";
import { plainError } from "../errors.ts";
import { redactor } from "../redact.ts";
import { backoffMs } from "../retry.ts";
import { IN_PROCESS } from "../store/memory.ts";
import { BROKER, type HeldLock } from "../store/types.ts";
import { guarded } from "../wait.ts";
import { parseEntry, serializeEntry, type TokenEntry } from "./entry.ts";
import type { AuthEvent, StoreOperation } from "./events.ts";
import type { Settings } from "./options.ts";

/** The store and lock as the engine uses them. */
export interface SharedLayer {
  /**
   * The stored entry, fresh or not; `null` when there is none (or it is unreadable, tampered or
   * foreign); `undefined` when the store could not be read.
   */
  read(): Promise<TokenEntry | null | undefined>;
  /** Stores `entry` for `ttlMs`; false when the store failed (reported). */
  write(entry: TokenEntry, ttlMs: number): Promise<boolean>;
  /** Deletes the entry (when the store can). */
  remove(): Promise<void>;
  /** The held lock; `null` when another instance holds it; `undefined` when no lock is usable. */
  acquire(): Promise<HeldLock | null | undefined>;
  /** Releases a held lock. */
  release(held: HeldLock): Promise<void>;
  /** Whether a lock is configured. */
  readonly locking: boolean;
  /** How long a lease lasts: the longest a holder's token request may take. */
  readonly leaseMs: number;
}

/**
 * `gca:v1:<region>:<clientId>:<hash>`, where the hash covers what makes tokens differ for one
 * client (login host, scopes, authentication mode, subject, session). Never a secret.
 */
export async function cacheKeyOf(
  settings: Settings,
  clientId: string,
  parts: readonly unknown[],
): Promise<string> {
  const hash = await sha256Hex(JSON.stringify([settings.loginUrl, settings.scopes ?? [], ...parts]));
  return `gca:v1:${settings.region.id}:${clientId}:${hash.slice(0, 32)}`;
}

/** How long one store or lock call may take: the store default, never longer than a token request. */
function storeTimeoutOf(settings: Settings): number {
  return Math.min(DEFAULTS.storeTimeoutMs, settings.timeoutMs);
}

/**
 * How long a holder of the lock may take at worst: every attempt's timeout, the longest wait between
 * attempts (a `Retry-After` up to `retry.maxRetryAfterSeconds`, or the backoff), the store's read and
 * write, and — for a grant that renews with a refresh token — the one more attempt allowed after an
 * ambiguous failure. A lock's lease lasts this long and no longer (a dead holder blocks that long);
 * the wait for a token broker too.
 */
function fetchBudgetMs(settings: Settings, renews = false): number {
  const { limit, maxRetryAfterSeconds } = settings.retry;
  let request = settings.timeoutMs * (limit + 1);
  for (let attempt = 1; attempt <= limit; attempt++) {
    request += Math.max(maxRetryAfterSeconds * 1000, backoffMs(attempt));
  }
  const store = 2 * storeTimeoutOf(settings);
  return (renews ? 2 : 1) * request + store + 1_000;
}

/** Turns entries into stored values and back. */
export interface EntryCodec {
  /** The stored value of `entry`. */
  encode(entry: TokenEntry): Promise<string>;
  /** The entry a stored value holds, or undefined for anything unreadable, tampered or foreign. */
  decode(value: string): Promise<TokenEntry | undefined>;
}

/**
 * The codec for the entry under `key`. Every value is bound to `secret` (the client secret) — a
 * store shared by mistake, or read by an instance with the wrong secret, yields nothing. Encrypted
 * values carry a secret-derived value in their associated data; plain ones (in-process stores,
 * `encryption: false`) start with an HMAC of their key and content, so that a plain entry cannot be
 * moved to another key (another user's session) nor changed.
 */
export function entryCodec(
  key: Promise<string>,
  secret: string,
  encryption: { key: CryptoKey | string } | undefined,
): EntryCodec {
  let signing: Promise<CryptoKey> | undefined;
  let cryptoKey: Promise<CryptoKey> | undefined;
  const mac = async (data: string) => {
    signing ??= hmacKey(secret);
    return hmacBase64Url(await signing, `${await key}\n${data}`);
  };
  if (encryption === undefined) {
    return {
      async encode(entry) {
        const plain = serializeEntry(entry);
        return `p1.${await mac(plain)}.${plain}`;
      },
      async decode(value) {
        const dot = value.indexOf(".", 3);
        if (!value.startsWith("p1.") || dot === -1) return undefined;
        const plain = value.slice(dot + 1);
        return value.slice(3, dot) === (await mac(plain)) ? parseEntry(plain) : undefined;
      },
    };
  }
  const envelopeKey = () => {
    cryptoKey ??= deriveEnvelopeKey(encryption.key);
    return cryptoKey;
  };
  const associatedData = async () => `${await key}\n${await mac("")}`;
  return {
    async encode(entry) {
      return sealEnvelope(await envelopeKey(), serializeEntry(entry), await associatedData());
    },
    async decode(value) {
      const plain = await openEnvelope(await envelopeKey(), value, await associatedData());
      return plain === undefined ? undefined : parseEntry(plain);
    },
  };
}

/** Whether entries in `settings.store` are encrypted: by default in every store but an in-process one. */
export function encryptionOf(settings: Settings, secret: string): { key: CryptoKey | string } | undefined {
  const { encryption, store } = settings;
  if (encryption === false) return undefined;
  if (encryption !== undefined) return encryption;
  return (store as { [IN_PROCESS]?: true } | undefined)?.[IN_PROCESS] ? undefined : { key: secret };
}

/** Creates the shared layer over `settings.store` (which must be set) for the entry under `key`. */
export function createSharedLayer(
  settings: Settings,
  entry: {
    /** The entry's store key. */
    readonly key: Promise<string>;
    /** The client secret: the entries' binding and default encryption key. */
    readonly secret: string;
    /** Whether the grant renews with refresh tokens (a longer lease). */
    readonly renews: boolean;
    readonly emit: (event: AuthEvent) => void;
    /** Redacts the engine's credentials from store errors (a client's message may quote a command). */
    readonly redact: (text: string) => string;
  },
): SharedLayer {
  const { key, secret, emit, redact } = entry;
  const store = settings.store as NonNullable<Settings["store"]>;
  const { lock } = settings;
  const codec = entryCodec(key, secret, encryptionOf(settings, secret));
  const storeTimeoutMs = storeTimeoutOf(settings);
  const leaseMs = fetchBudgetMs(settings, entry.renews);
  // A token broker's get() may fetch a token itself: wait for it as long as a fetch may take.
  const getTimeoutMs = (store as { [BROKER]?: true })[BROKER] ? leaseMs : storeTimeoutMs;

  /**
   * Reports a failure as a plain Error (name and message only: see {@link plainError}), redacting the
   * engine's credentials and those of `entry`, the one being written (not installed yet).
   */
  const report = (operation: StoreOperation, error: unknown, entry?: TokenEntry) => {
    const own = entry && redactor(() => [entry.token.accessToken, entry.refreshToken]);
    emit({
      type: "store_error",
      operation,
      error: plainError(error, own ? (text) => own(redact(text)) : redact),
    });
  };

  return {
    locking: lock !== undefined,
    leaseMs,
    async read() {
      const k = await key;
      let raw: unknown;
      try {
        raw = await guarded(() => store.get(k), getTimeoutMs, "store.get()");
      } catch (error) {
        report("get", error);
        return undefined;
      }
      if (raw === null || raw === undefined) return null;
      const entry = typeof raw === "string" ? await codec.decode(raw) : undefined;
      if (entry === undefined) {
        report(
          "decode",
          new Error(`The stored entry under ${k} is unreadable (tampered, foreign or corrupt); ignored.`),
        );
      }
      return entry ?? null;
    },
    async write(entry, ttlMs) {
      try {
        const [k, value] = await Promise.all([key, codec.encode(entry)]);
        await guarded(
          () => store.set(k, value, { ttlMs: Math.max(0, ttlMs) }),
          storeTimeoutMs,
          "store.set()",
        );
        return true;
      } catch (error) {
        report("set", error, entry);
        return false;
      }
    },
    async remove() {
      const { delete: remove } = store;
      if (remove === undefined) return;
      try {
        const k = await key;
        await guarded(() => remove.call(store, k), storeTimeoutMs, "store.delete()");
      } catch (error) {
        report("delete", error);
      }
    },
    async acquire() {
      if (lock === undefined) return undefined;
      try {
        const name = `${await key}:lock`;
        const held = await guarded(() => lock.tryAcquire(name, leaseMs), storeTimeoutMs, "lock.tryAcquire()");
        if (held === null) return null;
        if (typeof held === "object" && typeof (held as Partial<HeldLock>).release === "function")
          return held;
        throw new Error("lock.tryAcquire() answered neither a held lock (an object with release()) nor null");
      } catch (error) {
        report("lock", error);
        return undefined;
      }
    },
    async release(held) {
      try {
        await guarded(() => held.release(), storeTimeoutMs, "lock release()");
      } catch (error) {
        report("lock", error);
      }
    },
  };
}
