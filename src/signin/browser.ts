/**
 * `createBrowserAuth`: a user signs in to a single-page app — or an app framed inside Genesys Cloud —
 * with the authorization code grant and S256 PKCE of a public client (no secret). Redirect or popup;
 * `state` always generated and checked; verifier and state single-use, removed on success and
 * failure; a code exchanged at most once even when `handleRedirect` runs twice; code and state
 * stripped from the address bar. Genesys gives PKCE clients no refresh token: an `expiring` event
 * warns at the refresh margin, and an expired token is `login_required`.
 *
 * @module
 */
import * as v from "valibot";
import { GenesysAuthError } from "../errors.ts";
import {
  type AuthorizeParameters,
  authorizeUrl,
  type Callback,
  codeOf,
  exchangeCode,
  isCallback,
  logoutUrl,
  readCallback,
} from "../grants/authorization-code.ts";
import { challengeOf, createState, createVerifier } from "../grants/pkce.ts";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import { createTokenEngine } from "../token/engine.ts";
import {
  type ConnectionOptions,
  connectionEntries,
  NESTED_OPTIONS,
  type RequestOptions,
  requestEntries,
  resolveSettings,
} from "../token/options.ts";
import type { AccessToken } from "../token/token.ts";
import {
  checkOptions,
  credential,
  optionsObject,
  ownProperties,
  redirectUri,
  text,
  valid,
} from "../validation.ts";
import { stripAnswer } from "./address-bar.ts";
import { awaitPopup, handOver, openPopup } from "./popup.ts";
import { revokeWith } from "./revoke.ts";
import { type Pending, type StorageOption, signInStore, storageOf } from "./storage.ts";

/** Options of {@link createBrowserAuth}. */
export interface CreateBrowserAuthOptions extends ConnectionOptions, RequestOptions {
  /** The PKCE-enabled Code Authorization client's id (no secret: a public client). */
  clientId: string;
  /** Where Genesys sends the browser back: registered on the OAuth client exactly, on this app's origin. */
  redirectUri: string;
  /** With `provider`: sign in through this organization's single sign-on (the org's short name). */
  org?: string;
  /** With `org`: the SSO identity provider. */
  provider?: string;
  /** Authorized Organizations: the id of the organization to sign in to. */
  target?: string;
  /** Where the token and pending sign-ins live: `"session"` (default), `"local"`, `"memory"` or a storage of yours. */
  storage?: StorageOption;
}

/** Options of {@link BrowserAuth.signIn}. */
export interface SignInOptions extends Pick<AuthorizeParameters, "loginHint" | "prompt"> {
  /** The app's own state (e.g. where to go after the sign-in), handed back by `handleRedirect`. */
  state?: string;
  /** Sign in in a popup (for apps framed inside Genesys Cloud) instead of navigating away. */
  popup?: boolean;
}

/** What {@link createBrowserAuth} returns: a {@link GenesysAuth} for the signed-in user, and the sign-in itself. */
export interface BrowserAuth extends GenesysAuth {
  /**
   * Starts a sign-in. Redirect mode navigates away (the promise never settles); popup mode resolves
   * with the user's token once the popup's redirect page has handed the answer back. Call it from a
   * click handler, before any `await`, for popup mode. A popup sign-in started while another is
   * running joins it (its popup is brought to the front): a double click makes one sign-in.
   *
   * @throws {GenesysAuthError} `popup_blocked`, `popup_closed`, `state_mismatch`, `access_denied`, `invalid_grant`.
   */
  signIn(options?: SignInOptions): Promise<AccessToken>;
  /**
   * On the redirect page: `null` when the URL carries no sign-in answer; otherwise checks the state,
   * exchanges the code, keeps the token, removes code and state from the address bar and resolves
   * `{ state }` (the app's own state). In a sign-in popup it hands the answer to the opener and closes.
   * Calls made while one is running share it (React strict mode), also when they read the address
   * bar it already cleaned; the same answer replayed later (a new page load) is `invalid_grant`.
   *
   * @throws {GenesysAuthError} `state_mismatch`, `access_denied`, `invalid_grant` or a token request failure.
   */
  handleRedirect(url?: string | URL): Promise<{ state?: string } | null>;
  /** Whether a token that has not expired is held. */
  isSignedIn(): boolean;
  /** Revokes the token (best effort) and forgets it; with `redirectTo`, goes to Genesys' logout page. */
  signOut(options?: { redirectTo?: string }): Promise<void>;
}

