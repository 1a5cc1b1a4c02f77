/**
 * The options of `createMockGenesys`: the organization, its directory, and the OAuth clients
 * the mock knows (client credentials, a PKCE-enabled public code client, a confidential code client,
 * a SAML2 bearer client), with their defaults.
 *
 * @module
 */
import type { MockUser } from "./bodies.ts";
import type { MockLoginPageOptions, MockRefreshTokenMode } from "./types.ts";

/**
 * A Code Authorization client with PKCE enabled: public, no secret. Its token requests carry
 * `client_id` and `code_verifier` in the form and no `Authorization` header. Genesys issues such
 * clients no refresh token.
 */
export interface MockPkceClientOptions {
  /** Default `"mock-pkce-client-id"`. */
  id?: string;
  /** Registered redirect URIs, matched as exact strings. Default `["http://localhost:8080/callback"]`. */
  redirectUris?: string[];
  /** Grants it may use (OAuth `grant_type` names). Default `["authorization_code"]`. */
  grantTypes?: string[];
  /** `expires_in` of its tokens. Default: the mock's `tokenLifetimeSeconds`. */
  tokenLifetimeSeconds?: number;
}

/**
 * A confidential Code Authorization client (it has a secret and authenticates with HTTP Basic).
 * PKCE is optional for it, but checked when the authorize request carried a `code_challenge`.
 */
export interface MockCodeClientOptions {
  /** Default `"mock-code-client-id"`. */
  id?: string;
  /** Default `"mock-code-client-secret"`. */
  secret?: string;
  /** Registered redirect URIs, matched as exact strings. Default `["http://localhost:3000/callback"]`. */
  redirectUris?: string[];
  /** Grants it may use. Default `["authorization_code", "refresh_token"]`. */
  grantTypes?: string[];
  /** `expires_in` of its tokens. Default: the mock's `tokenLifetimeSeconds`. */
  tokenLifetimeSeconds?: number;
}

/** A confidential client with the SAML2 Bearer grant (HTTP Basic). */
export interface MockSaml2ClientOptions {
  /** Default `"mock-saml2-client-id"`. */
  id?: string;
  /** Default `"mock-saml2-client-secret"`. */
  secret?: string;
  /** Grants it may use. Default `["urn:ietf:params:oauth:grant-type:saml2-bearer"]`. */
  grantTypes?: string[];
  /** `expires_in` of its tokens. Default: the mock's `tokenLifetimeSeconds`. */
  tokenLifetimeSeconds?: number;
}

/** Options of `createMockGenesys`. Every one is optional. */
export interface MockGenesysOptions {
  /** The client-credentials OAuth client's id. Default `"mock-client-id"`. */
  clientId?: string;
  /** Its secret. Default `"mock-client-secret"`. */
  clientSecret?: string;
  /** `expires_in` of issued tokens. Default 86399 (Genesys' 24 h default, minus the second it reports). */
  tokenLifetimeSeconds?: number;
  /** Grants the client-credentials client may use; without `"client_credentials"` its requests fail `unauthorized_client`. */
  grantTypes?: string[];
  /** When set, requested scopes outside this list fail `invalid_scope` (token and authorize requests). */
  allowedScopes?: string[];
  /** Per-token API rate limit per minute, as Genesys enforces (300). Default: no limit. */
  rateLimitPerMinute?: number;
  /** The region's domain, used in entities. Default `"mypurecloud.com"`. */
  domain?: string;
  /** The organization's name. Default `"Mock Org"`. */
  organizationName?: string;
  /**
   * The organization's short name, which the SAML2 bearer grant's `orgName` must equal (exact match).
   * Default: the organization's `thirdPartyOrgName` (`"mockorg"` for "Mock Org").
   */
  orgName?: string;
  /** Users in the directory. Default: 60 generated users. */
  users?: MockUser[];
  /** The clock (epoch ms). Default `Date.now`. Codes, tokens and refresh tokens expire on it. */
  now?: () => number;
  /** The PKCE-enabled public code client (browser apps, the CLI's loopback login). */
  pkceClient?: MockPkceClientOptions;
  /** The confidential code client (server web apps). */
  codeClient?: MockCodeClientOptions;
  /** The SAML2 bearer client. */
  saml2Client?: MockSaml2ClientOptions;
  /**
   * Who the authorize endpoint signs in (it approves at once): a directory user, or a user's id or
   * email. Default: the directory's first user. `mock.signInAs()` changes it until `reset()`.
   */
  signInAs?: MockUser | string;
  /** How the authorize endpoint answers (bare redirect or an HTML login page; COOP). */
  loginPage?: MockLoginPageOptions;
  /** Lifetime of authorization codes in seconds on the mock's clock. Default 60. */
  codeLifetimeSeconds?: number;
  /**
   * `"rotate"` (default): every refresh answers a new refresh token and the one used is refused
   * afterwards. `"reuse"`: refresh answers carry no `refresh_token`; the one used stays valid.
   * `"none"`: no refresh token is ever issued (as with the org's inactivity timeout on).
   */
  refreshTokens?: MockRefreshTokenMode;
  /** Lifetime of refresh tokens in seconds. Default: none (Genesys documents none). */
  refreshTokenLifetimeSeconds?: number;
  /**
   * When a code is presented a second time, also revoke every token issued from it (access and
   * refresh tokens, RFC 6749 §4.1.2). Default `true`.
   */
  revokeTokensOnCodeReuse?: boolean;
  /**
   * When a rotated-away refresh token is presented again, also revoke its whole family (the current
   * refresh token and the access tokens issued from the same sign-in). Default `false`: only that
   * request is refused.
   */
  revokeTokensOnRefreshReuse?: boolean;
}

/** The PKCE-enabled public client, as the mock exposes it. */
export interface MockPkceClient {
  /** Its client id. */
  readonly id: string;
  /** Its registered redirect URIs (live: `addRedirectUri` adds to it). */
  readonly redirectUris: readonly string[];
  /** The first registered redirect URI. */
  readonly redirectUri: string;
}

/** The confidential code client, as the mock exposes it. */
export interface MockCodeClient extends MockPkceClient {
  /** Its client secret. */
  readonly secret: string;
}

/** The SAML2 bearer client, as the mock exposes it. */
export interface MockSaml2Client {
  /** Its client id. */
  readonly id: string;
  /** Its client secret. */
  readonly secret: string;
  /** The `orgName` its requests must carry. */
  readonly orgName: string;
}
