/**
 * The options every auth shares — where Genesys is (region, hosts), how tokens are requested
 * (timeout, retry, fetch), cached and shared (store, lock, encryption, margin) and observed (events,
 * clock) — their valibot checks, and their resolution with the defaults into the token engine's
 * settings.
 *
 * @module
 */
import * as v from "valibot";
import { DEFAULTS } from "../defaults.ts";
import { GenesysAuthError } from "../errors.ts";
import { type ResolvedRegion, resolveRegion } from "../regions.ts";
import { retrySettingsOf } from "../retry.ts";
import type { TokenLock, TokenStore } from "../store/types.ts";
import { unboundFetch } from "../transport.ts";
import {
  baseUrl,
  checkOptions,
  credential,
  flag,
  fn,
  optionsObject,
  ownProperties,
  retryPolicySchema,
  scopeList,
  seconds,
  text,
  timeoutSchema,
  valid,
  withMethods,
} from "../validation.ts";
import type { AuthEventListener } from "./events.ts";

/** Retry policy for 429 and 5xx answers and lost connections. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** The longest `Retry-After` honoured, in seconds; a longer one fails at once with `rate_limited`. Default 60. */
  maxRetryAfterSeconds?: number;
}

/** At-rest encryption of entries in a shared store. */
export type EncryptionOption = false | { key: CryptoKey | string };

/** Where Genesys is: the options of every auth that name the region and hosts. */
export interface ConnectionOptions {
  /** AWS region name (`eu-west-1`), domain (`mypurecloud.ie`) or API URL. Default `us-east-1`. */
  region?: string;
  /** Override of the login base URL (tests, proxies): https, or http to a loopback host only. */
  loginUrl?: string;
  /** Override of the API base URL (tests, proxies): https, or http to a loopback host only. */
  apiUrl?: string;
  /** Scopes to request, sent space-joined as `scope` only when given. */
  scopes?: string[];
}