const optionsSchema = optionsObject(
  {
    clientId: credential("client id"),
    redirectUri,
    ...connectionEntries,
    org: v.optional(text("must be a string (the organization's short name)")),
    provider: v.optional(text("must be a string (the SSO identity provider)")),
    target: v.optional(text("must be a string (the target organization's id)")),
    storage: v.optional(
      valid<StorageOption>(
        (x) =>
          x === "session" ||
          x === "local" ||
          x === "memory" ||
          (typeof x === "object" &&
            x !== null &&
            ["getItem", "setItem", "removeItem"].every(
              (m) => typeof (x as Record<string, unknown>)[m] === "function",
            )),
        'must be "session", "local", "memory" or an object with getItem, setItem and removeItem',
      ),
    ),
    ...requestEntries,
  },
  "createBrowserAuth option",
);

/**
 * Creates the sign-in of a public (PKCE) Code Authorization client in a browser page.
 *
 * @throws {GenesysAuthError} `invalid_config` for bad options.
 */
export function createBrowserAuth(options: CreateBrowserAuthOptions): BrowserAuth {
  const o = checkOptions(optionsSchema, options, "createBrowserAuth option", NESTED_OPTIONS);
  const settings = resolveSettings(o, "createBrowserAuth option");
  const store = signInStore(storageOf(o.storage as StorageOption | undefined), o.clientId, settings.now);
  const engine = createTokenEngine({ settings, grant: {}, secrets: [] });
  const client = { method: "none", id: o.clientId } as const;
  const handled = new Set<string>();
  const inProgress = new Map<string, Promise<{ state?: string }>>();
  // The answer this page's address bar carried, while it is being handled: it is stripped at once,
  // so a second call that reads the address bar (React strict mode) finds it clean and must share it.
  let fromAddressBar: Promise<{ state?: string }> | undefined;

  // A token kept by an earlier page load (a reload keeps the session).
  const kept = store.token();
  if (kept !== undefined && kept.token.expiresAt > settings.now()) void engine.put(kept);
  else if (kept !== undefined) store.forgetToken();

  /** Checks an answer against its pending sign-in, exchanges the code and keeps the token. */
  const finish = async (callback: Callback, state: string, pending: Pending): Promise<{ state?: string }> => {
    try {
      const code = codeOf(callback, state, engine.redact);
      const entry = await exchangeCode(
        settings,
        { code, redirectUri: o.redirectUri, verifier: pending.verifier, client },
        { redact: engine.redact },
      );
      await engine.put(entry);
      store.saveToken(entry);
      engine.emit({ type: "signed_in", expiresAt: entry.token.expiresAt });
      return pending.appState === undefined ? {} : { state: pending.appState };
    } finally {
      store.finish(state); // single-use: gone on success and on failure
      handled.add(state);
    }
  };

  const replayed = () =>
    new GenesysAuthError(
      "invalid_grant",
      "This sign-in answer was used already: its code was exchanged (or refused) once, and a code is single-use.",
      { hint: "Reload the app without the code in its address, or sign in again." },
    );

  const mismatch = () =>
    new GenesysAuthError(
      "state_mismatch",
      "The sign-in answer does not belong to a sign-in started here (no pending sign-in has its state).",
    );

  /** Starts one sign-in: records it as pending, then sends the browser (or `popup`) to the login page. */
  const start = async (request: SignInOptions, popup: Window | undefined): Promise<AccessToken> => {
    try {
      const state = createState();
      const verifier = createVerifier();
      const pending: Pending = {
        verifier,
        popup: popup !== undefined,
        startedAt: settings.now(),
        ...(request.state === undefined ? {} : { appState: request.state }),
      };
      store.begin(state, pending);
      const url = authorizeUrl(settings.loginUrl, {
        clientId: o.clientId,
        redirectUri: o.redirectUri,
        state,
        challenge: await challengeOf(verifier),
        scopes: settings.scopes,
        ...(o.org === undefined ? {} : { org: o.org }),
        ...(o.provider === undefined ? {} : { provider: o.provider }),
        ...(o.target === undefined ? {} : { target: o.target }),
        ...(request.loginHint === undefined ? {} : { loginHint: request.loginHint }),
        ...(request.prompt === undefined ? {} : { prompt: request.prompt }),
      });
      if (popup === undefined) {
        globalThis.location.assign(url);
        return new Promise<AccessToken>(() => {}); // the page is leaving
      }
      let callback: Callback;
      try {
        callback = await awaitPopup(popup, url);
      } catch (error) {
        store.finish(state);
        throw error;
      }
      await finish(callback, state, pending); // the answer's state must be this sign-in's
      return engine.getToken();
    } catch (error) {
      popup?.close();
      throw error;
    }
  };

  // The popup sign-in running now: a second click joins it (one popup, one answer, one exchange).
  let popupRun: { popup: Window; flight: Promise<AccessToken> } | undefined;

  return publicAuth<Omit<BrowserAuth, keyof GenesysAuth>>(engine, {
    signIn(given: SignInOptions = {}) {
      const request = ownProperties(given); // never an inherited (polluted) option
      if (request.popup !== true) return start(request, undefined);
      const running = popupRun;
      if (running !== undefined && !running.popup.closed) {
        running.popup.focus();
        return running.flight;
      }
      let popup: Window;
      try {
        popup = openPopup(); // in the click itself, before any await: popup blockers allow no other
      } catch (error) {
        return Promise.reject(error);
      }
      const flight: Promise<AccessToken> = start(request, popup).finally(() => {
        if (popupRun?.flight === flight) popupRun = undefined;
      });
      popupRun = { popup, flight };
      return flight;
    },

    handleRedirect(input?: string | URL) {
      const url = new URL(input ?? globalThis.location.href);
      const callback = readCallback(url);
      if (!isCallback(callback)) {
        // The address bar was stripped by a call still running: share it rather than answer null.
        return input === undefined && fromAddressBar !== undefined ? fromAddressBar : Promise.resolve(null);
      }
      const state = callback.state ?? "";
      const running = inProgress.get(state);
      if (running !== undefined) return running; // a second call (React strict mode) shares the exchange
      if (handled.has(state)) return Promise.resolve(null);
      const pending = store.peek(state);
      // Off the address bar (and out of the history entry) before anything else, popup or not.
      const stripped = stripAnswer(url);
      // In a sign-in popup: hand the answer to the opener (its storage may be out of reach).
      if ((pending === undefined || pending.popup) && handOver(callback)) return Promise.resolve(null);
      let work: Promise<{ state?: string }>;
      if (pending !== undefined) work = finish(callback, state, pending);
      else {
        handled.add(state);
        work = Promise.reject(store.spent(state) ? replayed() : mismatch());
      }
      const flight = work.finally(() => {
        inProgress.delete(state);
        if (fromAddressBar === flight) fromAddressBar = undefined;
      });
      inProgress.set(state, flight);
      if (stripped) fromAddressBar = flight;
      return flight;
    },

    isSignedIn() {
      const entry = engine.current();
      return entry !== undefined && settings.now() < entry.token.expiresAt;
    },

    async signOut(given: { redirectTo?: string } = {}) {
      const request = ownProperties(given);
      await revokeWith(engine, settings);
      await engine.end();
      store.forgetToken();
      store.finishAll();
      engine.emit({ type: "signed_out" });
      if (request.redirectTo !== undefined) {
        globalThis.location.assign(logoutUrl(settings.loginUrl, o.clientId, request.redirectTo));
      }
    },
  });
}
