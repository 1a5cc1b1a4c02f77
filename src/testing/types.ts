/**
 * Types shared by the mock's modules: the counters, custom routes, and the mutable state (clients,
 * issued tokens, authorization codes, refresh tokens, the login session) every handler works on.
 * Leaf module: it imports types only, so no module of the mock imports another in a loop.
 *
 * @module
 */
import type { MockUser } from "./bodies.ts";

/** Request counters, updated live. Every grant has its own counter; `tokensIssued` sums them. */
export interface MockStats {
  /** Requests to `/oauth/token`, whatever their grant and outcome. */
  tokenRequests: number;
  /** Access tokens issued, whatever the grant. */
  tokensIssued: number;
  /** Access tokens issued by the `client_credentials` grant. */
  clientCredentialsGrants: number;
  /** Requests to `GET /oauth/authorize`, whatever their outcome. */
  authorizeRequests: number;
  /** Authorization codes issued (redirects carrying `code`). */
  codesIssued: number;
  /** Authorization codes exchanged for tokens (successful `authorization_code` grants). */
  codeExchanges: number;
  /** Exchanges refused because the code had already been presented once. */
  codeReuseRefused: number;
  /** Successful `refresh_token` grants. */
  refreshes: number;
  /** Refresh requests refused because the refresh token had already been used (rotated away). */
  refreshReuseRefused: number;
  /** Successful SAML2 bearer grants. */
  saml2Grants: number;
  /** Requests to `GET /logout`. */
  logouts: number;
  /** CORS preflights (`OPTIONS`) answered for `/oauth/token` and `/api/...`; not counted elsewhere. */
  corsPreflights: number;
  /** Requests to `/api/...`, whatever their outcome. */
  apiRequests: number;
  /** API requests that carried no `Authorization: Bearer` header. */
  apiRequestsWithoutBearer: number;
  /** API requests answered 401. */
  apiUnauthorized: number;
  /** Requests answered 429 (scripted or by the rate limit). */
  rateLimited: number;
}

/** A custom route: answers a `Response`, or a value sent as JSON with status 200. */
export type MockRoute = (
  request: Request,
  context: { url: URL; correlationId: string },
) => Response | unknown | Promise<Response | unknown>;

/** What the mock's authorize endpoint does after validating a request. */
export interface MockLoginPageOptions {
  /**
   * `"redirect"` (default): answer with a bare `302` to the redirect URI. `"html"`: answer `200` with
   * a small login page that continues to the redirect URI by script (and by `<meta http-equiv=refresh>`
   * without script) once loaded, as a real login page does after the user signs in.
   */
  mode?: "redirect" | "html";
  /**
   * Sends `Cross-Origin-Opener-Policy: same-origin` on the authorize answer (302 or page): the login
   * page severs `window.opener`, as some identity providers' pages do. Default `false`.
   */
  crossOriginOpenerPolicy?: boolean;
  /** With `mode: "html"`: how long the page stays before continuing, in ms. Default 0. */
  continueAfterMs?: number;
}

/** The parameters of one `GET /oauth/authorize` request, as the mock received them. */
export interface MockAuthorizeRequest {
  /** The full request URL. */
  url: string;
  /** Every query parameter (first value of each). */
  params: Record<string, string>;
  /** `client_id`. */
  clientId: string | undefined;
  /** `response_type`. */
  responseType: string | undefined;
  /** `redirect_uri`. */
  redirectUri: string | undefined;
  /** `state`, passed back unchanged on the redirect. */
  state: string | undefined;
  /** `scope`. */
  scope: string | undefined;
  /** `code_challenge`. */
  codeChallenge: string | undefined;
  /** `code_challenge_method`. */
  codeChallengeMethod: string | undefined;
  /** `org` (SSO: the organization's short name). */
  org: string | undefined;
  /** `provider` (SSO: the identity provider). */
  provider: string | undefined;
  /** `target` (Authorized Organizations: the target org's id). */
  target: string | undefined;
  /** `login_hint`. */
  loginHint: string | undefined;
  /** `prompt` (e.g. `"login"`). */
  prompt: string | undefined;
}

/** The kinds of OAuth client the mock knows, after Genesys' grant types. */
export type MockClientKind = "client-credentials" | "code" | "pkce" | "saml2-bearer";

