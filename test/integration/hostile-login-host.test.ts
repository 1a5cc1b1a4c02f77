// A login host that misbehaves, over real loopback HTTP: it redirects the token request elsewhere,
// echoes the request (credentials included) into its error bodies, trickles or stalls its body, or
// answers megabytes. The secret never travels further, never comes back in an error, and no wait is
// longer than the attempts' timeouts.
import { afterEach, describe, expect, it } from "vitest";
import { type AuthEvent, createAuth, GenesysAuthError } from "../../src/index.ts";
import { allViews, CLIENT_ID, rejection } from "../support/helpers.ts";
import { type HostileServer, hostileServer, stall, trickle } from "../support/hostile-server.ts";

/** A secret whose URL and form encodings differ from the raw text, so an echo of either is caught. */
const SECRET = "s3cr3t/VALUE+with space&more=7f3a";
const BASIC = btoa(`${CLIENT_ID}:${SECRET}`);
const FORMS = [encodeURIComponent(SECRET), new URLSearchParams({ s: SECRET }).toString().slice(2)];

const servers: HostileServer[] = [];
async function start(handle: Parameters<typeof hostileServer>[0]): Promise<HostileServer> {
  const server = await hostileServer(handle);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function authAt(loginUrl: string, extra: Record<string, unknown> = {}) {
  const events: AuthEvent[] = [];
  const auth = createAuth({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    loginUrl,
    apiUrl: loginUrl,
    timeoutMs: 300,
    retry: { limit: 1, maxRetryAfterSeconds: 1 },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { auth, events };
}

function expectNoCredential(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(BASIC);
  for (const form of FORMS) expect(text).not.toContain(form);
}

describe("a login host that redirects the token request", () => {
  it.each(
    [301, 302, 303, 307, 308].flatMap((status) => [
      [status, "basic"],
      [status, "body"],
    ]),
  )("%i with clientAuthentication %s: not followed, the target receives nothing", async (status, mode) => {
    const target = await start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "stolen", token_type: "bearer", expires_in: 3600 }));
    });
    const login = await start((_req, res) => {
      res.writeHead(status, { location: `${target.url}/oauth/token` });
      res.end();
    });
    const { auth } = authAt(login.url, { clientAuthentication: mode });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect(error.code).toBe("invalid_token_response");
    expect(error.status).toBe(status);
    expect(error.hint).toMatch(/redirect/i);
    expect(error.message).toContain(target.url); // where it wanted to send us, for the admin
    expect(target.received).toHaveLength(0);
    expect(login.received).toHaveLength(1); // a redirect is not retried
    expectNoCredential(allViews(error));
  });
});

describe("a fetch that follows redirects although asked not to", () => {
  it("is refused once as invalid_config, not retried as a lost connection", async () => {
    const login = await start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "redirected-answer", token_type: "bearer", expires_in: 3600 }));
    });
    let calls = 0;
    const following = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      const answer = await fetch(input, init);
      Object.defineProperty(answer, "redirected", { value: true });
      return answer;
    }) as typeof fetch;
    const { auth, events } = authAt(login.url, { fetch: following, retry: { limit: 2 } });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_config");
    expect(calls).toBe(1);
    expect(events.filter((e) => e.type === "retry")).toHaveLength(0);
  });
});

describe("a login host that echoes the request into its answers", () => {
  const echo = (req: { headers: Record<string, unknown>; body: string }) =>
    `body ${req.body} authorization ${req.headers.authorization} headers ${JSON.stringify(req.headers)}`;

  it.each([
    [400, "basic"],
    [401, "basic"],
    [401, "body"],
    [400, "body"],
    [500, "basic"],
    [503, "body"],
  ])("%i (%s): the secret, its Basic value and its form encoding are redacted", async (status, mode) => {
    const login = await start((req, res) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "inin-correlation-id": `corr ${req.headers.authorization ?? req.body}`,
      });
      res.end(JSON.stringify({ error: "invalid_client", description: echo(req), message: echo(req) }));
    });
    const { auth, events } = authAt(login.url, { clientAuthentication: mode, retry: { limit: 0 } });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect(error.message).toContain("[redacted]");
    expectNoCredential(allViews(error));
    expectNoCredential(allViews(events));
  });

  it("a 200 that echoes the request is refused without quoting it", async () => {
    const login = await start((req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(echo(req));
    });
    const { auth } = authAt(login.url, { clientAuthentication: "body" });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_token_response");
    expectNoCredential(allViews(error));
  });
});

describe("a login host whose body trickles, stalls or never ends", () => {
  it.each([
    ["200 trickling", (res: Parameters<typeof trickle>[0]) => trickle(res, 200)],
    ["401 trickling", (res: Parameters<typeof trickle>[0]) => trickle(res, 401)],
    ["503 trickling", (res: Parameters<typeof trickle>[0]) => trickle(res, 503)],
    ["200 stalled", (res: Parameters<typeof trickle>[0]) => stall(res, 200)],
    ["400 stalled", (res: Parameters<typeof trickle>[0]) => stall(res, 400)],
  ])(
    "%s: getToken() fails with timeout within the attempts' budget, and the next call starts afresh",
    async (_name, answer) => {
      const login = await start((_req, res) => answer(res));
      const { auth } = authAt(login.url);
      const started = performance.now();
      const error = (await rejection(auth.getToken())) as GenesysAuthError;
      const took = performance.now() - started;
      expect(error).toBeInstanceOf(GenesysAuthError);
      expect(error.code).toBe("timeout");
      // 2 attempts of 300 ms and one backoff of at most 500 ms, plus scheduling slack.
      expect(took).toBeLessThan(2_500);
      const again = performance.now();
      expect(((await rejection(auth.getToken())) as GenesysAuthError).code).toBe("timeout");
      expect(performance.now() - again).toBeLessThan(2_500);
      expect(login.received.length).toBe(4);
    },
  );

  it("an error body of megabytes is read only in part, and the message stays short", async () => {
    const login = await start((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.write(`{"error":"invalid_request","description":"${"x".repeat(200)}`);
      res.end("y".repeat(8 * 1024 * 1024));
    });
    const { auth } = authAt(login.url, { timeoutMs: 5_000 });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect(error.message.length).toBeLessThan(1_000);
  });

  it("a success body of megabytes is refused as not a token response", async () => {
    const login = await start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ access_token: "a".repeat(4 * 1024 * 1024), token_type: "bearer", expires_in: 3600 }),
      );
    });
    const { auth } = authAt(login.url, { timeoutMs: 5_000 });
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_token_response");
  });
});
