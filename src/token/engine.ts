/**
 * The token engine, for every grant: a memory cache whose hit is a few property reads, single-flight
 * fetching, background refresh inside the refresh margin, the shared store and lock, and events. A
 * grant only says how to obtain a token and how to renew one (see {@link TokenGrant}).
 *
 * Lifecycle of `getToken()`: memory hit → join the flight in progress → shared store → lock (one
 * instance fetches, the others poll the store) → the grant → store → release.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import { REDACT, type Redact, redactor } from "../redact.ts";
import type { RetryListener } from "../retry.ts";
import { abortable, monotonic } from "../wait.ts";
import { refreshAtOf, type TokenEntry } from "./entry.ts";
import type { AuthEvent, RefreshReason } from "./events.ts";
import type { Settings } from "./options.ts";
import type { SharedLayer } from "./shared.ts";
import type { AccessToken } from "./token.ts";

/** Options of a single `getToken()` call. */
export interface GetTokenOptions {
  /** Aborts this caller's wait only; a fetch shared with other callers goes on. */
  signal?: AbortSignal;
  /** Skip the memory and shared caches and fetch (or renew) a token now. */
  forceRefresh?: boolean;
}

/**
 * What every auth returns — `createAuth`, `createBrowserAuth`, `flow.session(id)`,
 * `createSaml2BearerAuth` — so `createClient`, the helpers and `paginate` work the same for users and
 * machines. Holds its secrets in a closure: serialising it shows only the URLs.
 */
export interface GenesysAuth {
  /** A valid token: cached while fresh, refreshed in the background when close to expiry. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Drops the cached token (and, unless it can be renewed from the store, the stored entry). Given
   * the token a request was refused with, it does so only if that token is still the current one, so
   * that many requests failing at once cause one refresh.
   */
  invalidate(token?: AccessToken | string): Promise<void>;
  /** The API base URL, e.g. `https://api.mypurecloud.ie`. */
  readonly apiUrl: string;
  /** The login base URL, e.g. `https://login.mypurecloud.ie`. */
  readonly loginUrl: string;
  /** The region id, e.g. `eu-west-1` (the domain for regions missing from the table). */
  readonly region: string;
}

/** What a grant is given to request a token. */
export interface GrantContext {
  /** Redacts every credential the engine knows from server text. */
  readonly redact: Redact;
  /** Reports a retry as an event. */
  readonly onRetry: RetryListener;
}

/** How one grant obtains or renews a token; the engine does the rest. */
export interface TokenGrant {
  /** Gets a new token from nothing (client credentials, SAML2 bearer). */
  obtain?(context: GrantContext): Promise<TokenEntry>;
  /**
   * Renews from the previous entry's refresh token (a signed-in user on a server). A renewal spends
   * the refresh token: only the lock holder renews, waiters never renew without the lock, and an
   * ambiguous failure is checked against the store before one more attempt.
   */
  renew?(previous: TokenEntry & { refreshToken: string }, context: GrantContext): Promise<TokenEntry>;
}

/** The engine's configuration. */
export interface EngineConfig {
  readonly settings: Settings;
  readonly grant: TokenGrant;
  /** The store and lock; undefined for a memory-only engine. */
  readonly shared?: SharedLayer | undefined;
  /** Credentials to redact from server text besides the tokens held (the secret, its Basic value). */
  readonly secrets: readonly string[];
  /** How long a stored entry is kept; default: until its access token expires. */
  entryTtlMs?(entry: TokenEntry): number;
}

/** A {@link GenesysAuth} plus what the sign-in flows and the token broker need. */
export interface TokenEngine extends GenesysAuth {
  /** Installs a token obtained elsewhere (a code exchange) in memory and in the store. */
  put(entry: TokenEntry): Promise<void>;
  /** Forgets the token everywhere: memory and store (sign-out). */
  end(): Promise<void>;
  /** An entry not yet due for refresh: the cached one, else the one a (joined or new) flight brings. */
  fresh(): Promise<TokenEntry>;
  /** Reports an event to `onEvent` (a listener's failure is swallowed). */
  emit(event: AuthEvent): void;
  /** Redacts every credential the engine knows. */
  readonly redact: Redact;
}

