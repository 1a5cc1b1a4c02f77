/**
 * The mock's platform API: bearer authentication, Genesys' per-token rate limit, custom routes and
 * the built-in endpoints a client-credentials or user token can call.
 *
 * @module
 */
import { apiErrorBody, genesysResponse, type MockUser } from "./bodies.ts";
import type { IssuedMockToken, MockClient, MockState } from "./types.ts";

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

/** `decodeURIComponent`, or the text as is when it is malformed (`%zz`). */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const GRANT_TYPE_NAMES: Record<MockClient["kind"], string> = {
  "client-credentials": "CLIENT-CREDENTIALS",
  code: "CODE",
  pkce: "CODE",
  "saml2-bearer": "SAML2-BEARER",
};

function oauthClientBody(client: MockClient): Record<string, unknown> {
  return {
    id: client.id,
    name: client.name,
    authorizedGrantType: GRANT_TYPE_NAMES[client.kind],
    ...(client.redirectUris.length > 0 ? { registeredRedirectUri: [...client.redirectUris] } : {}),
    state: "active",
    ...(client.kind === "client-credentials"
      ? { roleDivisions: [{ roleId: MOCK_ROLE.id, divisionId: "*" }] }
      : {}),
    selfUri: `/api/v2/oauth/clients/${client.id}`,
  };
}

/** `GET /api/v2/tokens/me` for `token`. */
function tokenInfo(token: IssuedMockToken, ctx: MockState): Record<string, unknown> {
  const { id, name, selfUri } = ctx.organization;
  const org = { id, name, selfUri };
  return {
    organization: org,
    homeOrganization: org,
    authorizedScope: token.scopes ?? ["users:readonly", "organization:readonly"],
    OAuthClient: {
      id: token.clientId,
      name: ctx.clients.get(token.clientId)?.name ?? "Mock client",
      organization: { id },
    },
  };
}

/** Answers an `/api/...` request. */
export async function handleApi(
  request: Request,
  url: URL,
  correlationId: string,
  ctx: MockState,
): Promise<Response> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (bearer === undefined) ctx.stats.apiRequestsWithoutBearer++;
  const token = bearer === undefined ? undefined : ctx.tokens.get(bearer);
  if (token === undefined || token.revoked || token.expiresAt <= ctx.now()) {
    ctx.stats.apiUnauthorized++;
    return error(401, correlationId);
  }
  const limit = ctx.config.rateLimitPerMinute;
  if (limit !== undefined) {
    const at = ctx.now();
    if (at - token.window.start >= 60_000) token.window = { start: at, count: 0 };
    if (++token.window.count > limit) {
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
    if (method === "GET") return genesysResponse(200, tokenInfo(token, ctx), correlationId);
  }
  if (path === "/api/v2/users" && method === "GET") return usersPage(url, ctx.users, correlationId);
  if (path === "/api/v2/users/me" && method === "GET") {
    if (token.user !== undefined) return genesysResponse(200, token.user, correlationId);
    return error(400, correlationId, {
      code: "not.a.user",
      message:
        "This request requires a user context. Client credentials cannot be used for requests to this resource.",
    });
  }
  const oauthClientId = OAUTH_CLIENT_PATH.exec(path)?.[1];
  if (oauthClientId !== undefined && method === "GET") {
    const client = ctx.clients.get(safeDecode(oauthClientId));
    return client ? genesysResponse(200, oauthClientBody(client), correlationId) : error(404, correlationId);
  }
  const roleId = ROLE_PATH.exec(path)?.[1];
  if (roleId !== undefined && method === "GET") {
    return safeDecode(roleId) === MOCK_ROLE.id
      ? genesysResponse(
          200,
          { ...MOCK_ROLE, selfUri: `/api/v2/authorization/roles/${MOCK_ROLE.id}` },
          correlationId,
        )
      : error(404, correlationId);
  }
  const userId = USER_PATH.exec(path)?.[1];
  if (userId !== undefined && method === "GET") {
    const user = ctx.users.find((u) => u.id === safeDecode(userId));
    return user
      ? genesysResponse(200, user, correlationId)
      : error(404, correlationId, { message: "The requested user could not be found." });
  }
  const shown = url.pathname.length > 200 ? `${url.pathname.slice(0, 200)}…` : url.pathname;
  return error(404, correlationId, { message: `No resource matches ${method.slice(0, 20)} ${shown}.` });
}
