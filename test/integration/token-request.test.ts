import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/ports.ts";
import { createAuth, GenesysAuthError } from "../../src/index.ts";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";
import { allViews, CLIENT_ID, rejection, SECRET, setup } from "../support/helpers.ts";

/** Records the requests a fetch sends (their bodies read from clones). */
function recording(fetchFn: typeof fetch) {
  const sent: Array<{ url: string; method: string; headers: Headers; body: string }> = [];
  const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.clone().text(),
    });
    return fetchFn(request);
  }) as typeof fetch;
  return { sent, fetch: wrapped };
}

async function tokenError(
  mockFault: Parameters<ReturnType<typeof setup>["mock"]["failNext"]>[1],
  times = 1,
  extra = {},
) {
  const { mock, auth } = setup({}, { retry: { limit: 2 }, ...extra });
  mock.failNext("token", mockFault, times);
  const error = (await rejection(auth.getToken())) as GenesysAuthError;
  expect(error).toBeInstanceOf(GenesysAuthError);
  expect(allViews(error)).not.toContain(SECRET);
  return { error, mock };
}

describe("the token request", () => {
  it("POSTs a form to <login>/oauth/token with raw Basic credentials and no scope", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const rec = recording(mock.fetch);
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      region: "eu-west-1",
      fetch: rec.fetch,
    });
    const token = await auth.getToken();
    expect(token.tokenType).toBe("bearer");
    expect(token.accessToken.length).toBeGreaterThan(20);
    expect(rec.sent).toHaveLength(1);
    const [request] = rec.sent;
    expect(request?.url).toBe("https://login.mypurecloud.ie/oauth/token");
    expect(request?.method).toBe("POST");
    expect(request?.headers.get("content-type")).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request?.headers.get("authorization")).toBe(`Basic ${btoa(`${CLIENT_ID}:${SECRET}`)}`);
    expect(request?.body).toBe("grant_type=client_credentials");
  });

  it("sends client_id/client_secret in the body with clientAuthentication: body, and scope only when asked", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const rec = recording(mock.fetch);
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      clientAuthentication: "body",
      scopes: ["users:readonly", "organization:readonly"],
      fetch: rec.fetch,
    });
    const token = await auth.getToken();
    const [request] = rec.sent;
    expect(request?.headers.get("authorization")).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: SECRET,
      scope: "users:readonly organization:readonly",
    });
    expect(token.scopes).toEqual(["users:readonly", "organization:readonly"]);
  });

  it("computes expiry from the local time the request was sent", async () => {
    let clock = 1_000_000;
    const { auth } = setup({ tokenLifetimeSeconds: 3600 }, { now: () => clock });
    const token = await auth.getToken();
    clock += 5;
    expect(token.expiresAt).toBe(1_000_000 + 3_600_000);
  });

  it("encodes non-ASCII credentials as UTF-8", async () => {
    const mock = createMockGenesys({ clientId: "id-é", clientSecret: "sécret-ü" });
    const auth = createAuth({ clientId: "id-é", clientSecret: "sécret-ü", fetch: mock.fetch });
    await expect(auth.getToken()).resolves.toBeDefined();
  });
});

