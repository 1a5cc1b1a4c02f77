/**
 * The mock's platform API: bearer authentication, Genesys' per-token rate limit, custom routes and
 * the built-in endpoints a client-credentials token can call.
 *
 * @module
 */
import { apiErrorBody, genesysResponse, type MockUser } from "./bodies.ts";
import type { MockStats } from "./mock.ts";

/** A token the mock issued. */
export interface IssuedMockToken {
  expiresAt: number;
  revoked: boolean;
  scopes: string[] | undefined;
  window: { start: number; count: number };
}

/** A custom route: answers a `Response`, or a value sent as JSON with status 200. */
export type MockRoute = (
  request: Request,
  context: { url: URL; correlationId: string },
) => Response | unknown | Promise<Response | unknown>;

/** What the API needs from the mock. */
export interface ApiContext {
  tokens: Map<string, IssuedMockToken>;
  stats: MockStats;
  routes: Array<{ method: string; path: string | RegExp; respond: MockRoute }>;
  users: readonly MockUser[];
  organization: Record<string, unknown>;
  clientId: string;
  now: () => number;
  rateLimitPerMinute: number | undefined;
}

const USER_PATH = /^\/api\/v2\/users\/([^/]+)$/;
const OAUTH_CLIENT_PATH = /^\/api\/v2\/oauth\/clients\/([^/]+)$/;
const ROLE_PATH = /^\/api\/v2\/authorization\/roles\/([^/]+)$/;

/** The role the mock's OAuth client has. */
export const MOCK_ROLE = { id: "7e1c2b3a-0000-4000-8000-00000000r001", name: "Mock Integration Role" };

function error(
  status: number,
  correlationId: string,
  overrides: { code?: string; message?: string; retryAfterSeconds?: number } = {},
) {
  return genesysResponse(status, apiErrorBody(status, correlationId, overrides), correlationId);
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number | undefined {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function usersPage(url: URL, users: readonly MockUser[], correlationId: string): Response {
  const pageSize = clampInt(url.searchParams.get("pageSize"), 25, 1, 500);
  const pageNumber = clampInt(url.searchParams.get("pageNumber"), 1, 1, 1_000_000);
  if (pageSize === undefined || pageNumber === undefined) {
    return error(400, correlationId, {
      code: "bad.request",
      message: "pageSize must be 1-500 and pageNumber >= 1",
    });
  }
  const pageCount = Math.max(1, Math.ceil(users.length / pageSize));
  const uri = (n: number) => `/api/v2/users?pageSize=${pageSize}&pageNumber=${n}`;
  return genesysResponse(
    200,
    {
      entities: users.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
      pageSize,
      pageNumber,
      total: users.length,
      firstUri: uri(1),
      selfUri: uri(pageNumber),
      ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
      ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
      lastUri: uri(pageCount),
      pageCount,
    },
    correlationId,
  );
}

/** Answers an `/api/...` request. */
export async function handleApi(
  request: Request,
  url: URL,
  correlationId: string,
  ctx: ApiContext,
): Promise<Response> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer === undefined) ctx.stats.apiRequestsWithoutBearer++;
  const token = bearer === undefined ? undefined : ctx.tokens.get(bearer);
  if (token === undefined || token.revoked || token.expiresAt <= ctx.now()) {
    ctx.stats.apiUnauthorized++;
    return error(401, correlationId);
  }
  if (ctx.rateLimitPerMinute !== undefined) {
    const at = ctx.now();
    if (at - token.window.start >= 60_000) token.window = { start: at, count: 0 };
    if (++token.window.count > ctx.rateLimitPerMinute) {
      const retryAfterSeconds = Math.max(1, Math.ceil((token.window.start + 60_000 - at) / 1000));
      ctx.stats.rateLimited++;
      return genesysResponse(429, apiErrorBody(429, correlationId, { retryAfterSeconds }), correlationId, {
        "retry-after": String(retryAfterSeconds),
      });
    }
  }
  const method = request.method.toUpperCase();
  for (const route of ctx.routes) {
    const pathMatches =
      typeof route.path === "string" ? route.path === url.pathname : route.path.test(url.pathname);
    if (route.method === method && pathMatches) {
      const answer = await route.respond(request, { url, correlationId });
      return answer instanceof Response ? answer : genesysResponse(200, answer, correlationId);
    }
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "/api/v2/organizations/me" && method === "GET") {
    return genesysResponse(200, ctx.organization, correlationId);
  }
  if (path === "/api/v2/tokens/me") {
    if (method === "DELETE") {
      token.revoked = true;
      return genesysResponse(204, undefined, correlationId);
    }
    if (method === "HEAD") return genesysResponse(200, undefined, correlationId);
    if (method === "GET") {
      const org = { id: ctx.organization.id, name: ctx.organization.name, selfUri: ctx.organization.selfUri };
      return genesysResponse(
        200,
        {
          organization: org,
          homeOrganization: org,
          authorizedScope: token.scopes ?? ["users:readonly", "organization:readonly"],
          OAuthClient: {
            id: ctx.clientId,
            name: "Mock client credentials client",
            organization: { id: ctx.organization.id },
          },
        },
        correlationId,
      );
    }
  }
  if (path === "/api/v2/users" && method === "GET") return usersPage(url, ctx.users, correlationId);
  if (path === "/api/v2/users/me") {
    return error(400, correlationId, {
      code: "not.a.user",
      message:
        "This request requires a user context. Client credentials cannot be used for requests to this resource.",
    });
  }
  const oauthClientId = OAUTH_CLIENT_PATH.exec(path)?.[1];
  if (oauthClientId !== undefined && method === "GET") {
    if (decodeURIComponent(oauthClientId) !== ctx.clientId) return error(404, correlationId);
    return genesysResponse(
      200,
      {
        id: ctx.clientId,
        name: "Mock client credentials client",
        authorizedGrantType: "CLIENT-CREDENTIALS",
        state: "active",
        roleDivisions: [{ roleId: MOCK_ROLE.id, divisionId: "*" }],
        selfUri: `/api/v2/oauth/clients/${ctx.clientId}`,
      },
      correlationId,
    );
  }
  const roleId = ROLE_PATH.exec(path)?.[1];
  if (roleId !== undefined && method === "GET") {
    return decodeURIComponent(roleId) === MOCK_ROLE.id
      ? genesysResponse(
          200,
          { ...MOCK_ROLE, selfUri: `/api/v2/authorization/roles/${MOCK_ROLE.id}` },
          correlationId,
        )
      : error(404, correlationId);
  }
  const userId = USER_PATH.exec(path)?.[1];
  if (userId !== undefined && method === "GET") {
    const user = ctx.users.find((u) => u.id === decodeURIComponent(userId));
    return user
      ? genesysResponse(200, user, correlationId)
      : error(404, correlationId, { message: "The requested user could not be found." });
  }
  return error(404, correlationId, { message: `No resource matches ${method} ${url.pathname}.` });
}
