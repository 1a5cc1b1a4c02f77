/**
 * `createAuth`: gets, caches, shares and refreshes client-credentials tokens.
 *
 * Lifecycle of `getToken()`: memory hit → join the refresh in flight → shared store → lock (one
 * instance fetches, the others poll the store) → token endpoint → store → release.
 *
 * @module
 */
import { type CreateAuthOptions, resolveConfig } from "../config.ts";
import { bytesToBase64 } from "../encoding.ts";
import { GenesysAuthError } from "../errors.ts";
import { REDACT, redactor } from "../redact.ts";
import { isBrowser } from "../runtime.ts";
import { abortable } from "../wait.ts";
import { refreshAtOf, type TokenEntry } from "./entry.ts";
import type { AuthEvent, RefreshReason } from "./events.ts";
import { requestToken } from "./request.ts";
import { createSharedCache } from "./shared-cache.ts";
import type { AccessToken } from "./token.ts";

/** Options of a single `getToken()` call. */
export interface GetTokenOptions {
  /** Aborts this caller's wait only; a fetch shared with other callers goes on. */
  signal?: AbortSignal;
  /** Skip the memory and shared caches and fetch a new token. */
  forceRefresh?: boolean;
}

/** What `createAuth` returns. Holds the secret in a closure: serialising it shows only the URLs. */
export interface GenesysAuth {
  /** A valid token: cached while fresh, refreshed in the background when close to expiry. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Drops the cached token from memory and from the shared store. Given the token a request was
   * refused with, it does so only if that token is still the current one, so that many requests
   * failing at once cause one refresh.
   */
  invalidate(token?: AccessToken | string): Promise<void>;
  /** The API base URL, e.g. `https://api.mypurecloud.ie`. */
  readonly apiUrl: string;
  /** The login base URL, e.g. `https://login.mypurecloud.ie`. */
  readonly loginUrl: string;
  /** The region id, e.g. `eu-west-1` (the domain for regions missing from the table). */
  readonly region: string;
}

/** The cached token and the precomputed values the hot path reads. */
interface Cached {
  readonly entry: TokenEntry;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly promise: Promise<AccessToken>;
  readonly hit: AuthEvent;
}

/** After a failed background refresh, wait this long (at most) before trying again. */
const BACKGROUND_RETRY_MS = 30_000;
/** How many recently held tokens are still redacted from server text (the API may echo an old one). */
const REMEMBERED_TOKENS = 4;

/**
 * Creates a token provider for one OAuth client.
 *
 * @throws {GenesysAuthError} `invalid_config` for bad options; `browser_not_allowed` in a browser
 *   without `dangerouslyAllowBrowser: true`.
 */
