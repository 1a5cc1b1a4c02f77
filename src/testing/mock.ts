/**
 * A mock Genesys Cloud that behaves like the real one where the SDK can tell: the login host's
 * `/oauth/token` (Basic or body client authentication, form encoding, OAuth error bodies) and a few
 * platform API endpoints (bearer tokens, 401 `bad.credentials`, 404 `not.found`, paging,
 * `ININ-Correlation-Id`), plus scripted failures. Runs anywhere `Request`/`Response` exist.
 *
 * @module
 */

import { bytesToBase64Url } from "../encoding.ts";
import { sleep } from "../wait.ts";
import { handleApi, type IssuedMockToken, type MockRoute } from "./api.ts";
import {
  apiErrorBody,
  defaultOauthError,
  genesysResponse,
  type MockUser,
  oauthErrorBody,
  organizationBody,
  seedUsers,
} from "./bodies.ts";
import { FaultQueue, type MockFault, MockNetworkError, type MockTarget } from "./faults.ts";

/** Options of {@link createMockGenesys}. */
export interface MockGenesysOptions {
  /** The one OAuth client the mock knows. Default `"mock-client-id"`. */
  clientId?: string;
  /** Its secret. Default `"mock-client-secret"`. */
  clientSecret?: string;
  /** `expires_in` of issued tokens. Default 86399 (Genesys' 24 h default, minus the second it reports). */
  tokenLifetimeSeconds?: number;
  /** Grants the client may use; without `"client_credentials"` token requests fail `unauthorized_client`. */
  grantTypes?: string[];
  /** When set, requested scopes outside this list fail `invalid_scope`. */
  allowedScopes?: string[];
  /** Per-token API rate limit per minute, as Genesys enforces (300). Default: no limit. */
  rateLimitPerMinute?: number;
  /** The region's domain, used in entities. Default `"mypurecloud.com"`. */
  domain?: string;
  /** The organization's name. Default `"Mock Org"`. */
  organizationName?: string;
  /** Users in the directory. Default: 60 generated users. */
  users?: MockUser[];
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** Request counters, updated live. */
export interface MockStats {
  /** Requests to `/oauth/token`, whatever their outcome. */
  tokenRequests: number;
  /** Tokens issued. */
  tokensIssued: number;
  /** Requests to `/api/...`, whatever their outcome. */
  apiRequests: number;
  /** API requests that carried no `Authorization: Bearer` header. */
  apiRequestsWithoutBearer: number;
  /** API requests answered 401. */
  apiUnauthorized: number;
  /** Requests answered 429 (scripted or by the rate limit). */
  rateLimited: number;
}

/** The mock Genesys Cloud. */
export interface MockGenesys {
  /** The client id the mock accepts. */
  readonly clientId: string;
  /** The client secret the mock accepts. */
  readonly clientSecret: string;
  /** The domain the mock plays. */
  readonly domain: string;
  /** Answers a request: plug it into `Deno.serve`, `Bun.serve`, a Worker or {@link serveMockGenesys}. */
  readonly handler: (request: Request) => Promise<Response>;
  /** A fetch that never touches the network: pass it as createAuth's and createClient's `fetch`. */
  readonly fetch: typeof fetch;
  /** Live counters. */
  readonly stats: Readonly<MockStats>;
  /** The directory's users. */
  readonly users: readonly MockUser[];
  /** Scripts the next `times` (default 1) requests to `target` to fail as `fault` describes. */
  failNext(target: MockTarget, fault: MockFault, times?: number): void;
  /** Makes `fault` strike each request to `target` with `probability` (0-1) until `reset()` (chaos tests). */
  failRandomly(target: MockTarget, fault: MockFault, probability: number, random?: () => number): void;
  /** Scripted faults not yet used. */
  pendingFaults(target: MockTarget): number;
  /** Revokes every token issued so far: the API answers 401 `bad.credentials` for them. */
  revokeAllTokens(): void;
  /** Adds an API route (`path` relative to the host, e.g. `/api/v2/echo`), checked before the built-in ones. */
  route(method: string, path: string | RegExp, respond: MockRoute): void;
  /** Clears faults, counters and tokens. */
  reset(): void;
}

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return bytesToBase64Url(raw);
}

/** Decodes `Authorization: Basic` into id and secret (UTF-8), or undefined. */
function basicCredentials(header: string | null): [string, string] | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? "");
  if (!match) return undefined;
  try {
    const bytes = Uint8Array.from(atob(match[1] as string), (c) => c.charCodeAt(0));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const colon = text.indexOf(":");
    return colon === -1 ? undefined : [text.slice(0, colon), text.slice(colon + 1)];
  } catch {
    return undefined;
  }
}

