import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createAuth,
  createClient,
  type GenesysHTTPError,
  getOrganization,
  getTokenInfo,
  getUser,
  HTTPError,
  paginate,
  revokeToken,
  TimeoutError,
} from "../../src/index.ts";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";
import { allViews, CLIENT_ID, rejection, SECRET } from "../support/helpers.ts";

const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
let served: ServedMock;
const seenAuthorization: string[] = [];
const echoArrivals: number[] = [];
mock.route("POST", "/api/v2/echo", async (request) => ({ received: await request.json() }));
mock.route("GET", "/api/v2/echo", (request) => {
  echoArrivals.push(performance.now());
  seenAuthorization.push(request.headers.get("authorization") ?? "");
  return { ok: true };
});

beforeAll(async () => {
  served = await serveMockGenesys(mock);
});
afterAll(() => served.close());
afterEach(() => {
  mock.reset();
  seenAuthorization.length = 0;
});

function client(options: Record<string, unknown> = {}) {
  const auth = createAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    loginUrl: served.url,
    apiUrl: served.url,
  });
  return { auth, api: createClient({ auth, ...options }) };
}

describe("createClient", () => {
  it("is a ky instance on auth.apiUrl that sends the bearer on every request", async () => {
    const { auth, api } = client();
    const org = await api.get("api/v2/organizations/me").json<{ name: string }>();
    expect(org.name).toBe("Mock Org");
    mock.failNext("api", { status: 503, retryAfter: 0 });
    await api.get("api/v2/echo").json();
    const token = await auth.getToken();
    expect(seenAuthorization).toEqual([`Bearer ${token.accessToken}`]);
    expect(mock.stats.apiRequests).toBe(3);
    expect(mock.stats.apiRequestsWithoutBearer).toBe(0);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("a revoked token → one new token and one replay, request body intact", async () => {
    const { api } = client();
    await api.get("api/v2/organizations/me");
    mock.revokeAllTokens();
    const echoed = await api.post("api/v2/echo", { json: { hello: "world", n: 1 } }).json();
    expect(echoed).toEqual({ received: { hello: "world", n: 1 } });
    expect(mock.stats.tokenRequests).toBe(2);
    expect(mock.stats.apiRequests).toBe(3);
    expect(mock.stats.apiUnauthorized).toBe(1);
  });

  it("20 requests refused at once after a revocation cause one token POST", async () => {
    const { api } = client();
    await api.get("api/v2/organizations/me");
    mock.revokeAllTokens();
    await Promise.all(Array.from({ length: 20 }, () => api.get("api/v2/organizations/me").json()));
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("a second 401 surfaces as an HTTPError; it never loops", async () => {
    const { api } = client();
    mock.failNext("api", { status: 401 }, 5);
    const error = (await rejection(api.get("api/v2/organizations/me"))) as GenesysHTTPError;
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.response.status).toBe(401);
    expect(error.genesys?.code).toBe("bad.credentials");
    expect(mock.stats.apiRequests).toBe(2);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("429 with Retry-After 1 → one retry after at least 1 s", async () => {
    const { api } = client();
    await api.get("api/v2/organizations/me");
    mock.failNext("api", { status: 429, retryAfter: 1 });
    const started = performance.now();
    await api.get("api/v2/organizations/me");
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(mock.stats.apiRequests).toBe(3);
  });

  it("429 with Retry-After 3600 → an immediate error carrying the wait", async () => {
    const { api } = client();
    mock.failNext("api", { status: 429, retryAfter: 3600 });
    const started = performance.now();
    const error = (await rejection(api.get("api/v2/organizations/me"))) as GenesysHTTPError;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.retryAfterSeconds).toBe(3600);
    expect(error.message).toContain("3600 s, more than retry.maxRetryAfterSeconds (60 s)");
    expect(error.genesys?.code).toBe("too.many.requests.retry.after");
  });

  it("429 is retried for POST too; 503 is retried on GET but not on POST", async () => {
    const { api } = client();
    mock.failNext("api", { status: 429, retryAfter: 0 });
    await expect(api.post("api/v2/echo", { json: { a: 1 } }).json()).resolves.toEqual({ received: { a: 1 } });
    mock.failNext("api", { status: 503, retryAfter: 0 });
    await expect(api.get("api/v2/echo").json()).resolves.toEqual({ ok: true });
    mock.failNext("api", { status: 503, retryAfter: 0 });
    const error = (await rejection(api.post("api/v2/echo", { json: {} }))) as GenesysHTTPError;
    expect(error.response.status).toBe(503);
    expect(mock.stats.apiRequests).toBe(5);
  });

  it("a request-level retry option overrides the client's", async () => {
    const { api } = client();
    await api.get("api/v2/organizations/me");
    const before = mock.stats.apiRequests;
    mock.failNext("api", { status: 503, retryAfter: 0 }, 3);
    const error = (await rejection(api.get("api/v2/organizations/me", { retry: 0 }))) as GenesysHTTPError;
    expect(error.response.status).toBe(503);
    expect(mock.stats.apiRequests - before).toBe(1);
    await expect(api.get("api/v2/organizations/me", { retry: { limit: 5 } }).json()).resolves.toBeDefined();
    expect(mock.stats.apiRequests - before).toBe(4); // two more 503s, then success
  });

  it("20 concurrent requests meeting one 429 make at most 21 calls; later requests wait for the Retry-After", async () => {
    const { api } = client();
    await api.get("api/v2/organizations/me");
    const before = mock.stats.apiRequests;
    mock.failNext("api", { status: 429, retryAfter: 1 }, 1);
    const first = api.get("api/v2/echo");
    const rateLimitedBefore = mock.stats.rateLimited;
    while (mock.stats.rateLimited === rateLimitedBefore)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const answered = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the client reads the 429 and holds
    const arrivals = echoArrivals.length;
    const batch = Array.from({ length: 19 }, () => api.get("api/v2/echo"));
    await Promise.all([first, ...batch]);
    expect(mock.stats.apiRequests - before).toBe(21);
    const batchArrivals = echoArrivals.slice(arrivals);
    expect(batchArrivals).toHaveLength(20); // the retried first request and the 19 others
    expect(Math.min(...batchArrivals) - answered).toBeGreaterThanOrEqual(900); // none fired during the wait
  });

  it("explains errors: message, correlation id, Genesys body and a 403 hint", async () => {
    const { api } = client();
    const error = (await rejection(getUser(api, "no-such-user"))) as GenesysHTTPError;
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.message).toMatch(
      /^GET \/api\/v2\/users\/no-such-user → 404 not\.found: The requested user could not be found\. \(correlation id [0-9a-f-]{36}\)$/,
    );
    expect(error.correlationId).toBe(error.genesys?.contextId);
    expect([error.status, error.code]).toEqual([404, "not.found"]);
    mock.failNext("api", { status: 403 });
    const forbidden = (await rejection(api.get("api/v2/organizations/me"))) as GenesysHTTPError;
    expect(forbidden.hint).toContain("Roles");
    expect(forbidden.genesys?.code).toBe("missing.any.permissions");
  });

  it("never leaves the token on an error (inspect, JSON, request headers)", async () => {
    const { auth, api } = client();
    const token = await auth.getToken();
    mock.failNext("api", { status: 404 });
    const error = (await rejection(api.get("api/v2/organizations/me"))) as GenesysHTTPError;
    expect(error.request.headers.get("authorization")).toBeNull();
    expect(allViews(error)).not.toContain(token.accessToken);
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(SECRET);
  });

  it("times out per attempt, naming the URL and the time; honours the caller's signal", async () => {
    const { api } = client({ timeout: 100, retry: { limit: 0 } });
    mock.failNext("api", { delayMs: 2_000 });
    const error = (await rejection(api.get("api/v2/organizations/me"))) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(`GET ${served.url}/api/v2/organizations/me timed out after 100 ms`);
    expect(allViews(error)).not.toMatch(/Bearer /);
    mock.failNext("api", { delayMs: 2_000 });
    const controller = new AbortController();
    const call = api.get("api/v2/organizations/me", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(call).rejects.toThrow("user cancelled");
  });

  it("refuses bad options with a clear invalid_config error", () => {
    const { auth } = client();
    for (const [options, message] of [
      [{}, /"auth": is missing: pass the object createAuth\(\) returns/],
      [{ auth: { getToken() {} } }, /"auth": must be the object createAuth\(\) returns/],
      [{ auth, timeout: -1 }, /"timeout": must be >= 1/],
      [{ auth, retry: { limit: "3" } }, /"retry.limit": must be a number/],
    ] as const) {
      expect(() => createClient(options as never)).toThrow(message);
    }
  });

  it("paginates over 3 pages", async () => {
    const { api } = client();
    const ids: string[] = [];
    for await (const user of paginate<{ id: string }>(api, "api/v2/users", { pageSize: 25 }))
      ids.push(user.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(mock.stats.apiRequests).toBe(3);
  });

  it("stops paginating at maxPages or maxItems", async () => {
    const { api } = client();
    const pages: unknown[] = [];
    for await (const user of paginate(api, "api/v2/users", { pageSize: 10, maxPages: 2 })) pages.push(user);
    expect(pages).toHaveLength(20);
    const items: unknown[] = [];
    for await (const user of paginate(api, "api/v2/users", { pageSize: 10, maxItems: 15 })) items.push(user);
    expect(items).toHaveLength(15);
  });

  it("typed helpers: organization, token info, user, revoke", async () => {
    const { api } = client();
    expect((await getOrganization(api)).name).toBe("Mock Org");
    const info = await getTokenInfo(api);
    expect(info.OAuthClient?.id).toBe(CLIENT_ID);
    const user = await getUser(api, mock.users[0]?.id as string);
    expect(user.email).toBe("mock.user1@example.com");
    await revokeToken(api);
    expect((await getOrganization(api)).id).toBeDefined();
    expect(mock.stats.tokenRequests).toBe(2);
    expect(mock.stats.apiUnauthorized).toBe(0); // revoke invalidated the cache: no 401 round trip
  });
});
