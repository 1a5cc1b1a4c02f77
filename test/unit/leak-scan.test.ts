// The secret-leak scan: every failure path runs with a recognisable secret and token; neither may
// appear in any thrown error (message, stack, cause chain, util.inspect, JSON), event, or console line.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type AuthEvent, createClient, GenesysAuthError, getUser, type TokenStore } from "../../src/index.ts";
import { createMockGenesys, type MockFault, type MockGenesys } from "../../src/testing/index.ts";
import { allViews, CLIENT_ID, recordingAuth, SECRET } from "../support/helpers.ts";

const consoleLines: string[] = [];
beforeEach(() => {
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleLines.push(
        args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 10, showHidden: true }))).join(" "),
      );
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  consoleLines.length = 0;
});

interface Scenario {
  name: string;
  /** The error expected: a GenesysAuthError code, or an error class name. */
  expected: string;
  run(mock: MockGenesys, events: AuthEvent[]): Promise<unknown>;
}

const base = (mock: MockGenesys, events: AuthEvent[], extra: Record<string, unknown> = {}) =>
  recordingAuth(mock, events, { timeoutMs: 200, retry: { limit: 1, maxRetryAfterSeconds: 1 }, ...extra });
const tokenFault =
  (fault: MockFault, times = 5): Scenario["run"] =>
  (mock, events) => {
    mock.failNext("token", fault, times);
    return base(mock, events).getToken();
  };
const apiFault =
  (fault: MockFault, times = 5): Scenario["run"] =>
  async (mock, events) => {
    const auth = base(mock, events);
    await auth.getToken();
    mock.failNext("api", fault, times);
    return createClient({
      auth,
      fetch: mock.fetch,
      timeout: 200,
      retry: { limit: 1, maxRetryAfterSeconds: 1 },
    }).get("api/v2/organizations/me");
  };
const badStore: TokenStore = {
  get: () => Promise.reject(new Error("store down")),
  set: () => Promise.reject(new Error("store down")),
};

