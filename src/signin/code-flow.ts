/**
 * `createCodeFlow`: users sign in to a server-side web app (Node, Deno, Bun, Workers) with the
 * authorization code grant of a confidential client. The app redirects to `authorizationUrl()`,
 * hands the callback URL to `exchange()`, keeps the `sessionId` (e.g. in an HttpOnly cookie) and
 * calls the API as that user through `session(id)`. Tokens live in the configured store, encrypted
 * (in every store but the in-process memory store); the refresh token never leaves it.
 *
 * Stateless between the two steps: the state on the wire is SDK-generated and carries the app's own
 * state; the PKCE verifier is derived from the state with the client secret, so any instance of a
 * fleet can finish a sign-in another started.
 *
 * @module
 */
import * as v from "valibot";
import { hmacBase64Url } from "../crypto.ts";
import { DEFAULTS } from "../defaults.ts";
import { bytesToBase64Url, fromBase64Url } from "../encoding.ts";
import { GenesysAuthError } from "../errors.ts";
import {
  type AuthorizeParameters,
  authorizeUrl,
  codeOf,
  exchangeCode,
  logoutUrl,
  readCallback,
} from "../grants/authorization-code.ts";
import {
  type ConfidentialEngine,
  clientSecretsOf,
  confidentialEngine,
  guardBrowser,
} from "../grants/confidential.ts";
import { challengeOf, createState, randomToken } from "../grants/pkce.ts";
import { refreshGrant } from "../grants/refresh-token.ts";
import { redactor } from "../redact.ts";
import { IN_PROCESS, memoryStore } from "../store/memory.ts";
import type { TokenLock } from "../store/types.ts";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import { checkServerOptions, type ServerAuthOptions, type Settings } from "../token/options.ts";
import { flag, ownProperties, redirectUri, wholeNumber } from "../validation.ts";
import { revokeWith } from "./revoke.ts";
import { type ExchangeOptions, type SignedIn, sessionIdIsWellFormed } from "./sessions.ts";

/** Options of {@link createCodeFlow}. */
export interface CreateCodeFlowOptions extends ServerAuthOptions {
  /** Where Genesys sends the browser back: registered on the OAuth client exactly as written here. */
  redirectUri: string;
  /** Send a PKCE challenge as well (default true). */
  pkce?: boolean;
  /** How long an unused session lives in the store; renewed by every refresh. Default 30 days. */
  sessionTtlSeconds?: number;
}

/** What {@link createCodeFlow} returns. */
export interface CodeFlow {
  /**
   * The URL to send the browser to, and the `state` to keep for `exchange` (e.g. in an HttpOnly,
   * SameSite=Lax cookie). `options.state` is the app's own state, handed back by `exchange`.
   */
  authorizationUrl(
    options?: AuthorizeParameters & { state?: string },
  ): Promise<{ url: string; state: string }>;
  /**
   * Finishes a sign-in: checks the callback's state against `options.state`, exchanges the code and
   * stores the session.
   *
   * @throws {GenesysAuthError} `state_mismatch`, `access_denied`, `invalid_grant` (a code used twice, or
   *   a redirect URI that differs from the registered one), or a token request failure.
   */
  exchange(callbackUrl: string | URL, options: ExchangeOptions): Promise<SignedIn>;
  /** The user's auth, for `createClient`. Never throws: for an unknown or ended session, getToken() rejects `login_required`. */
  session(sessionId: string): GenesysAuth;
  /** Revokes the session's token (best effort) and deletes the session. */
  signOut(sessionId: string): Promise<void>;
  /** Genesys' logout URL, which ends the user's Genesys login session and returns to `redirectTo`. */
  logoutUrl(redirectTo: string): string;
}

const ownEntries = {
  redirectUri,
  pkce: v.optional(flag),
  sessionTtlSeconds: v.optional(wholeNumber("seconds", 60, 365 * 24 * 3600)),
};

/** Engines kept per session id, so repeated requests of one user hit the memory cache. */
const SESSIONS_KEPT = 1000;

/**
 * Creates the server-side sign-in flow of a Code Authorization client.
 *
 * @throws {GenesysAuthError} `invalid_config` for bad options; `browser_not_allowed` in a browser.
 */
