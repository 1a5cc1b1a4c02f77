/**
 * A mock Genesys Cloud that behaves like the real one where the SDK can tell: the login host
 * (`/oauth/authorize`, `/oauth/token` for client credentials, authorization code + PKCE, refresh
 * tokens and SAML2 bearer, `/logout`; OAuth error bodies) and a few platform API endpoints (bearer
 * tokens, 401 `bad.credentials`, 404 `not.found`, paging, `ININ-Correlation-Id`), plus scripted
 * failures. Runs anywhere `Request`/`Response` exist.
 *
 * @module
 */
import { sleep } from "../wait.ts";
import { handleApi } from "./api.ts";
import { handleAuthorize, handleLogout } from "./authorize.ts";
import { apiErrorBody, genesysResponse, type MockUser, organizationBody, seedUsers } from "./bodies.ts";
import { addRedirectUri, resolveClients } from "./clients.ts";
import { isPreflight, preflightResponse, withCors } from "./cors.ts";
import { FaultQueue, faultResponse, type MockFault, MockNetworkError, type MockTarget } from "./faults.ts";
import { handleToken, readTokenRequest } from "./grants.ts";
import type { MockCodeClient, MockGenesysOptions, MockPkceClient, MockSaml2Client } from "./options.ts";
import { endRefreshTokens } from "./tokens.ts";
import type { MockAuthorizeRequest, MockRoute, MockState, MockStats } from "./types.ts";

/** The mock Genesys Cloud. */
export interface MockGenesys {
  /** The client-credentials client's id. */
  readonly clientId: string;
  /** The client-credentials client's secret. */
  readonly clientSecret: string;
  /** The PKCE-enabled public code client (no secret). */
  readonly pkceClient: MockPkceClient;
  /** The confidential code client. */
  readonly codeClient: MockCodeClient;
  /** The SAML2 bearer client and the `orgName` it must send. */
  readonly saml2Client: MockSaml2Client;
  /** The organization's short name (the SAML2 bearer grant's `orgName`). */
  readonly orgName: string;
  /** The domain the mock plays. */
  readonly domain: string;
  /** Answers a request: plug it into `Deno.serve`, `Bun.serve`, a Worker or {@link serveMockGenesys}. */
  readonly handler: (request: Request) => Promise<Response>;
  /**
   * A fetch that never touches the network: pass it as createAuth's and createClient's `fetch`.
   * It never follows redirects: a 302 from `/oauth/authorize` comes back as it is, `Location` readable.
   */
  readonly fetch: typeof fetch;
  /** Live counters. */
  readonly stats: Readonly<MockStats>;
  /** The directory's users. */
  readonly users: readonly MockUser[];
  /** The user the next authorize request signs in as (none when the directory is empty). */
  readonly signedInUser: MockUser | undefined;
  /** The login host's session: set when an authorize request issues a code, ended by `/logout`. */
  readonly loginSession: { readonly user: MockUser; readonly startedAt: number } | undefined;
  /** The parameters of the last `GET /oauth/authorize` request (even a refused one). */
  readonly lastAuthorize: MockAuthorizeRequest | undefined;
  /** Makes authorize requests sign in as `user` (a directory user, or a user's id or email) until `reset()`. */
  signInAs(user: MockUser | string): void;
  /** Registers one more redirect URI (exact string) on the PKCE or the code client, e.g. a served test page. */
  addRedirectUri(clientId: string, redirectUri: string): void;
  /**
   * Scripts the next `times` (default 1) requests to `target` to fail as `fault` describes. For
   * `"authorize"`, `{ error: "access_denied" }` sends the browser back with that error (consent refused).
   */
  failNext(target: MockTarget, fault: MockFault, times?: number): void;
  /** Makes `fault` strike each request to `target` with `probability` (0-1) until `reset()` (chaos tests). */
  failRandomly(target: MockTarget, fault: MockFault, probability: number, random?: () => number): void;
  /** Scripted faults not yet used. */
  pendingFaults(target: MockTarget): number;
  /** Revokes every token issued so far, client and user tokens and refresh tokens: 401 / `invalid_grant` after. */
  revokeAllTokens(): void;
  /** Revokes the refresh tokens of `user` (a user, id or email), or everyone's: refreshing fails `invalid_grant`. */
  revokeRefreshTokens(user?: MockUser | string): void;
  /** Makes the refresh tokens of `user`, or everyone's, expire now: refreshing fails `invalid_grant`. */
  expireRefreshTokens(user?: MockUser | string): void;
  /** Adds an API route (`path` relative to the host, e.g. `/api/v2/echo`), checked before the built-in ones. */
  route(method: string, path: string | RegExp, respond: MockRoute): void;
  /**
   * Clears faults, counters, tokens, codes, refresh tokens, the login session, `lastAuthorize`, and
   * `signInAs`. Configuration stays: options, routes and added redirect URIs.
   */
  reset(): void;
}