/** Creates a mock Genesys Cloud. */
export function createMockGenesys(options: MockGenesysOptions = {}): MockGenesys {
  const clientId = options.clientId ?? "mock-client-id";
  const clientSecret = options.clientSecret ?? "mock-client-secret";
  const domain = options.domain ?? "mypurecloud.com";
  const lifetime = options.tokenLifetimeSeconds ?? 86399;
  const grantTypes = options.grantTypes ?? ["client_credentials"];
  const now = options.now ?? Date.now;
  const users = options.users ?? seedUsers(60);
  const orgId = "f2a1b3c4-0000-4000-8000-00000000a001";
  const organization = organizationBody(orgId, options.organizationName ?? "Mock Org", domain);
  const faults: Record<MockTarget, FaultQueue> = { token: new FaultQueue(), api: new FaultQueue() };
  const tokens = new Map<string, IssuedMockToken>();
  const routes: Array<{ method: string; path: string | RegExp; respond: MockRoute }> = [];
  const stats: MockStats = {
    tokenRequests: 0,
    tokensIssued: 0,
    apiRequests: 0,
    apiRequestsWithoutBearer: 0,
    apiUnauthorized: 0,
    rateLimited: 0,
  };

  const scripted = (target: MockTarget, fault: MockFault, correlationId: string): Response | undefined => {
    if (fault.status === undefined && fault.body === undefined) return undefined;
    const status = fault.status ?? 200;
    const retryAfter = fault.retryAfter === undefined ? (status === 429 ? 1 : undefined) : fault.retryAfter;
    const headers: Record<string, string> = { ...fault.headers };
    if (retryAfter !== undefined && retryAfter !== null) headers["retry-after"] = String(retryAfter);
    if (status === 429) stats.rateLimited++;
    let body = fault.body;
    if (body === undefined && target === "token" && status !== 429 && status < 500) {
      const [error, description] = defaultOauthError(status);
      body = oauthErrorBody(fault.error ?? error, fault.description ?? description);
    } else if (body === undefined && status >= 400) {
      const seconds = typeof retryAfter === "number" ? retryAfter : undefined;
      body = apiErrorBody(status, correlationId, {
        ...(fault.code ? { code: fault.code } : {}),
        ...(fault.description ? { message: fault.description } : {}),
        ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
      });
    }
    if (status === 401 && target === "api") stats.apiUnauthorized++;
    return genesysResponse(status, body, correlationId, headers);
  };

  const oauthError = (status: number, error: string, description: string, correlationId: string) =>
    genesysResponse(status, oauthErrorBody(error, description), correlationId);

  const issueToken = async (request: Request, correlationId: string): Promise<Response> => {
    if (request.method !== "POST")
      return oauthError(405, "invalid_request", "method not allowed", correlationId);
    const type = request.headers.get("content-type") ?? "";
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      return oauthError(
        400,
        "invalid_request",
        "the token request must be application/x-www-form-urlencoded",
        correlationId,
      );
    }
    const form = new URLSearchParams(await request.text());
    const grant = form.get("grant_type");
    if (grant === null) return oauthError(400, "invalid_request", "grant_type is required", correlationId);
    if (grant !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", `grant type ${grant} is not supported`, correlationId);
    }
    const basic = basicCredentials(request.headers.get("authorization"));
    const [id, secret] = basic ?? [form.get("client_id"), form.get("client_secret")];
    if (id === null || secret === null) {
      return oauthError(401, "invalid_client", "client authentication required", correlationId);
    }
    if (id !== clientId) return oauthError(400, "invalid_client", "client not found", correlationId);
    if (secret !== clientSecret)
      return oauthError(401, "invalid_client", "authentication failed", correlationId);
    if (!grantTypes.includes("client_credentials")) {
      return oauthError(
        400,
        "unauthorized_client",
        "grant type not authorized for this client",
        correlationId,
      );
    }
    const scope = form.get("scope");
    const scopes = scope?.split(" ").filter(Boolean);
    const refused = scopes?.find(
      (s) => options.allowedScopes !== undefined && !options.allowedScopes.includes(s),
    );
    if (refused !== undefined) {
      return oauthError(400, "invalid_scope", `invalid scope: ${refused}`, correlationId);
    }
    const accessToken = randomToken(48);
    tokens.set(accessToken, {
      expiresAt: now() + lifetime * 1000,
      revoked: false,
      scopes,
      window: { start: now(), count: 0 },
    });
    stats.tokensIssued++;
    return genesysResponse(
      200,
      { access_token: accessToken, token_type: "bearer", expires_in: lifetime, ...(scope ? { scope } : {}) },
      correlationId,
      { "cache-control": "no-store" },
    );
  };

  const handler = async (request: Request): Promise<Response> => {
    const correlationId = crypto.randomUUID();
    const url = new URL(request.url);
    const target: MockTarget | undefined =
      url.pathname === "/oauth/token" ? "token" : url.pathname.startsWith("/api/") ? "api" : undefined;
    if (target === undefined) {
      return genesysResponse(404, apiErrorBody(404, correlationId), correlationId);
    }
    if (target === "token") stats.tokenRequests++;
    else stats.apiRequests++;
    const fault = faults[target].take(url.pathname);
    if (fault?.delayMs) await sleep(fault.delayMs, request.signal);
    if (fault?.networkError) throw new MockNetworkError();
    const answer = fault && scripted(target, fault, correlationId);
    if (answer !== undefined) return answer;
    if (target === "token") return issueToken(request, correlationId);
    return handleApi(request, url, correlationId, {
      tokens,
      stats,
      routes,
      users,
      organization,
      clientId,
      now,
      rateLimitPerMinute: options.rateLimitPerMinute,
    });
  };

  const mockFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    return handler(request);
  };

  return {
    clientId,
    clientSecret,
    domain,
    handler,
    fetch: mockFetch as typeof fetch,
    stats,
    users,
    failNext(target, fault, times = 1) {
      faults[target].push(fault, times);
    },
    failRandomly(target, fault, probability, random = Math.random) {
      faults[target].sometimes(fault, probability, random);
    },
    pendingFaults: (target) => faults[target].pending,
    revokeAllTokens() {
      for (const token of tokens.values()) token.revoked = true;
    },
    route(method, path, respond) {
      routes.push({ method: method.toUpperCase(), path, respond });
    },
    reset() {
      faults.token.clear();
      faults.api.clear();
      tokens.clear();
      for (const key of Object.keys(stats) as Array<keyof MockStats>) stats[key] = 0;
    },
  };
}
