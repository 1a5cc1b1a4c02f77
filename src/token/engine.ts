/**
 * The token engine, for every grant: a memory cache whose hit is a few property reads, single-flight
 * fetching, background refresh inside the refresh margin, the shared store and lock (loaded only when
 * a store is configured), and events. A grant only says how to obtain a token and how to renew one
 * (see {@link TokenGrant}).
 *
 * @module
 */
import { GenesysAuthError, plainError } from "../errors.ts";
import { type Redact, redactor } from "../redact.ts";
import { abortable } from "../wait.ts";
import type { GenesysAuth, GetTokenOptions } from "./auth.ts";
import { refreshAtOf, type TokenEntry } from "./entry.ts";
import type { AuthEvent, RefreshReason } from "./events.ts";
import type { GrantContext, TokenGrant } from "./grant.ts";
import type { Settings } from "./options.ts";
import { sharedProtocol } from "./protocol.ts";
import type { SharedLayer } from "./shared.ts";
import type { AccessToken } from "./token.ts";

/** The engine's configuration. */
export interface EngineConfig {
  readonly settings: Settings;
  readonly grant: TokenGrant;
  /** Loads the store and lock layer; absent for a memory-only engine. */
  readonly shared?: (() => Promise<SharedLayer>) | undefined;
  /** Credentials to redact from server text besides the tokens held (the secret, its Basic value). */
  readonly secrets: readonly string[];
  /** How long a stored entry is kept; default: until its access token expires. */
  entryTtlMs?(entry: TokenEntry): number;
}

/** A {@link GenesysAuth} plus what the sign-in flows and the token broker need. */
export interface TokenEngine extends GenesysAuth {
  /** Installs a token obtained elsewhere (a code exchange) in memory and in the store; false when the store failed. */
  put(entry: TokenEntry): Promise<boolean>;
  /** Forgets the token everywhere: memory and store (sign-out). */
  end(): Promise<void>;
  /** An entry not yet due for refresh: the cached one, else the one a (joined or new) flight brings. */
  fresh(): Promise<TokenEntry>;
  /** The entry held now, in memory or else in the store, renewing nothing. */
  held(): Promise<TokenEntry | undefined>;
  /** The entry in memory, if any. */
  current(): TokenEntry | undefined;
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

const LOGIN_REQUIRED = {
  missing: "There is no signed-in user for this auth (unknown or ended session, or never signed in).",
  expired: "The user's token expired and cannot be renewed: sign in again.",
  refused:
    "Genesys refused to renew the user's token (its refresh token was revoked or already used): sign in again.",
};

/** Creates a token engine for one grant. */
export function createTokenEngine(config: EngineConfig): TokenEngine {
  const { settings, grant } = config;
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
        error: plainError(error, redact),
      });
      return false;
    }
  };

  // The refresh state machine:
  // - `cached`: the token served from memory, with its precomputed refresh and expiry moments.
  // - `inflight`: the one fetch running now; every caller that needs a token joins it (single-flight).
  //   `inflightForced` tells whether it ignores the stores (a forced refresh): a forced call may not
  //   join a normal flight, which could answer a stored token, but anyone may join a forced one.
  // - `generation`: bumped when the token is dropped; a flight started before does not install its token.
  // - `backgroundBlockedUntil` (on the `now` clock, like the token's own moments): after a failed
  //   background refresh, callers keep the current token and no new one starts before this moment.
  // - `refused`: the last token the API refused; no cache layer may hand it back.
  let cached: Cached | undefined;
  let inflight: Promise<TokenEntry> | undefined;
  let inflightForced = false;
  let generation = 0;
  let backgroundBlockedUntil = 0;
  let refused: string | undefined;
  let layer: Promise<SharedLayer> | undefined;
  let produceShared: Promise<(forced: boolean) => Promise<TokenEntry>> | undefined;
  const recent: string[] = [];
  const redact = redactor(() => [...config.secrets, ...recent, cached?.entry.refreshToken]);
  /** How long the shared store keeps `entry`. */
  const ttlMs = (entry: TokenEntry) => config.entryTtlMs?.(entry) ?? entry.token.expiresAt - now();
  const sharedLayer = () => {
    if (config.shared === undefined) return undefined;
    layer ??= config.shared();
    return layer;
  };

  const drop = () => {
    generation++;
    cached = undefined;
    inflight = undefined;
  };

  const loginRequired = (reason: keyof typeof LOGIN_REQUIRED, cause?: unknown) => {
    emit({ type: "login_required", reason });
    return new GenesysAuthError(
      "login_required",
      LOGIN_REQUIRED[reason],
      cause === undefined ? {} : { cause },
    );
  };

  const context: GrantContext = {
    redact,
    onRetry: (attempt, delayMs, status) =>
      emit({
        type: "retry",
        attempt,
        ...(delayMs === undefined ? {} : { delayMs }),
        ...(status === undefined ? {} : { status }),
      }),
    stored: async () => (await sharedLayer())?.read(),
    async refused(cause) {
      drop();
      await (await sharedLayer())?.remove();
      return loginRequired("refused", cause);
    },
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

  /** The grant's next token: renewed from `previous` when it holds a refresh token, else obtained. */
  const next = async (previous: TokenEntry | null | undefined): Promise<TokenEntry> => {
    const started = now();
    let entry: TokenEntry;
    if (previous?.refreshToken !== undefined && grant.renew) {
      entry = await grant.renew(previous as TokenEntry & { refreshToken: string }, context);
    } else if (grant.obtain) {
      entry = await grant.obtain(context);
    } else {
      throw loginRequired(previous ? "expired" : "missing");
    }
    emit({ type: "token_fetched", expiresAt: entry.token.expiresAt, durationMs: now() - started });
    return entry;
  };

  /** One token: from the shared protocol when there is a store, else from the grant. */
  const produce = async (forced: boolean): Promise<TokenEntry> => {
    const loading = sharedLayer();
    if (loading === undefined) return next(cached?.entry);
    produceShared ??= loading.then((shared) =>
      sharedProtocol(shared, {
        exclusive: grant.renew !== undefined,
        usable: (entry, minIssuedAt): entry is TokenEntry =>
          entry != null &&
          entry.issuedAt >= minIssuedAt &&
          now() < refreshAtOf(entry, marginMs) &&
          entry.token.accessToken !== refused,
        next,
        held: () => cached?.entry,
        ttlMs,
        handOff,
        emit,
        now,
      }),
    );
    return (await produceShared)(forced);
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

  return {
    getToken,
    async invalidate(token) {
      if (token !== undefined) {
        const value = typeof token === "string" ? token : token.accessToken;
        if (cached?.entry.token.accessToken !== value) return; // already replaced
        refused = value;
      }
      drop();
      emit({ type: "invalidated" });
      // A renewable entry stays in the store: its refresh token renews the refused access token.
      if (!grant.renew) await (await sharedLayer())?.remove();
    },
    apiUrl: settings.apiUrl,
    loginUrl: settings.loginUrl,
    region: settings.region.id,
    async put(entry) {
      drop();
      install(entry, generation);
      const layer = await sharedLayer();
      return layer === undefined || layer.write(entry, ttlMs(entry));
    },
    async end() {
      drop();
      await (await sharedLayer())?.remove();
    },
    current: () => cached?.entry,
    async held() {
      return cached?.entry ?? (await (await sharedLayer())?.read()) ?? undefined;
    },
    async fresh() {
      const current = cached;
      if (current !== undefined && now() < current.refreshAt) return current.entry;
      return refresh(current === undefined ? "missing" : "expiring", false);
    },
    emit,
    redact,
  };
}
