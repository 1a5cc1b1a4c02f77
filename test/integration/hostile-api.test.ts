// The API client against hostile hosts, over real loopback HTTP: the bearer goes to auth.apiUrl's
// origin only, redirects are never followed, echoed tokens are redacted from errors, bodies read for
// errors are bounded in time and size, and an API that refuses every token does not cause a token storm.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  createAuth,
  createClient,
  GenesysAuthError,
  type GenesysHTTPError,
  HTTPError,
  revokeToken,
  TimeoutError,
} from "../../src/index.ts";
import { createMockGenesys, serveMockGenesys } from "../../src/testing/index.ts";
import { allViews, CLIENT_ID, rejection, SECRET } from "../support/helpers.ts";
import { type HostileServer, hostileServer, stall } from "../support/hostile-server.ts";
import { clock, codeFlowOn, signIn } from "../support/signin.ts";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
async function start(handle: Parameters<typeof hostileServer>[0]): Promise<HostileServer> {
  const server = await hostileServer(handle);
  closers.push(() => server.close());
  return server;
}

/** A mock Genesys on loopback, an auth on it, and a client whose API host is `apiUrl` (default: the mock). */
async function setup(apiUrl?: string, clientOptions: Record<string, unknown> = {}) {
  const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
  const served = await serveMockGenesys(mock);
  closers.push(() => served.close());
  const auth = createAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    loginUrl: served.url,
    apiUrl: apiUrl ?? served.url,
    timeoutMs: 2_000,
  });
  const api = createClient({
    auth,
    timeout: 300,
    retry: { limit: 1, maxRetryAfterSeconds: 1 },
    ...clientOptions,
  });
  return { mock, served, auth, api };
}

describe("the bearer goes to auth.apiUrl's origin only", () => {
  it("an absolute URL, a Request and extend({ prefixUrl }) to another origin are refused; it receives nothing", async () => {
    const other = await start((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    });
    const { api, mock } = await setup();
    const attempts = [
      () => api.get(new URL(`${other.url}/api/v2/organizations/me`)),
      () => api(new Request(`${other.url}/api/v2/organizations/me`)),
      () => api.extend({ prefixUrl: other.url }).get("api/v2/organizations/me"),
    ];
    for (const attempt of attempts) {
      const error = (await rejection(attempt())) as GenesysAuthError;
      expect(error).toBeInstanceOf(GenesysAuthError);
      expect(error.code).toBe("invalid_config");
      expect(error.message).toMatch(/only to/);
    }
    expect(other.received).toHaveLength(0);
    expect(mock.stats.apiRequests).toBe(0);
  });

  it("a look-alike origin (same host as a prefix, another port or scheme) is another origin", async () => {
    const { api, served } = await setup();
    const port = Number(new URL(served.url).port);
    for (const url of [
      `http://127.0.0.1.nip.example:${port}/x`,
      `http://127.0.0.1:${port === 65_535 ? 1 : port + 1}/x`,
      `https://127.0.0.1:${port}/x`,
      `http://localhost:${port}/x`,
    ]) {
      const error = (await rejection(api.get(new URL(url)))) as GenesysAuthError;
      expect(error.code).toBe("invalid_config");
    }
  });
});

describe("redirects from the API are never followed", () => {
  it.each([301, 302, 303, 307, 308])(
    "%i to another origin: an HTTPError, and the target receives nothing",
    async (status) => {
      const target = await start((_req, res) => {
        res.writeHead(200);
        res.end("{}");
      });
      const api = await start((_req, res) => {
        res.writeHead(status, { location: `${target.url}/elsewhere` });
        res.end();
      });
      const { api: client } = await setup(api.url);
      const error = (await rejection(client.get("api/v2/organizations/me"))) as GenesysHTTPError;
      expect(error).toBeInstanceOf(HTTPError);
      expect(error.status).toBe(status);
      expect(error.hint).toMatch(/redirect/i);
      expect(target.received).toHaveLength(0);
      expect(api.received).toHaveLength(1);
    },
  );
});

