/**
 * The options of `createAuth`, their valibot schema and their resolution into a complete
 * configuration. Invalid options fail fast with an `invalid_config` error that names the option and
 * never echoes a secret.
 *
 * @module
 */
import * as v from "valibot";
import { GenesysAuthError } from "./errors.ts";
import { DEFAULT_REGION, type ResolvedRegion, resolveRegion } from "./regions.ts";
import type { TokenLock, TokenStore } from "./store/types.ts";
import type { AuthEventListener } from "./token/events.ts";
import { issuePath, ownProperties, quoteName, shape } from "./validation.ts";

/** How the client id and secret are sent to the token endpoint. */
export type ClientAuthentication = "basic" | "body";

/** Retry policy for the token endpoint (429 and 5xx). */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 3. */
  limit?: number;
  /** The longest `Retry-After` honoured, in seconds; a longer one fails at once with `rate_limited`. Default 60. */
  maxRetryAfterSeconds?: number;
}

/** At-rest encryption of entries in a shared store. */
export type EncryptionOption = false | { key: CryptoKey | string };

/** Options of `createAuth`. Only `clientId` and `clientSecret` are required. */
export interface CreateAuthOptions {
  /** The OAuth client's id (Admin > Integrations > OAuth). */
  clientId: string;
  /** The OAuth client's secret. Kept in a closure: never logged, serialised or put in an error. */
  clientSecret: string;
  /** AWS region name (`eu-west-1`), domain (`mypurecloud.ie`) or API URL. Default `us-east-1`. */
  region?: string;
  /** Override of the login base URL (tests, proxies): https, or http to a loopback host only. */
  loginUrl?: string;
  /** Override of the API base URL (tests, proxies): https, or http to a loopback host only. */
  apiUrl?: string;
  /** Scopes to request, sent space-joined as `scope` only when given. Client-credentials rights usually come from roles. */
  scopes?: string[];
  /** `"basic"` (default, as every official SDK does) or `"body"` (client_id/client_secret in the form). */
  clientAuthentication?: ClientAuthentication;
  /** A store shared between instances. Default: none beyond this instance's memory. */
  store?: TokenStore;
  /** A lock so that one instance fetches while others wait for the store. */
  lock?: TokenLock;
  /** At-rest encryption of shared entries; on by default for every store but `memoryStore()`. */
  encryption?: EncryptionOption;
  /** Refresh this long before expiry; default 300, never more than half the token's lifetime. */
  refreshMarginSeconds?: number;
  /** Timeout of each attempt, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Retry policy for 429 and 5xx answers of the token endpoint. */
  retry?: RetryPolicy;
  /** The fetch to use (a proxy-aware fetch, or the mock's `mock.fetch`). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Workers' `ctx.waitUntil`, so background refreshes and store writes outlive the request. */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Allow a client secret in a browser page. Read the warning in the README first. */
  dangerouslyAllowBrowser?: boolean;
  /** Receives lifecycle events (never a secret or a token). */
  onEvent?: AuthEventListener;
  /** The clock, in epoch ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** A complete, validated configuration (internal). */
export interface ResolvedConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly region: ResolvedRegion;
  readonly loginUrl: string;
  readonly apiUrl: string;
  readonly scopes: readonly string[] | undefined;
  readonly clientAuthentication: ClientAuthentication;
  readonly store: TokenStore | undefined;
  readonly lock: TokenLock | undefined;
  readonly encryption: EncryptionOption | undefined;
  readonly refreshMarginSeconds: number;
  readonly timeoutMs: number;
  readonly retry: Required<RetryPolicy>;
  readonly fetch: typeof fetch;
  readonly waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  readonly dangerouslyAllowBrowser: boolean;
  readonly onEvent: AuthEventListener | undefined;
  readonly now: () => number;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * True when `url` is https, or http to a loopback host (127.0.0.0/8, localhost, [::1]), and carries
 * no query, fragment or credentials (paths are appended to it).
 */
export function isAllowedBaseUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK.test(parsed.hostname))) &&
      !/[?#]/.test(url) &&
      parsed.username === "" &&
      parsed.password === ""
    );
  } catch {
    return false;
  }
}