export function createCodeFlow(options: CreateCodeFlowOptions): CodeFlow {
  // Sessions need a store: one in this process's memory unless one is given; a store that is also a
  // lock (memoryStore(), durableObjectStore()) is the lock unless one is given.
  const { o, settings } = checkServerOptions(ownEntries, options, "createCodeFlow option", (given) => {
    const store = given.store ?? memoryStore();
    return typeof (store as Partial<TokenLock>).tryAcquire === "function"
      ? { store, lock: store as unknown as TokenLock }
      : { store };
  });
  // A refresh token may be single-use: sessions shared between instances need the lock, and their
  // entries are encrypted in every store but the in-process one.
  const inProcess = (settings.store as { [IN_PROCESS]?: true } | undefined)?.[IN_PROCESS] === true;
  if (!inProcess && settings.lock === undefined) {
    throw new GenesysAuthError(
      "invalid_config",
      'Invalid createCodeFlow option "lock": a shared store needs a lock for sessions (refresh tokens are single-use: two instances refreshing at once sign the user out).',
      {
        hint: "Pass lock: redisLock(…), denoKvLock(…) or the durableObjectStore(…) itself; Workers KV cannot hold sessions (it is eventually consistent). In one process, leave store unset (memory).",
      },
    );
  }
  if (!inProcess && o.encryption === false) {
    throw new GenesysAuthError(
      "invalid_config",
      'Invalid createCodeFlow option "encryption": sessions hold refresh tokens and are always encrypted in a shared store.',
      {
        hint: "Leave encryption unset (the client secret derives the key), or pass { key } to choose the key.",
      },
    );
  }
  const client = { method: "basic", id: o.clientId, secret: o.clientSecret } as const;
  const pkce = o.pkce !== false;
  const sessionTtlMs = (o.sessionTtlSeconds ?? DEFAULTS.sessionTtlSeconds) * 1000;
  const renewal = refreshGrant(settings, client);
  const engines = new Map<string, ConfidentialEngine>();

  const engineOf = (sessionId: string): ConfidentialEngine => {
    let found = engines.get(sessionId);
    if (found === undefined) {
      found = confidentialEngine({
        settings,
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        keyParts: ["session", sessionId],
        grant: renewal,
        factory: "createCodeFlow()",
        dangerouslyAllowBrowser: o.dangerouslyAllowBrowser,
        entryTtlMs: () => sessionTtlMs,
      });
      if (engines.size >= SESSIONS_KEPT) engines.delete(engines.keys().next().value as string);
      engines.set(sessionId, found);
    }
    return found;
  };
  guardBrowser("createCodeFlow()", o.dangerouslyAllowBrowser);

  /** The PKCE verifier of a sign-in: derived from its state with the client secret (43 characters). */
  const verifierOf = (state: string) => hmacBase64Url(o.clientSecret, `genesys-cloud-auth/pkce\n${state}`);
  const secrets = clientSecretsOf(o.clientId, o.clientSecret);
  const redact = redactor(() => secrets);

  return {
    async authorizationUrl(given = {}) {
      const request = ownProperties(given);
      const appState = request.state;
      if (appState !== undefined && (typeof appState !== "string" || appState.length > 1024)) {
        throw new GenesysAuthError(
          "invalid_config",
          "authorizationUrl(): state must be a string of at most 1024 characters.",
        );
      }
      const state = `${createState()}${appState ? `.${bytesToBase64Url(new TextEncoder().encode(appState))}` : ""}`;
      const url = authorizeUrl(settings.loginUrl, {
        ...request,
        clientId: o.clientId,
        redirectUri: o.redirectUri,
        state,
        challenge: pkce ? await challengeOf(await verifierOf(state)) : undefined,
        scopes: settings.scopes,
      });
      return { url, state };
    },

    async exchange(callbackUrl, exchange) {
      const expected = ownState(exchange);
      let url: URL;
      try {
        url = new URL(callbackUrl);
      } catch {
        throw new GenesysAuthError("invalid_request", "exchange(): the callback URL is not a URL.");
      }
      const code = codeOf(readCallback(url), expected, redact);
      const entry = await exchangeCode(
        settings,
        { code, redirectUri: o.redirectUri, verifier: pkce ? await verifierOf(expected) : undefined, client },
        { redact },
      );
      const sessionId = randomToken(24);
      const { engine } = engineOf(sessionId);
      if (!(await engine.put(entry))) {
        engines.delete(sessionId);
        await revokeWith(engine, settings);
        throw new GenesysAuthError(
          "server_error",
          "The session could not be stored (see the store_error event); the sign-in was undone.",
          {
            hint: "The user's session lives in the configured store: check its backend (Redis, Deno KV, the Durable Object) and sign in again.",
          },
        );
      }
      engine.emit({ type: "signed_in", expiresAt: entry.token.expiresAt });
      const dot = expected.indexOf(".");
      const appBytes = dot === -1 ? undefined : fromBase64Url(expected.slice(dot + 1));
      return {
        sessionId,
        expiresAt: entry.token.expiresAt,
        ...(entry.token.scopes ? { scopes: entry.token.scopes } : {}),
        ...(appBytes ? { appState: new TextDecoder().decode(appBytes) } : {}),
      };
    },

    session(sessionId) {
      if (!sessionIdIsWellFormed(sessionId)) return endedSession(settings);
      return publicAuth(engineOf(sessionId).engine);
    },

    async signOut(sessionId) {
      if (!sessionIdIsWellFormed(sessionId)) return;
      const { engine } = engineOf(sessionId);
      await revokeWith(engine, settings);
      await engine.end();
      engines.delete(sessionId);
      engine.emit({ type: "signed_out" });
    },

    logoutUrl: (redirectTo) => logoutUrl(settings.loginUrl, o.clientId, redirectTo),
  };
}

/** The state the app kept, checked: a string (never derived from the callback itself). */
function ownState(exchange: ExchangeOptions): string {
  const state = ownProperties(exchange as Partial<ExchangeOptions> | undefined)?.state;
  if (typeof state !== "string" || state === "") {
    throw new GenesysAuthError(
      "state_mismatch",
      "exchange(): no state was given to check the callback against (pass the state authorizationUrl() returned).",
    );
  }
  return state;
}

/** The auth of a session id that cannot exist: every getToken() rejects `login_required`. */
function endedSession(settings: Settings): GenesysAuth {
  const refuse = () =>
    Promise.reject(
      new GenesysAuthError("login_required", "There is no session with this id: sign the user in again."),
    );
  return {
    getToken: refuse,
    invalidate: async () => {},
    apiUrl: settings.apiUrl,
    loginUrl: settings.loginUrl,
    region: settings.region.id,
  };
}