const scenarios: Scenario[] = [
  {
    name: "wrong secret",
    expected: "invalid_client",
    run: tokenFault({ status: 401, error: "invalid_client", description: "authentication failed" }),
  },
  {
    name: "unknown client",
    expected: "invalid_client",
    run: tokenFault({ status: 400, error: "invalid_client", description: "client not found" }),
  },
  {
    name: "grant not enabled",
    expected: "unauthorized_client",
    run: tokenFault({ status: 400, error: "unauthorized_client" }),
  },
  {
    name: "scope refused",
    expected: "invalid_scope",
    run: tokenFault({ status: 400, error: "invalid_scope" }),
  },
  {
    name: "token 429 over the cap",
    expected: "rate_limited",
    run: tokenFault({ status: 429, retryAfter: 3600 }),
  },
  { name: "token 503", expected: "server_error", run: tokenFault({ status: 503, retryAfter: 0 }) },
  {
    name: "token HTML",
    expected: "invalid_token_response",
    run: tokenFault({ status: 200, body: "<html>login</html>" }),
  },
  {
    name: "token malformed",
    expected: "invalid_token_response",
    run: tokenFault({ status: 200, body: { access_token: SECRET, token_type: "mac", expires_in: 1 } }),
  },
  { name: "token timeout", expected: "timeout", run: tokenFault({ delayMs: 5_000 }) },
  { name: "token connection reset", expected: "network_error", run: tokenFault({ networkError: true }) },
  {
    name: "store failures",
    expected: "Error",
    run: (mock, events) =>
      base(mock, events, { store: badStore })
        .getToken()
        .then(() => Promise.reject(new Error("no failure"))),
  },
  { name: "API 401 twice", expected: "HTTPError", run: apiFault({ status: 401 }) },
  { name: "API 403", expected: "HTTPError", run: apiFault({ status: 403 }) },
  {
    name: "API 404",
    expected: "HTTPError",
    run: async (mock, events) =>
      getUser(createClient({ auth: base(mock, events), fetch: mock.fetch }), "nobody"),
  },
  { name: "API 429 over the cap", expected: "HTTPError", run: apiFault({ status: 429, retryAfter: 3600 }) },
  {
    name: "API 503 on POST",
    expected: "HTTPError",
    run: async (mock, events) => {
      const auth = base(mock, events);
      mock.failNext("api", { status: 503 });
      return createClient({ auth, fetch: mock.fetch }).post("api/v2/organizations/me", { json: { a: 1 } });
    },
  },
  { name: "API timeout", expected: "TimeoutError", run: apiFault({ delayMs: 5_000 }) },
  {
    name: "token endpoint echoing the secret, its Basic value and its form encoding",
    expected: "invalid_client",
    run: tokenFault({
      status: 401,
      error: "invalid_client",
      description: `you sent Basic ${btoa(`${CLIENT_ID}:${SECRET}`)} and client_secret=${encodeURIComponent(SECRET)} (${SECRET})`,
      headers: { "inin-correlation-id": SECRET },
    }),
  },
  {
    name: "token endpoint redirecting",
    expected: "invalid_token_response",
    run: tokenFault({ status: 307, headers: { location: `https://evil.example/?secret=${SECRET}` } }),
  },
  {
    name: "API error echoing the bearer",
    expected: "HTTPError",
    run: async (mock, events) => {
      mock.route("GET", "/api/v2/echo-auth", (request) => {
        const said = `you sent ${request.headers.get("authorization")}`;
        return new Response(JSON.stringify({ message: said, code: said, details: [{ fieldName: said }] }), {
          status: 400,
          headers: { "content-type": "application/json", "inin-correlation-id": said.replace(/\s/g, "-") },
        });
      });
      return createClient({ auth: base(mock, events), fetch: mock.fetch }).get("api/v2/echo-auth");
    },
  },
  {
    name: "lock and waitUntil that throw",
    expected: "invalid_client",
    run: (mock, events) => {
      mock.failNext("token", { status: 401, error: "invalid_client" }, 5);
      return base(mock, events, {
        store: badStore,
        lock: { tryAcquire: () => Promise.reject(new Error("lock down")) },
        waitUntil: () => {
          throw new Error("no context");
        },
      }).getToken();
    },
  },
  { name: "API connection reset", expected: "TypeError", run: apiFault({ networkError: true }) },
  {
    name: "API caller abort",
    expected: "Error",
    run: async (mock, events) => {
      const auth = base(mock, events);
      mock.failNext("api", { delayMs: 5_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("cancelled")), 20);
      return createClient({ auth, fetch: mock.fetch }).get("api/v2/organizations/me", {
        signal: controller.signal,
      });
    },
  },
];

describe("secret-leak scan", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    "%s: no secret or token in errors, events, console",
    async (_name, scenario) => {
      const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
      const issued: string[] = [];
      const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = input instanceof Request ? input.url : String(input);
        const response = await mock.fetch(input, init);
        if (new URL(url).pathname === "/oauth/token" && response.ok) {
          const json = (await response
            .clone()
            .json()
            .catch(() => ({}))) as { access_token?: string };
          if (json.access_token) issued.push(json.access_token);
        }
        return response;
      }) as typeof fetch;
      const events: AuthEvent[] = [];
      let thrown: unknown;
      try {
        await scenario.run({ ...mock, fetch: recordingFetch } as MockGenesys, events);
      } catch (error) {
        thrown = error;
      }
      const kind = thrown instanceof GenesysAuthError ? thrown.code : (thrown as Error)?.name;
      expect(
        typeof kind === "string" && kind !== "" ? kind : String(thrown),
        "the scenario failed as intended",
      ).toBe(scenario.expected);
      const everything = [allViews(thrown), allViews(events), ...consoleLines].join("\n");
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toContain(btoa(`${CLIENT_ID}:${SECRET}`));
      for (const token of issued) expect(everything).not.toContain(token);
    },
  );
});