const credential = (what: string) =>
  v.pipe(
    v.string(`must be a string (the OAuth client's ${what})`),
    v.check((s) => s.trim() !== "", "must not be empty or blank"),
    v.check(
      (s) => s.trim() === s,
      "has leading or trailing whitespace (often copied from the admin UI or a .env file): remove it",
    ),
  );

const baseUrl = v.pipe(
  v.string("must be a URL string"),
  v.check(
    isAllowedBaseUrl,
    "must be an https:// URL, or http:// to a loopback host (localhost, 127.0.0.1, [::1]) only, without a query, fragment or credentials",
  ),
);

const wholeNumber = (unit: string, min: number, max: number) =>
  v.pipe(
    v.number(`must be a number of ${unit}`),
    v.integer(`must be a whole number of ${unit}`),
    v.minValue(min, `must be >= ${min}`),
    v.maxValue(max, `must be <= ${max}`),
  );

const seconds = v.pipe(
  v.number("must be a number of seconds"),
  v.finite("must be finite"),
  v.minValue(0, "must be >= 0"),
);

/** The `retry` option of createAuth and createClient. */
export const retryPolicySchema = v.strictObject(
  shape({
    limit: v.optional(wholeNumber("retries", 0, 10)),
    maxRetryAfterSeconds: v.optional(seconds),
  }),
  (issue) => `has an unknown key ${String(issue.input)} (known: limit, maxRetryAfterSeconds)`,
);

/** A per-attempt timeout in milliseconds. */
export const timeoutSchema = wholeNumber("milliseconds", 1, 2_147_483_647);

const fn = (what: string) =>
  v.custom<(...args: never[]) => unknown>((x) => typeof x === "function", `must be ${what}`);
const hasMethods =
  (...names: string[]) =>
  (x: unknown) =>
    typeof x === "object" &&
    x !== null &&
    names.every((name) => typeof (x as Record<string, unknown>)[name] === "function");

/** A passphrase of 16+ characters, an AES-256-GCM key that encrypts and decrypts, or an HKDF key that derives keys. */
const isEncryptionKey = (key: unknown): key is CryptoKey | string => {
  if (typeof key === "string") return key.length >= 16;
  if (typeof globalThis.CryptoKey !== "function" || !(key instanceof globalThis.CryptoKey)) return false;
  const { algorithm, usages } = key as CryptoKey;
  const { name, length } = algorithm as { name: string; length?: number };
  return name === "AES-GCM"
    ? length === 256 && usages.includes("encrypt") && usages.includes("decrypt")
    : name === "HKDF" && usages.includes("deriveKey");
};
const hasOnlyKey = (x: unknown, name: string): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && Object.keys(x).join() === name;

const optionEntries = shape({
  clientId: credential("client id"),
  clientSecret: credential("client secret"),
  region: v.optional(v.string('must be a string such as "eu-west-1"')),
  loginUrl: v.optional(baseUrl),
  apiUrl: v.optional(baseUrl),
  scopes: v.optional(
    v.array(
      v.pipe(
        v.string("must be strings"),
        v.check((s) => /^\S+$/.test(s), 'must be non-empty strings without spaces, e.g. ["users:readonly"]'),
      ),
      "must be an array of strings",
    ),
  ),
  clientAuthentication: v.optional(v.picklist(["basic", "body"], 'must be "basic" or "body"')),
  store: v.optional(
    v.custom<TokenStore>(hasMethods("get", "set"), "must be a TokenStore: an object with get() and set()"),
  ),
  lock: v.optional(
    v.custom<TokenLock>(hasMethods("tryAcquire"), "must be a TokenLock: an object with tryAcquire()"),
  ),
  encryption: v.optional(
    v.custom<EncryptionOption>(
      (x) => x === false || (hasOnlyKey(x, "key") && isEncryptionKey(x.key)),
      "must be false or { key }: a passphrase of at least 16 characters, an AES-GCM 256-bit CryptoKey with encrypt and decrypt usages, or an HKDF CryptoKey with the deriveKey usage",
    ),
  ),
  refreshMarginSeconds: v.optional(seconds),
  timeoutMs: v.optional(timeoutSchema),
  retry: v.optional(retryPolicySchema),
  fetch: v.optional(fn("a fetch function")),
  waitUntil: v.optional(fn("a function, such as a Worker's ctx.waitUntil.bind(ctx)")),
  dangerouslyAllowBrowser: v.optional(v.boolean("must be true or false")),
  onEvent: v.optional(fn("a function")),
  now: v.optional(fn("a function returning epoch milliseconds")),
});