describe("token endpoint failures", () => {
  it("wrong secret → invalid_client naming the check list", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: "the-real-one" });
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_client");
    expect(error.status).toBe(401);
    expect(error.message).toContain("authentication failed");
    expect(error.hint).toMatch(/trailing spaces.*active.*region/s);
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(allViews(error)).not.toContain(SECRET);
    expect(mock.stats.tokenRequests).toBe(1); // a 4xx is never retried
  });

  it("unknown client id → invalid_client whose hint points at the region", async () => {
    const mock = createMockGenesys({ clientId: "other", clientSecret: SECRET });
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      region: "eu-central-1",
      fetch: mock.fetch,
    });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_client");
    expect(error.message).toContain("client not found");
    expect(error.hint).toContain("unknown in region eu-central-1");
  });

  it("client without the grant → unauthorized_client with the admin steps", async () => {
    const { mock: _m, auth } = setup({ grantTypes: ["authorization_code"] });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("unauthorized_client");
    expect(error.hint).toContain("Client Credentials");
  });

  it("refused scope → invalid_scope explaining roles", async () => {
    const { auth } = setup({ allowedScopes: ["users:readonly"] }, { scopes: ["admin"] });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_scope");
    expect(error.hint).toContain("roles");
  });

  it("a JSON body instead of a form → invalid_request explaining the form", async () => {
    const { error } = await tokenError({
      status: 400,
      error: "invalid_request",
      description: "bad content type",
    });
    expect(error.code).toBe("invalid_request");
    expect(error.hint).toContain("application/x-www-form-urlencoded");
  });

  it("429 with a Retry-After past the cap → rate_limited at once with the wait", async () => {
    const started = Date.now();
    const { error, mock } = await tokenError({ status: 429, retryAfter: 3600 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(3600);
    expect(error.message).toContain("3600 s");
    expect(error.hint).toContain("share them across instances");
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("429 with a short Retry-After is retried and succeeds", async () => {
    const { mock, auth } = setup();
    mock.failNext("token", { status: 429, retryAfter: 0 }, 2);
    await expect(auth.getToken()).resolves.toBeDefined();
    expect(mock.stats.tokenRequests).toBe(3);
  });

  it("429 Retry-After as an HTTP date is honoured", async () => {
    const { mock, auth } = setup();
    mock.failNext("token", { status: 429, retryAfter: new Date(Date.now() - 1000).toUTCString() });
    await expect(auth.getToken()).resolves.toBeDefined();
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("5xx is retried up to the limit, then server_error with the correlation id", async () => {
    const { error, mock } = await tokenError({ status: 503, retryAfter: 0 }, 5);
    expect(error.code).toBe("server_error");
    expect(error.status).toBe(503);
    expect(error.correlationId).toBeDefined();
    expect(mock.stats.tokenRequests).toBe(3);
  });

  it.each([
    [{ status: 200, body: "<html><body>Sign in</body></html>" }, /not JSON/],
    [{ status: 200, body: { token_type: "bearer", expires_in: 3600 } }, /"access_token" is missing/],
    [
      { status: 200, body: { access_token: "x", token_type: "mac", expires_in: 3600 } },
      /"token_type" is not "bearer"/,
    ],
    [
      { status: 200, body: { access_token: "x", token_type: "bearer", expires_in: 0 } },
      /"expires_in" is under 10 seconds/,
    ],
    [
      { status: 200, body: { access_token: "x", token_type: "bearer", expires_in: -5 } },
      /"expires_in" is under 10 seconds/,
    ],
    [
      { status: 200, body: { access_token: "x", token_type: "bearer", expires_in: "3600" } },
      /"expires_in" is not a number/,
    ],
    [
      { status: 200, body: { access_token: "x", token_type: "bearer", expires_in: 1e12 } },
      /longer than a year/,
    ],
    [{ status: 200, body: [] }, /"access_token"|body/],
  ])("malformed success %j → invalid_token_response", async (fault, message) => {
    const { error } = await tokenError(fault);
    expect(error.code).toBe("invalid_token_response");
    expect(error.message).toMatch(message);
  });

  it("a malformed token is never echoed in the error", async () => {
    const { error } = await tokenError({
      status: 200,
      body: { access_token: SECRET, token_type: "mac", expires_in: 1 },
    });
    expect(allViews(error)).not.toContain(SECRET);
  });

  it("a hanging endpoint → timeout after each attempt's timeoutMs", async () => {
    const { error, mock } = await tokenError({ delayMs: 5_000 }, 5, { timeoutMs: 100, retry: { limit: 1 } });
    expect(error.code).toBe("timeout");
    expect(error.message).toContain("timeoutMs: 100");
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("a dropped connection is retried, then network_error", async () => {
    const { error, mock } = await tokenError({ networkError: true }, 5, { retry: { limit: 1 } });
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("/oauth/token");
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("an OAuth error named like an Object property is just an unexpected answer", async () => {
    const { error } = await tokenError({ status: 400, error: "__proto__", description: "odd" });
    expect(error.code).toBe("server_error");
    expect(error.message).toContain("__proto__: odd");
  });

  it("404 at the token URL → invalid_config pointing at loginUrl", async () => {
    const { error } = await tokenError({ status: 404, body: "not here" });
    expect(error.code).toBe("invalid_config");
    expect(error.hint).toContain("loginUrl");
  });
});

describe("over real loopback HTTP", () => {
  let served: ServedMock;
  const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
  beforeAll(async () => {
    served = await serveMockGenesys(mock);
  });
  afterAll(() => served.close());

  it("gets a token from the served mock with the runtime's own fetch", async () => {
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      loginUrl: served.url,
      apiUrl: served.url,
    });
    const token = await auth.getToken();
    expect(token.expiresAt).toBeGreaterThan(Date.now() + 86_000_000);
    const response = await fetch(`${served.url}/api/v2/organizations/me`, {
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("inin-correlation-id")).toBeTruthy();
    expect(((await response.json()) as { name: string }).name).toBe("Mock Org");
  });

  it("a served network fault drops the socket: network_error after retries", async () => {
    mock.failNext("token", { networkError: true }, 2);
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      loginUrl: served.url,
      retry: { limit: 1 },
    });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("network_error");
  });

  it("a closed port → network_error naming the URL", async () => {
    const port = await freePort(); // nothing listens there
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      loginUrl: `http://127.0.0.1:${port}`,
      retry: { limit: 0 },
    });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("network_error");
    expect(error.message).toContain(`http://127.0.0.1:${port}/oauth/token`);
    expect(error.message).toContain("ECONNREFUSED");
  });
});