/** An OAuth client as the mock holds it. */
export interface MockClient {
  /** Its client id. */
  id: string;
  /** `undefined` for a public (PKCE-enabled) client. */
  secret: string | undefined;
  /** Which of Genesys' grant types it was made for. */
  kind: MockClientKind;
  /** Its display name (`/api/v2/tokens/me`, `/api/v2/oauth/clients/{id}`). */
  name: string;
  /** The `grant_type`s it may use. */
  grantTypes: readonly string[];
  /** Exact strings; grows with `addRedirectUri`. */
  redirectUris: string[];
  /** `expires_in` of its access tokens. */
  lifetimeSeconds: number;
}

/** A token the mock issued. */
export interface IssuedMockToken {
  /** Epoch ms on the mock's clock. */
  expiresAt: number;
  /** Revoked (`DELETE /api/v2/tokens/me`, `revokeAllTokens`, code reuse, ...). */
  revoked: boolean;
  /** Granted scopes, when some were requested. */
  scopes: string[] | undefined;
  /** The per-minute rate-limit window. */
  window: { start: number; count: number };
  /** The client it was issued to. */
  clientId: string;
  /** The signed-in user, for user tokens (code, refresh, SAML2 bearer); none for client credentials. */
  user?: MockUser;
  /** The authorization (one code and the refresh tokens descending from it) it belongs to. */
  family?: string;
}

/** An authorization code. */
export interface IssuedCode {
  /** The client it was issued to. */
  clientId: string;
  /** The authorize request's `redirect_uri`, which the exchange must repeat. */
  redirectUri: string;
  /** Who signed in. */
  user: MockUser;
  /** The authorize request's scopes. */
  scopes: string[] | undefined;
  /** The PKCE challenge, when one was sent. */
  challenge: string | undefined;
  /** Its method. */
  challengeMethod: "S256" | "plain" | undefined;
  /** Epoch ms on the mock's clock. */
  issuedAt: number;
  /** Presented once already (whatever the outcome): any further use is refused. */
  spent: boolean;
  /** The authorization every token issued from this code belongs to. */
  family: string;
}

/** A refresh token. */
export interface IssuedRefreshToken {
  /** The client it was issued to (the only one that may use it). */
  clientId: string;
  /** Whose it is. */
  user: MockUser;
  /** Scopes of the tokens it gives. */
  scopes: string[] | undefined;
  /** The authorization (sign-in) it descends from. */
  family: string;
  /** `rotated`: used once already (rotation); the others as named. */
  state: "active" | "rotated" | "revoked" | "expired";
  /** Epoch ms, or undefined: Genesys documents no lifetime. */
  expiresAt: number | undefined;
}

/** How refresh tokens behave. */
export type MockRefreshTokenMode = "rotate" | "reuse" | "none";

/** Everything the mock's handlers read and change. */
export interface MockState {
  /** OAuth clients by id. */
  readonly clients: Map<string, MockClient>;
  /** The directory. */
  readonly users: readonly MockUser[];
  /** `GET /api/v2/organizations/me`. */
  readonly organization: Record<string, unknown>;
  /** The organization's short name (SAML2 bearer `orgName`). */
  readonly orgName: string;
  /** The clock. */
  readonly now: () => number;
  /** Live counters. */
  readonly stats: MockStats;
  /** Access tokens by value. */
  readonly tokens: Map<string, IssuedMockToken>;
  /** Authorization codes by value. */
  readonly codes: Map<string, IssuedCode>;
  /** Refresh tokens by value. */
  readonly refreshTokens: Map<string, IssuedRefreshToken>;
  /** Custom API routes. */
  readonly routes: Array<{ method: string; path: string | RegExp; respond: MockRoute }>;
  /** Behaviour chosen by the options. */
  readonly config: {
    allowedScopes: readonly string[] | undefined;
    rateLimitPerMinute: number | undefined;
    codeLifetimeMs: number;
    refreshTokens: MockRefreshTokenMode;
    refreshTokenLifetimeMs: number | undefined;
    revokeTokensOnCodeReuse: boolean;
    revokeTokensOnRefreshReuse: boolean;
    loginPage: MockLoginPageOptions;
  };
  /** The user the next authorize request signs in as (none with an empty directory). */
  signedInAs: MockUser | undefined;
  /** The login host's session (set by an authorize that issued a code, ended by `/logout`). */
  loginSession: { user: MockUser; startedAt: number } | undefined;
  /** The last authorize request's parameters. */
  lastAuthorize: MockAuthorizeRequest | undefined;
}
