// The app page the browser sign-in tests drive (bundled with esbuild for the browser, served on
// 127.0.0.1). Its configuration comes from `window.TEST_CONFIG`, written into the page by the test's
// server. On load it calls handleRedirect() (twice at once with `strictMode`, as React's strict mode
// does); buttons start a redirect or a popup sign-in from a real click. Results land on `window.app`
// as outcomes that never carry a token: the tests check that nothing secret reaches the page's
// DOM, console, errors or events.
import {
  type AuthEvent,
  createBrowserAuth,
  createClient,
  isGenesysAuthError,
  type SignInOptions,
} from "genesys-cloud-auth/browser";

/** What the test's server writes into the page. */
export interface PageConfig {
  /** The mock's PKCE client. */
  clientId: string;
  /** The app page's URL, registered on the mock exactly. */
  redirectUri: string;
  /** The mock's URL (login host). */
  loginUrl: string;
  /** The mock's URL (API). */
  apiUrl: string;
  /** createBrowserAuth's `storage` (default sessionStorage). */
  storage?: "session" | "local" | "memory";
  /** createBrowserAuth's `refreshMarginSeconds`. */
  refreshMarginSeconds?: number;
  /** Call handleRedirect() twice at once on load, as React's strict mode does. */
  strictMode?: boolean;
  /** Start a popup sign-in on load, without a user gesture (popup blockers refuse it). */
  popupOnLoad?: boolean;
}

/** A settled call: its value, or the error's public fields. */
export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; code?: string; message: string; hint?: string; stack?: string } };

/** What the page exposes to the tests. */
export interface TestApp {
  events: AuthEvent[];
  outcomes: Record<string, Outcome[]>;
  /** Shifts the auth's clock by `ms` (expiry tests). */
  shiftClock(ms: number): void;
  signIn(options?: SignInOptions): Promise<Outcome>;
  handleRedirect(url?: string): Promise<Outcome>;
  me(): Promise<Outcome>;
  getToken(): Promise<Outcome>;
  isSignedIn(): boolean;
  signOut(options?: { redirectTo?: string }): Promise<Outcome>;
}

declare global {
  interface Window {
    TEST_CONFIG: PageConfig;
    app: TestApp;
  }
}

const config = window.TEST_CONFIG;
let offsetMs = 0;
const events: AuthEvent[] = [];
const outcomes: Record<string, Outcome[]> = {};
const record = (name: string, outcome: Outcome) => {
  outcomes[name] ??= [];
  outcomes[name].push(outcome);
  console.log(`outcome ${name}: ${JSON.stringify(outcome)}`); // the tests scan the console too
};

function describeError(error: unknown): Outcome {
  if (isGenesysAuthError(error)) {
    return {
      ok: false,
      error: {
        name: error.name,
        code: error.code,
        message: error.message,
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...(error.stack === undefined ? {} : { stack: error.stack }),
      },
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const hint = (e as { hint?: unknown }).hint; // the API client's HTTPError carries one
  return {
    ok: false,
    error: {
      name: e.name,
      message: e.message,
      ...(typeof hint === "string" ? { hint } : {}),
      ...(e.stack ? { stack: e.stack } : {}),
    },
  };
}

const settle = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    (value) => ({ ok: true, value }) as const,
    (error: unknown) => describeError(error),
  );

const auth = createBrowserAuth({
  clientId: config.clientId,
  redirectUri: config.redirectUri,
  loginUrl: config.loginUrl,
  apiUrl: config.apiUrl,
  ...(config.storage === undefined ? {} : { storage: config.storage }),
  ...(config.refreshMarginSeconds === undefined ? {} : { refreshMarginSeconds: config.refreshMarginSeconds }),
  onEvent: (event) => {
    events.push(event);
    console.log(`event: ${JSON.stringify(event)}`);
  },
  now: () => Date.now() + offsetMs,
});
const api = createClient({ auth });

window.app = {
  events,
  outcomes,
  shiftClock(ms) {
    offsetMs = ms;
  },
  signIn: (options) => settle(auth.signIn(options).then((token) => ({ expiresAt: token.expiresAt }))),
  handleRedirect: (url) => settle(auth.handleRedirect(url)),
  me: () =>
    settle(
      api
        .get("api/v2/users/me")
        .json<{ name: string }>()
        .then((user) => user.name),
    ),
  getToken: () => settle(auth.getToken().then((token) => ({ expiresAt: token.expiresAt }))),
  isSignedIn: () => auth.isSignedIn(),
  signOut: (options) => settle(auth.signOut(options)),
};

// Buttons: the sign-ins start in a real click (popup blockers want a user gesture).
const button = (id: string, label: string, onClick: () => void) => {
  const element = document.createElement("button");
  element.id = id;
  element.textContent = label;
  element.addEventListener("click", onClick);
  document.body.append(element);
};
button("redirect", "Sign in", () => void auth.signIn({ state: "back-to-inbox" }));
button("popup", "Sign in (popup)", () => {
  void settle(
    auth.signIn({ popup: true, state: "popup-state" }).then((token) => ({ expiresAt: token.expiresAt })),
  ).then((outcome) => record("popup", outcome));
});

const onLoad = () => void settle(auth.handleRedirect()).then((outcome) => record("load", outcome));
onLoad();
if (config.strictMode === true) onLoad();
if (config.popupOnLoad === true) {
  void settle(auth.signIn({ popup: true })).then((outcome) => record("popupOnLoad", outcome));
}
document.body.dataset.ready = "true";