const optionsSchema = v.strictObject(optionEntries, (issue) =>
  issue.expected === "never"
    ? `is not a createAuth option (known: ${Object.keys(optionEntries).join(", ")})`
    : "must be an object of createAuth options",
);

/**
 * Turns the first valibot issue into an `invalid_config` error naming the option. The input is
 * never quoted, so a misplaced secret cannot leak through the message.
 */
export function configError(
  issues: readonly v.BaseIssue<unknown>[],
  what = "createAuth option",
): GenesysAuthError {
  const issue = issues[0] as v.BaseIssue<unknown>;
  const path = issuePath(issue);
  const name = path ? `${what} ${quoteName(path)}` : `${what}s`;
  return new GenesysAuthError("invalid_config", `Invalid ${name}: ${issue.message}.`);
}

/** Validates `options` and fills in the defaults. */
export function resolveConfig(options: CreateAuthOptions): ResolvedConfig {
  // Own properties only, also of the nested option objects: a polluted Object.prototype is never read.
  const o = ownProperties(options);
  if (typeof o === "object" && o !== null) {
    if ("retry" in o) o.retry = ownProperties(o.retry);
    if ("encryption" in o) o.encryption = ownProperties(o.encryption);
  }
  const result = v.safeParse(optionsSchema, o);
  if (!result.success) throw configError(result.issues);
  const now = (o.now as (() => number) | undefined) ?? Date.now;
  const first = (() => {
    try {
      return now();
    } catch {
      return undefined;
    }
  })();
  if (typeof first !== "number" || !Number.isFinite(first)) {
    throw new GenesysAuthError(
      "invalid_config",
      'Invalid createAuth option "now": must return the time as a finite number of epoch milliseconds (like Date.now).',
    );
  }
  const region = resolveRegion(o.region ?? DEFAULT_REGION);
  const userFetch = o.fetch as typeof fetch | undefined;
  if (userFetch === undefined && typeof globalThis.fetch !== "function") {
    throw new GenesysAuthError("invalid_config", "No fetch is available in this runtime.", {
      hint: "Pass a fetch implementation as the `fetch` option (Node 18+, Deno, Bun, Workers and browsers have one built in).",
    });
  }
  return {
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    region,
    loginUrl: stripSlash(o.loginUrl ?? region.loginUrl),
    apiUrl: stripSlash(o.apiUrl ?? region.apiUrl),
    scopes: o.scopes && o.scopes.length > 0 ? Object.freeze([...o.scopes]) : undefined,
    clientAuthentication: o.clientAuthentication ?? "basic",
    store: o.store,
    lock: o.lock,
    encryption: o.encryption as EncryptionOption | undefined,
    refreshMarginSeconds: o.refreshMarginSeconds ?? 300,
    timeoutMs: o.timeoutMs ?? 10_000,
    retry: { limit: o.retry?.limit ?? 3, maxRetryAfterSeconds: o.retry?.maxRetryAfterSeconds ?? 60 },
    // Called as plain functions: workerd refuses a fetch invoked as a method of another object.
    fetch: userFetch
      ? (input: RequestInfo | URL, init?: RequestInit) => userFetch(input, init)
      : (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init),
    waitUntil: o.waitUntil as ResolvedConfig["waitUntil"],
    dangerouslyAllowBrowser: o.dangerouslyAllowBrowser ?? false,
    onEvent: o.onEvent as AuthEventListener | undefined,
    now,
  };
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