export function createAuth(options: CreateAuthOptions): GenesysAuth {
  const config = resolveConfig(options);
  if (isBrowser() && !config.dangerouslyAllowBrowser) {
    throw new GenesysAuthError(
      "browser_not_allowed",
      "createAuth() refuses to run in a browser: the client secret would be exposed to everyone who loads the page.",
    );
  }
  const { now, onEvent } = config;
  const marginMs = config.refreshMarginSeconds * 1000;
  const emit = (event: AuthEvent) => {
    if (onEvent === undefined) return;
    try {
      onEvent(event);
    } catch {
      // a listener's failure is not the caller's
    }
  };
  /** Hands a background promise to `waitUntil`; false when there is none or it failed (then: await it). */
  const handOff = (promise: Promise<unknown>): boolean => {
    if (config.waitUntil === undefined) return false;
    try {
      config.waitUntil(promise);
      return true;
    } catch (error) {
      const reported = new Error(error instanceof Error ? error.message : String(error));
      emit({ type: "wait_until_error", error: reported });
      return false;
    }
  };
  const shared = createSharedCache(config, emit, handOff);

  // The refresh state machine:
  // - `cached`: the token served from memory, with its precomputed refresh and expiry moments.
  // - `inflight`: the one fetch running now; every caller that needs a token joins it (single-flight).
  //   `inflightForced` tells whether it ignores the stores (a forced refresh): a forced call may not
  //   join a normal flight, which could answer a stored token, but anyone may join a forced one.
  // - `generation`: bumped by invalidate(); a flight started before it does not install its token.
  // - `backgroundBlockedUntil` (on the `now` clock, like the token's own moments): after a failed
  //   background refresh, callers keep the current token and no new one starts before this moment.
  // - `refused`: the last token the API refused; no cache layer may hand it back.
  let cached: Cached | undefined;
  let inflight: Promise<AccessToken> | undefined;
  let inflightForced = false;
  let generation = 0;
  let backgroundBlockedUntil = 0;
  let refused: string | undefined;
  const recent: string[] = [];

  const basic = bytesToBase64(new TextEncoder().encode(`${config.clientId}:${config.clientSecret}`));
  const redact = redactor(() => [config.clientSecret, basic, ...recent]);

  const install = (entry: TokenEntry, gen: number) => {
    if (gen !== generation) return;
    const { token } = entry;
    if (recent[0] !== token.accessToken) {
      recent.unshift(token.accessToken);
      recent.length = Math.min(recent.length, REMEMBERED_TOKENS);
    }
    cached = {
      entry,
      refreshAt: refreshAtOf(entry, marginMs),
      expiresAt: token.expiresAt,
      promise: Promise.resolve(token),
      hit: Object.freeze({ type: "cache_hit", source: "memory", expiresAt: token.expiresAt }),
    };
  };

  const fetchFresh = async (): Promise<TokenEntry> => {
    const started = now();
    const issued = await requestToken(config, redact, undefined, (attempt, delayMs, status) =>
      emit({
        type: "retry",
        attempt,
        ...(delayMs === undefined ? {} : { delayMs }),
        ...(status === undefined ? {} : { status }),
      }),
    );
    emit({ type: "token_fetched", expiresAt: issued.token.expiresAt, durationMs: now() - started });
    return issued;
  };

  const refresh = (reason: RefreshReason, background: boolean): Promise<AccessToken> => {
    const forced = reason === "forced";
    if (inflight !== undefined && (inflightForced || !forced)) return inflight;
    emit({ type: "refresh", reason, background });
    const gen = generation;
    const flight = (async () => {
      const entry = await shared.obtain(forced, fetchFresh, refused);
      install(entry, gen);
      return entry.token;
    })();
    inflight = flight;
    inflightForced = forced;
    const settle = () => {
      if (inflight === flight) inflight = undefined;
    };
    flight.then(settle, settle);
    return flight;
  };

  const refreshInBackground = (at: number) => {
    if (inflight !== undefined || at < backgroundBlockedUntil) return;
    const flight = refresh("expiring", true).then(
      () => undefined,
      (error: unknown) => {
        const current = cached;
        backgroundBlockedUntil =
          now() + Math.min(BACKGROUND_RETRY_MS, current ? (current.expiresAt - now()) / 2 : 0);
        emit({ type: "refresh_failed", error: error as GenesysAuthError });
      },
    );
    handOff(flight);
  };

  const getToken = (options?: GetTokenOptions): Promise<AccessToken> => {
    const current = cached;
    if (current !== undefined && options?.forceRefresh !== true) {
      const at = now();
      if (at < current.refreshAt) {
        if (onEvent !== undefined) emit(current.hit);
        return current.promise;
      }
      if (at < current.expiresAt) {
        refreshInBackground(at);
        if (onEvent !== undefined) emit(current.hit);
        return current.promise;
      }
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
    const reason: RefreshReason =
      options?.forceRefresh === true ? "forced" : current === undefined ? "missing" : "expired";
    return abortable(refresh(reason, false), options?.signal);
  };

  const invalidate = async (token?: AccessToken | string): Promise<void> => {
    if (token !== undefined) {
      const value = typeof token === "string" ? token : token.accessToken;
      if (cached?.entry.token.accessToken !== value) return; // already replaced
      refused = value;
    }
    generation++;
    cached = undefined;
    inflight = undefined;
    emit({ type: "invalidated" });
    await shared.remove();
  };

  const auth = {
    getToken,
    invalidate,
    apiUrl: config.apiUrl,
    loginUrl: config.loginUrl,
    region: config.region.id,
  };
  // For the API client: the same redaction for what the API echoes (non-enumerable, never serialised).
  Object.defineProperty(auth, REDACT, { value: redact });
  return Object.freeze(auth);
}
