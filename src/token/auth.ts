/**
 * `createAuth`: gets, caches, shares and refreshes client-credentials tokens.
 *
 * Lifecycle of `getToken()`: memory hit → join the refresh in flight → shared store → lock (one
 * instance fetches, the others poll the store) → token endpoint → store → release.
 *
 * @module
 */
import { type CreateAuthOptions, resolveConfig } from "../config.ts";
import { GenesysAuthError } from "../errors.ts";
import { isBrowser } from "../runtime.ts";
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
  const shared = createSharedCache(config, emit);

  let cached: Cached | undefined;
  let inflight: Promise<AccessToken> | undefined;
  let inflightForced = false;
  let generation = 0;
  let backgroundBlockedUntil = 0;

  const install = (entry: TokenEntry, gen: number) => {
    if (gen !== generation) return;
    const { token } = entry;
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
    const issued = await requestToken(config, undefined, (attempt, delayMs, status) =>
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
      const entry = await shared.obtain(forced, fetchFresh);
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
    config.waitUntil?.(flight);
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
    return waitFor(refresh(reason, false), options?.signal);
  };

  const invalidate = async (token?: AccessToken | string): Promise<void> => {
    if (token !== undefined) {
      const value = typeof token === "string" ? token : token.accessToken;
      if (cached?.entry.token.accessToken !== value) return; // already replaced
    }
    generation++;
    cached = undefined;
    inflight = undefined;
    emit({ type: "invalidated" });
    await shared.remove();
  };

  return Object.freeze({
    getToken,
    invalidate,
    apiUrl: config.apiUrl,
    loginUrl: config.loginUrl,
    region: config.region.id,
  });
}

/** Resolves like `promise`, or rejects with the signal's reason when it aborts first. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