describe("revoking a token (DELETE /api/v2/tokens/me) on a hostile API host", () => {
  async function hosts(misbehaviour: "redirect" | "stall") {
    const target = await start((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const api = await start((_req, res) => {
      if (misbehaviour === "stall") return; // no answer at all
      res.writeHead(307, { location: `${target.url}/api/v2/tokens/me` });
      res.end();
    });
    return { target, api };
  }

  it.each(["redirect", "stall"] as const)(
    "revokeToken(), %s: an error in bounded time; the bearer goes nowhere else",
    async (misbehaviour) => {
      const { target, api } = await hosts(misbehaviour);
      const { api: client } = await setup(api.url);
      const started = performance.now();
      const error = await rejection(revokeToken(client));
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(misbehaviour === "redirect" ? HTTPError : TimeoutError);
      expect(target.received).toHaveLength(0);
      expect(api.received.every((r) => r.method === "DELETE")).toBe(true);
    },
  );

  it.each(["redirect", "stall"] as const)(
    "a server sign-out, %s: signOut() ends within the timeout; the bearer goes nowhere else",
    async (misbehaviour) => {
      const { target, api } = await hosts(misbehaviour);
      const time = clock();
      const mock = createMockGenesys({ tokenLifetimeSeconds: 3600, now: time.now });
      const served = await serveMockGenesys(mock);
      closers.push(() => served.close());
      const options = { loginUrl: served.url, apiUrl: api.url, fetch: undefined, timeoutMs: 300 };
      const { flow } = codeFlowOn(time, {}, options, [], mock);
      const { sessionId } = await signIn(mock, flow);
      const started = performance.now();
      await flow.signOut(sessionId);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(api.received.map((r) => r.method)).toEqual(["DELETE"]);
      expect(target.received).toHaveLength(0);
      expect((await rejection(flow.session(sessionId).getToken())) as GenesysAuthError).toMatchObject({
        code: "login_required",
      });
    },
  );
});

describe("a custom fetch whose error carries the request", () => {
  it("the caller gets a plain copy, without the bearer, still retried as a lost connection", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch });
    const bearer = (await auth.getToken()).accessToken;
    let calls = 0;
    const leaky = (async (input: RequestInfo | URL) => {
      calls++;
      const request = (input as Request).clone();
      throw Object.assign(new TypeError("fetch failed"), {
        request,
        headers: Object.fromEntries(request.headers),
        cause: { code: "ECONNRESET" },
      });
    }) as typeof fetch;
    const api = createClient({ auth, fetch: leaky, retry: { limit: 1 } });
    const error = (await rejection(api.get("api/v2/organizations/me"))) as Error;
    expect(error.name).toBe("TypeError");
    expect(error.message).toContain("ECONNRESET");
    expect(allViews(error)).not.toContain(bearer);
    expect(calls).toBe(2);
  });
});

describe("an API that echoes the request", () => {
  it("a 400 quoting the Authorization header: the token is redacted in message, fields and inspect output", async () => {
    const api = await start((req, res) => {
      const said = `you sent ${req.headers.authorization}`;
      res.writeHead(400, { "content-type": "application/json", "inin-correlation-id": said });
      res.end(
        JSON.stringify({
          message: said,
          code: "bad.request",
          status: 400,
          details: [{ errorCode: said, fieldName: said }],
          messageParams: { header: said },
        }),
      );
    });
    const { api: client, auth } = await setup(api.url);
    const error = (await rejection(client.get("api/v2/organizations/me"))) as GenesysHTTPError;
    const token = (await auth.getToken()).accessToken;
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.message).toContain("[redacted]");
    expect(allViews(error)).not.toContain(token);
    expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(token);
    expect(JSON.stringify(error.genesys)).not.toContain(token);
    expect(String(error.correlationId)).not.toContain(token);
  });
});

describe("bodies read for errors are bounded", () => {
  it("a 404 whose body stalls: the request fails within its timeout", async () => {
    const api = await start((_req, res) => stall(res, 404));
    const { api: client } = await setup(api.url);
    const started = performance.now();
    const error = await rejection(client.get("api/v2/users/x"));
    expect(error).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("a 200 whose body stalls: reading it fails within the timeout", async () => {
    const api = await start((_req, res) => stall(res, 200, '{"id":"'));
    const { api: client } = await setup(api.url);
    const started = performance.now();
    const error = await rejection(client.get("api/v2/users/x").json());
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/timed out after 300 ms/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("an error body of megabytes: the message stays short", async () => {
    const api = await start((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(`{"message":"${"m".repeat(8 * 1024 * 1024)}","code":"bad.request"}`);
    });
    const { api: client } = await setup(api.url, { timeout: 5_000 });
    const error = (await rejection(client.get("api/v2/users/x"))) as GenesysHTTPError;
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.message.length).toBeLessThan(1_000);
  });
});

describe("an error body larger than what is read of it", () => {
  it("a 200 KB error page: the error is explained, and nothing is left to fail later (no unhandled rejection)", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const api = await start((_req, res) => {
        res.writeHead(502, { "content-type": "text/html" });
        res.end(`<html>${"x".repeat(200_000)}</html>`);
      });
      const { api: client } = await setup(api.url, { timeout: 300, retry: { limit: 0 } });
      const error = (await rejection(client.get("api/v2/organizations/me"))) as GenesysHTTPError;
      expect(error.status).toBe(502);
      expect((await error.response.text()).length).toBeLessThanOrEqual(64 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 700)); // past the attempt's deadline
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  it("a 2xx body nobody reads: nothing fails later either", async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const api = await start((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`{"x":"${"y".repeat(300_000)}"}`);
      });
      const { api: client } = await setup(api.url, { timeout: 300 });
      await client.get("api/v2/organizations/me"); // the response is never read
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
    }
  });
});

describe("an API that refuses every token (apiUrl and loginUrl in different regions)", () => {
  it("one fresh token per window, not one per call; the hint names the likely causes", async () => {
    const api = await start((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ message: "Invalid login credentials.", code: "bad.credentials", status: 401 }),
      );
    });
    const { api: client, mock } = await setup(api.url);
    for (let i = 0; i < 10; i++) {
      const error = (await rejection(client.get("api/v2/organizations/me"))) as GenesysHTTPError;
      expect(error.status).toBe(401);
      expect(error.hint).toMatch(/region/);
      expect(error.hint).toMatch(/idle/);
    }
    // The first call: its token and one fresh one (the replay). Later calls reuse the fresh token.
    expect(mock.stats.tokenRequests).toBe(2);
    expect(api.received.length).toBe(11);
  });
});