/** How tokens are requested and observed: options of every auth. */
export interface RequestOptions {
  /** Timeout of each attempt in ms, response body included. Default 10 000. */
  timeoutMs?: number;
  /** Retry policy for 429 and 5xx answers of the token endpoint. */
  retry?: RetryPolicy;
  /** The fetch to use (a proxy-aware fetch, or the mock's `mock.fetch`). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Refresh this long before expiry; default 300, never more than half the token's lifetime. */
  refreshMarginSeconds?: number;
  /** Receives lifecycle events (never a secret or a token). */
  onEvent?: AuthEventListener;
  /** The clock, in epoch ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** How tokens are shared between instances: options of every server-side auth. */
export interface SharingOptions {
  /** A store shared between instances. Default: none beyond this instance's memory. */
  store?: TokenStore;
  /** A lock so that one instance fetches while others wait for the store. */
  lock?: TokenLock;
  /** At-rest encryption of shared entries; on by default for every store but `memoryStore()`. */
  encryption?: EncryptionOption;
  /** Workers' `ctx.waitUntil`, so background refreshes and store writes outlive the request. */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** A passphrase of 16+ characters, an AES-256-GCM key that encrypts and decrypts, or an HKDF key that derives keys. */
function isEncryptionKey(key: unknown): boolean {
  if (typeof key === "string") return key.length >= 16;
  if (typeof globalThis.CryptoKey !== "function" || !(key instanceof globalThis.CryptoKey)) return false;
  const { algorithm, usages } = key as CryptoKey;
  const { name, length } = algorithm as { name: string; length?: number };
  return name === "AES-GCM"
    ? length === 256 && usages.includes("encrypt") && usages.includes("decrypt")
    : name === "HKDF" && usages.includes("deriveKey");
}

/** The checks of {@link ConnectionOptions}. */
export const connectionEntries = {
  region: v.optional(text('must be a string such as "eu-west-1"')),
  loginUrl: v.optional(baseUrl),
  apiUrl: v.optional(baseUrl),
  scopes: v.optional(scopeList),
};

/** The checks of {@link RequestOptions}. */
export const requestEntries = {
  timeoutMs: v.optional(timeoutSchema),
  retry: v.optional(retryPolicySchema),
  fetch: v.optional(fn("a fetch function")),
  refreshMarginSeconds: v.optional(seconds),
  onEvent: v.optional(fn("a function")),
  now: v.optional(fn("a function returning epoch milliseconds")),
};

/** The checks of {@link SharingOptions}. */
const sharingEntries = {
  store: v.optional(
    withMethods<TokenStore>("must be a TokenStore: an object with get() and set()", "get", "set"),
  ),
  lock: v.optional(withMethods<TokenLock>("must be a TokenLock: an object with tryAcquire()", "tryAcquire")),
  encryption: v.optional(
    valid<EncryptionOption>(
      (x) =>
        x === false ||
        (typeof x === "object" &&
          x !== null &&
          Object.keys(x).join() === "key" &&
          isEncryptionKey((x as { key: unknown }).key)),
      "must be false or { key }: a passphrase of at least 16 characters, an AES-GCM 256-bit CryptoKey with encrypt and decrypt usages, or an HKDF CryptoKey with the deriveKey usage",
    ),
  ),
  waitUntil: v.optional(fn("a function, such as a Worker's ctx.waitUntil.bind(ctx)")),
};

/** Options objects nested in the shared options: read through their own properties too. */
export const NESTED_OPTIONS = ["retry", "encryption"];

/** The options of every auth of a confidential client (one with a secret: a server's). */
export interface ServerAuthOptions extends ConnectionOptions, RequestOptions, SharingOptions {
  /** The OAuth client's id (Admin > Integrations > OAuth). */
  clientId: string;
  /** The OAuth client's secret. Kept in a closure: never logged, serialised or put in an error. */
  clientSecret: string;
  /** Allow a client secret in a browser page. Read the warning in the README first. */
  dangerouslyAllowBrowser?: boolean;
}

/**
 * Checks the options of a confidential client's factory — its own `entries` beside the shared ones,
 * own properties only — and resolves them with the defaults.
 *
 * @throws {GenesysAuthError} `invalid_config` naming the option at fault.
 */
export function checkServerOptions<T extends ServerAuthOptions>(
  entries: Record<string, v.GenericSchema>,
  options: T,
  what: string,
  defaults: (o: T) => SharingOptions = () => ({}),
): { o: T; settings: Settings } {
  const schema = optionsObject(
    {
      clientId: credential("client id"),
      clientSecret: credential("client secret"),
      ...connectionEntries,
      ...entries,
      dangerouslyAllowBrowser: v.optional(flag),
      ...sharingEntries,
      ...requestEntries,
    },
    what,
  );
  const o = checkOptions(schema, options, what, NESTED_OPTIONS);
  // `o` has no prototype (own properties only): fill it in place rather than spread it into an object that has one.
  const filled = ownProperties(defaults(o));
  if (o.store === undefined && filled.store !== undefined) o.store = filled.store;
  if (o.lock === undefined && filled.lock !== undefined) o.lock = filled.lock;
  return { o, settings: resolveSettings(o, what) };
}

/** The shared options, resolved with the defaults (internal). */
export interface Settings {
  readonly region: ResolvedRegion;
  readonly loginUrl: string;
  readonly apiUrl: string;
  readonly scopes: readonly string[] | undefined;
  readonly store: TokenStore | undefined;
  readonly lock: TokenLock | undefined;
  readonly encryption: EncryptionOption | undefined;
  readonly refreshMarginSeconds: number;
  readonly timeoutMs: number;
  readonly retry: Required<RetryPolicy>;
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly onEvent: AuthEventListener | undefined;
  readonly now: () => number;
}

/** Fills in the defaults of already checked options, and checks the clock's first reading. */
export function resolveSettings(
  o: ConnectionOptions & RequestOptions & SharingOptions,
  what: string,
): Settings {
  const region = resolveRegion(o.region ?? DEFAULTS.region);
  const clock = o.now;
  let first: unknown;
  try {
    first = clock ? clock() : 0;
  } catch {
    first = undefined;
  }
  if (typeof first !== "number" || !Number.isFinite(first)) {
    throw new GenesysAuthError(
      "invalid_config",
      `Invalid ${what} "now": must return the time as a finite number of epoch milliseconds (like Date.now).`,
    );
  }
  if (o.fetch === undefined && typeof globalThis.fetch !== "function") {
    throw new GenesysAuthError("invalid_config", "No fetch is available in this runtime.", {
      hint: "Pass a fetch implementation as the `fetch` option (Node 18+, Deno, Bun, Workers and browsers have one built in).",
    });
  }
  return {
    region,
    loginUrl: stripSlash(o.loginUrl ?? region.loginUrl),
    apiUrl: stripSlash(o.apiUrl ?? region.apiUrl),
    scopes: o.scopes && o.scopes.length > 0 ? Object.freeze([...o.scopes]) : undefined,
    store: o.store,
    lock: o.lock,
    encryption: o.encryption,
    refreshMarginSeconds: o.refreshMarginSeconds ?? DEFAULTS.refreshMarginSeconds,
    timeoutMs: o.timeoutMs ?? DEFAULTS.timeoutMs,
    retry: retrySettingsOf(o.retry),
    fetch: unboundFetch(o.fetch),
    waitUntil: o.waitUntil,
    onEvent: o.onEvent,
    now: clock ? guardedClock(clock) : Date.now,
  };
}

/**
 * A user's clock that checked out at creation but may later throw or answer garbage: such a reading
 * falls back to `Date.now()`, so no deadline or expiry becomes NaN.
 */
function guardedClock(clock: () => number): () => number {
  return () => {
    try {
      const time = clock();
      return Number.isFinite(time) ? time : Date.now();
    } catch {
      return Date.now();
    }
  };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