/** The cached token and the precomputed values the hot path reads. */
interface Cached {
  readonly entry: TokenEntry;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly promise: Promise<AccessToken>;
  readonly hit: AuthEvent;
  warned?: boolean;
}

/** After a failed background refresh, wait this long (at most) before trying again. */
const BACKGROUND_RETRY_MS = 30_000;
/** How many recently held tokens are still redacted from server text (the API may echo an old one). */
const REMEMBERED_TOKENS = 4;
/** Failures after which a spent refresh token may or may not have been used by Genesys. */
const AMBIGUOUS = new Set(["timeout", "network_error", "server_error"]);

/** The error of a user token that is missing, expired or refused, reported as an event too. */
function loginRequired(reason: "missing" | "expired" | "refused", cause?: unknown): GenesysAuthError {
  const said = {
    missing: "There is no signed-in user for this auth (unknown or ended session, or never signed in).",
    expired: "The user's token expired and cannot be renewed: sign in again.",
    refused:
      "Genesys refused to renew the user's token (the refresh token was revoked or already used): sign in again.",
  }[reason];
  return new GenesysAuthError("login_required", said, cause === undefined ? {} : { cause });
}

/** Creates a token engine for one grant. */
export function createTokenEngine(config: EngineConfig): TokenEngine {
  const { settings, grant, shared } = config;
  const { now, onEvent } = settings;
  const marginMs = settings.refreshMarginSeconds * 1000;
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
    if (settings.waitUntil === undefined) return false;
    try {
      settings.waitUntil(promise);
      return true;
    } catch (error) {
      emit({
        type: "wait_until_error",
        error: new Error(error instanceof Error ? error.message : String(error)),
      });
      return false;
    }
  };

  // The refresh state machine:
  // - `cached`: the token served from memory, with its precomputed refresh and expiry moments.
  // - `inflight`: the one fetch running now; every caller that needs a token joins it (single-flight).
  //   `inflightForced` tells whether it ignores the stores (a forced refresh): a forced call may not
  //   join a normal flight, which could answer a stored token, but anyone may join a forced one.
  // - `generation`: bumped by invalidate() and end(); a flight started before does not install its token.
  // - `backgroundBlockedUntil` (on the `now` clock, like the token's own moments): after a failed
  //   background refresh, callers keep the current token and no new one starts before this moment.
  // - `refused`: the last token the API refused; no cache layer may hand it back.
  let cached: Cached | undefined;
  let inflight: Promise<TokenEntry> | undefined;
  let inflightForced = false;
  let generation = 0;
  let backgroundBlockedUntil = 0;
  let refused: string | undefined;
  const recent: string[] = [];
  const redact = redactor(() => [...config.secrets, ...recent, cached?.entry.refreshToken]);
  const context: GrantContext = {
    redact,
    onRetry: (attempt, delayMs, status) =>
      emit({
        type: "retry",
        attempt,
        ...(delayMs === undefined ? {} : { delayMs }),
        ...(status === undefined ? {} : { status }),
      }),
  };

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

  /** An entry that may be served: fresh, new enough, and not the refused token. */
  const usable = (entry: TokenEntry | null | undefined, minIssuedAt: number): entry is TokenEntry =>
    entry != null &&
    entry.issuedAt >= minIssuedAt &&
    now() < refreshAtOf(entry, marginMs) &&
    entry.token.accessToken !== refused;

  /** The grant's next token: renewed from `previous` when it holds a refresh token, else obtained. */
  const next = async (previous: TokenEntry | undefined): Promise<TokenEntry> => {
    const started = now();
    let entry: TokenEntry;
    if (previous?.refreshToken !== undefined && grant.renew) {
      entry = await grant.renew(previous as TokenEntry & { refreshToken: string }, context);
    } else if (grant.obtain) {
      entry = await grant.obtain(context);
    } else {
      const reason = previous === undefined ? "missing" : "expired";
      emit({ type: "login_required", reason });
      throw loginRequired(reason);
    }
    emit({ type: "token_fetched", expiresAt: entry.token.expiresAt, durationMs: now() - started });
    return entry;
  };

  /**
   * The stored entry (null: none). For a renewing grant a store that cannot be read is an error:
   * renewing from memory could spend a refresh token another instance already replaced.
   */
  const readStore = async (layer: SharedLayer, spends: boolean): Promise<TokenEntry | null> => {
    const stored = await layer.read();
    if (stored !== undefined) return stored;
    if (!spends) return null;
    throw new GenesysAuthError(
      "server_error",
      "The session store could not be read (see the store_error event).",
      {
        hint: "The user's session lives in the configured store: check its backend (Redis, Deno KV, KV) and retry. The session is kept.",
      },
    );
  };

  /** The stored entry when it holds another refresh token than `previous`: another instance renewed. */
  const renewedElsewhere = async (previous: TokenEntry): Promise<TokenEntry | undefined> => {
    const stored = await shared?.read();
    return stored?.refreshToken !== undefined && stored.refreshToken !== previous.refreshToken
      ? stored
      : undefined;
  };

  /**
   * {@link next}, with the rules for spending a refresh token: after an ambiguous failure (timeout,
   * 5xx, lost answer) the token may be spent, so the store is read again — another instance may have
   * renewed — and one more attempt is allowed; a refusal ends the session unless another instance
   * renewed meanwhile.
   */
  const nextSafely = async (previous: TokenEntry | null | undefined, again = false): Promise<TokenEntry> => {
    try {
      return await next(previous ?? undefined);
    } catch (error) {
      if (previous?.refreshToken === undefined || !grant.renew) throw error;
      const code = (error as GenesysAuthError).code;
      if (AMBIGUOUS.has(code) && !again)
        return (await renewedElsewhere(previous)) ?? nextSafely(previous, true);
      if (code !== "invalid_grant") throw error;
      const other = await renewedElsewhere(previous);
      if (other !== undefined) return other;
      generation++;
      cached = undefined;
      await shared?.remove();
      emit({ type: "login_required", reason: "refused" });
      throw loginRequired("refused", error);
    }
  };

  const ttlOf = (entry: TokenEntry) => config.entryTtlMs?.(entry) ?? entry.token.expiresAt - now();

  /** Writes `entry`, in the background through `waitUntil` unless `wait` (then before answering). */
  const keep = async (entry: TokenEntry, wait: boolean): Promise<TokenEntry> => {
    const written = shared ? shared.write(entry, ttlOf(entry)) : Promise.resolve();
    if (wait || !handOff(written)) await written;
    return entry;
  };

  /** Polls the store until a usable entry appears or the holder's lease must have ended (monotonic clock). */
  const poll = async (layer: SharedLayer, minIssuedAt: number): Promise<TokenEntry | undefined> => {
    const started = monotonic();
    let interval = 25;
    let found: TokenEntry | undefined;
    while (found === undefined && monotonic() - started < layer.leaseMs) {
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(500, interval * 2);
      const stored = await layer.read();
      if (usable(stored, minIssuedAt)) found = stored;
    }
    emit({ type: "lock_wait", waitedMs: Math.round(monotonic() - started) });
    return found;
  };

  /**
   * One token, from the store or the grant. With a lock, one instance fetches while the others poll
   * the store; a renewing grant never renews without holding the lock, and re-reads the store once it
   * holds it. Without a store the grant is asked directly (single-flight still holds in the process).
   */
  const produce = async (forced: boolean): Promise<TokenEntry> => {
    if (shared === undefined) return nextSafely(cached?.entry);
    const spends = grant.renew !== undefined;
    const minIssuedAt = forced ? now() : 0;
    const first = await readStore(shared, spends);
    if (!forced && usable(first, minIssuedAt)) {
      emit({ type: "cache_hit", source: "store", expiresAt: first.token.expiresAt });
      return first;
    }
    if (!shared.locking) return keep(await nextSafely(first), false);
    const deadline = monotonic() + 2 * shared.leaseMs;
    for (;;) {
      const held = await shared.acquire();
      if (held === undefined) {
        if (spends) {
          throw new GenesysAuthError(
            "server_error",
            "The session's refresh lock could not be taken (see the store_error event).",
            {
              hint: "Renewing without the lock could spend a single-use refresh token twice and sign the user out. Check the lock's backend (Redis, Deno KV) and retry.",
            },
          );
        }
        return keep(await nextSafely(first), false); // no usable lock: fetch without one
      }
      if (held === null) {
        // Another instance is fetching: wait for its token. A refresh token may be single-use, so a
        // renewing waiter never falls through to a renewal without the lock: it takes the lock again.
        const polled = await poll(shared, minIssuedAt);
        if (polled !== undefined) return polled;
        if (!spends) return keep(await nextSafely(first), true);
        if (monotonic() >= deadline) {
          throw new GenesysAuthError(
            "timeout",
            "Another instance held the session's refresh lock for too long.",
            {
              hint: "An instance renewing this session stopped answering, or the lock's store is slow. Retry; if it persists, check the store and lock backends.",
            },
          );
        }
        continue;
      }
      try {
        // Another instance may have stored a token between our read and our lock (double-checked).
        const again = await readStore(shared, spends);
        if (usable(again, minIssuedAt)) return again;
        return await keep(await nextSafely(again), true);
      } finally {
        await shared.release(held);
      }
    }
  };

  const refresh = (reason: RefreshReason, background: boolean): Promise<TokenEntry> => {
    const forced = reason === "forced";
    if (inflight !== undefined && (inflightForced || !forced)) return inflight;
    emit({ type: "refresh", reason, background });
    const gen = generation;
    const flight = produce(forced).then((entry) => {
      install(entry, gen);
      return entry;
    });
    inflight = flight;
    inflightForced = forced;
    const settle = () => {
      if (inflight === flight) inflight = undefined;
    };
    flight.then(settle, settle);
    return flight;
  };

  const refreshInBackground = (current: Cached, at: number) => {
    if (!grant.obtain && !grant.renew) {
      // Nothing can renew this token (a browser user's): warn once, so the app can prompt in time.
      if (!current.warned) {
        current.warned = true;
        emit({ type: "expiring", expiresAt: current.expiresAt });
      }
      return;
    }
    if (inflight !== undefined || at < backgroundBlockedUntil) return;
    const flight = refresh("expiring", true).then(
      () => undefined,
      (error: unknown) => {
        const latest = cached;
        backgroundBlockedUntil =
          now() + Math.min(BACKGROUND_RETRY_MS, latest ? (latest.expiresAt - now()) / 2 : 0);
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
        refreshInBackground(current, at);
        if (onEvent !== undefined) emit(current.hit);
        return current.promise;
      }
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
    const reason: RefreshReason =
      options?.forceRefresh === true ? "forced" : current === undefined ? "missing" : "expired";
    return abortable(
      refresh(reason, false).then((entry) => entry.token),
      options?.signal,
    );
  };

  const drop = () => {
    generation++;
    cached = undefined;
    inflight = undefined;
  };

  const invalidate = async (token?: AccessToken | string): Promise<void> => {
    if (token !== undefined) {
      const value = typeof token === "string" ? token : token.accessToken;
      if (cached?.entry.token.accessToken !== value) return; // already replaced
      refused = value;
    }
    drop();
    emit({ type: "invalidated" });
    // A renewable entry stays in the store: its refresh token renews the refused access token.
    if (!grant.renew) await shared?.remove();
  };

  const engine: TokenEngine = {
    getToken,
    invalidate,
    apiUrl: settings.apiUrl,
    loginUrl: settings.loginUrl,
    region: settings.region.id,
    async put(entry) {
      drop();
      install(entry, generation);
      await keep(entry, true);
    },
    async end() {
      drop();
      await shared?.remove();
    },
    async fresh() {
      const current = cached;
      if (current !== undefined && now() < current.refreshAt) return current.entry;
      return refresh(current === undefined ? "missing" : "expiring", false);
    },
    emit,
    redact,
  };
  return engine;
}

/**
 * The public face of an engine: the {@link GenesysAuth} methods and URLs only, frozen, with the
 * engine's redaction for the API client (non-enumerable, never serialised).
 */
export function publicAuth(engine: TokenEngine): GenesysAuth {
  const auth = {
    getToken: engine.getToken,
    invalidate: engine.invalidate,
    apiUrl: engine.apiUrl,
    loginUrl: engine.loginUrl,
    region: engine.region,
  };
  Object.defineProperty(auth, REDACT, { value: engine.redact });
  return Object.freeze(auth);
}