/** Creates a mock Genesys Cloud. */
export function createMockGenesys(options: MockGenesysOptions = {}): MockGenesys {
  const domain = options.domain ?? "mypurecloud.com";
  const users = options.users ?? seedUsers(60);
  const orgId = "f2a1b3c4-0000-4000-8000-00000000a001";
  const organization = organizationBody(orgId, options.organizationName ?? "Mock Org", domain);
  const clients = resolveClients(options);
  const findUser = (user: MockUser | string): MockUser => {
    if (typeof user !== "string") return user;
    const found = users.find((u) => u.id === user || u.email.toLowerCase() === user.toLowerCase());
    if (found === undefined) throw new RangeError("no directory user has that id or email");
    return found;
  };
  const defaultUser = () => (options.signInAs === undefined ? users[0] : findUser(options.signInAs));
  const stats = {} as MockStats;
  const state: MockState = {
    clients,
    users,
    organization,
    orgName: options.orgName ?? String(organization.thirdPartyOrgName),
    now: options.now ?? Date.now,
    stats,
    tokens: new Map(),
    codes: new Map(),
    refreshTokens: new Map(),
    routes: [],
    config: {
      allowedScopes: options.allowedScopes,
      rateLimitPerMinute: options.rateLimitPerMinute,
      codeLifetimeMs: (options.codeLifetimeSeconds ?? 60) * 1000,
      refreshTokens: options.refreshTokens ?? "rotate",
      refreshTokenLifetimeMs:
        options.refreshTokenLifetimeSeconds === undefined
          ? undefined
          : options.refreshTokenLifetimeSeconds * 1000,
      revokeTokensOnCodeReuse: options.revokeTokensOnCodeReuse ?? true,
      revokeTokensOnRefreshReuse: options.revokeTokensOnRefreshReuse ?? false,
      loginPage: { ...options.loginPage },
    },
    signedInAs: undefined,
    loginSession: undefined,
    lastAuthorize: undefined,
  };
  const faults: Record<MockTarget, FaultQueue> = {
    token: new FaultQueue(),
    authorize: new FaultQueue(),
    api: new FaultQueue(),
  };
  const clearState = () => {
    for (const queue of Object.values(faults)) queue.clear();
    state.tokens.clear();
    state.codes.clear();
    state.refreshTokens.clear();
    state.signedInAs = defaultUser();
    state.loginSession = undefined;
    state.lastAuthorize = undefined;
    for (const key of STAT_KEYS) stats[key] = 0;
  };
  clearState();

  const answer = async (target: MockTarget | "logout", request: Request, url: URL, correlationId: string) => {
    if (target === "logout") {
      stats.logouts++;
      return handleLogout(request, url, correlationId, state);
    }
    let read: Awaited<ReturnType<typeof readTokenRequest>> | undefined;
    if (target === "token") {
      stats.tokenRequests++;
      read = await readTokenRequest(request, correlationId);
    } else if (target === "authorize") stats.authorizeRequests++;
    else stats.apiRequests++;
    const grant = read === undefined || read instanceof Response ? undefined : read.grant;
    const fault = faults[target].take({ path: url.pathname, grant });
    const work = async (refusal: MockFault | undefined): Promise<Response> => {
      if (read !== undefined)
        return read instanceof Response ? read : handleToken(request, read, correlationId, state);
      if (target === "authorize") return handleAuthorize(request, url, correlationId, state, refusal);
      return handleApi(request, url, correlationId, state);
    };
    const done = fault?.afterProcessing ? await work(undefined) : undefined;
    if (fault?.delayMs) await sleep(fault.delayMs, request.signal);
    if (fault?.networkError) throw new MockNetworkError();
    const scripted = fault && faultResponse(target, fault, correlationId, stats);
    return scripted ?? done ?? work(fault);
  };

  const handler = async (request: Request): Promise<Response> => {
    const correlationId = crypto.randomUUID();
    const url = new URL(request.url);
    const path = url.pathname;
    const target =
      path === "/oauth/token"
        ? "token"
        : path === "/oauth/authorize"
          ? "authorize"
          : path === "/logout"
            ? "logout"
            : path.startsWith("/api/")
              ? "api"
              : undefined;
    if (target === undefined) return genesysResponse(404, apiErrorBody(404, correlationId), correlationId);
    const origin = target === "token" || target === "api" ? request.headers.get("origin") : null;
    if (origin !== null && isPreflight(request)) {
      stats.corsPreflights++;
      return preflightResponse(request);
    }
    const response = await answer(target, request, url, correlationId);
    return origin === null ? response : withCors(response, origin);
  };

  const mockFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    return handler(request);
  };
  const userId = (user: MockUser | string | undefined) =>
    user === undefined ? undefined : findUser(user).id;
  const view = (id: string) => {
    const client = clients.get(id);
    if (client === undefined) throw new RangeError(id);
    return client;
  };
  const pkce = view(options.pkceClient?.id ?? "mock-pkce-client-id");
  const code = view(options.codeClient?.id ?? "mock-code-client-id");
  const saml2 = view(options.saml2Client?.id ?? "mock-saml2-client-id");
  const cc = view(options.clientId ?? "mock-client-id");

  return {
    clientId: cc.id,
    clientSecret: cc.secret as string,
    pkceClient: {
      id: pkce.id,
      redirectUris: pkce.redirectUris,
      get redirectUri() {
        return pkce.redirectUris[0] as string;
      },
    },
    codeClient: {
      id: code.id,
      secret: code.secret as string,
      redirectUris: code.redirectUris,
      get redirectUri() {
        return code.redirectUris[0] as string;
      },
    },
    saml2Client: { id: saml2.id, secret: saml2.secret as string, orgName: state.orgName },
    orgName: state.orgName,
    domain,
    handler,
    fetch: mockFetch as typeof fetch,
    stats,
    users,
    get signedInUser() {
      return state.signedInAs;
    },
    get loginSession() {
      return state.loginSession;
    },
    get lastAuthorize() {
      return state.lastAuthorize;
    },
    signInAs(user) {
      state.signedInAs = findUser(user);
    },
    addRedirectUri: (clientId, redirectUri) => addRedirectUri(clients, clientId, redirectUri),
    failNext(target, fault, times = 1) {
      faults[target].push(fault, times);
    },
    failRandomly(target, fault, probability, random = Math.random) {
      faults[target].sometimes(fault, probability, random);
    },
    pendingFaults: (target) => faults[target].pending,
    revokeAllTokens() {
      for (const token of state.tokens.values()) token.revoked = true;
      endRefreshTokens(state, undefined, "revoked");
    },
    revokeRefreshTokens: (user) => endRefreshTokens(state, userId(user), "revoked"),
    expireRefreshTokens: (user) => endRefreshTokens(state, userId(user), "expired"),
    route(method, path, respond) {
      state.routes.push({ method: method.toUpperCase(), path, respond });
    },
    reset: clearState,
  };
}

const STAT_KEYS: ReadonlyArray<keyof MockStats> = [
  "tokenRequests",
  "tokensIssued",
  "clientCredentialsGrants",
  "authorizeRequests",
  "codesIssued",
  "codeExchanges",
  "codeReuseRefused",
  "refreshes",
  "refreshReuseRefused",
  "saml2Grants",
  "logouts",
  "corsPreflights",
  "apiRequests",
  "apiRequestsWithoutBearer",
  "apiUnauthorized",
  "rateLimited",
];
