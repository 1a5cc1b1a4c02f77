/**
 * The conformance suite: runtime-neutral cases (web standards only) written once against the built
 * package and the in-process mock, run under Node 20/22/24, Deno, Bun, workerd and Chromium.
 */
import {
  createAuth,
  createClient,
  createCodeFlow,
  createSaml2BearerAuth,
  fromEnv,
  GenesysAuthError,
  type GenesysHTTPError,
  getOrganization,
  HTTPError,
  memoryStore,
  paginate,
  resolveRegion,
  type TokenStore,
} from "genesys-cloud-auth";
import { createMockGenesys, createMockSamlAssertion, type MockGenesys } from "genesys-cloud-auth/testing";
import { equal, ok, rejection } from "./assert.ts";

/** One case. */
export interface Case {
  name: string;
  run(): Promise<void>;
}

const SECRET = "conformance-secret-9d2f7a61";

/** A code flow on `mock` (in process), its clock movable by `offset`. */
function codeFlow(mock: MockGenesys, clock: { offset: number }, store = memoryStore()) {
  return createCodeFlow({
    clientId: mock.codeClient.id,
    clientSecret: mock.codeClient.secret,
    redirectUri: mock.codeClient.redirectUris[0] as string,
    loginUrl: "http://127.0.0.1:1",
    apiUrl: "http://127.0.0.1:1",
    fetch: mock.fetch,
    store,
    now: () => Date.now() + clock.offset,
    dangerouslyAllowBrowser: true,
  });
}

/** A sign-in through the mock's authorize endpoint (its 302 followed by hand). */
async function signIn(mock: MockGenesys, flow: ReturnType<typeof createCodeFlow>, appState?: string) {
  const { url, state } = await flow.authorizationUrl(appState === undefined ? {} : { state: appState });
  const callback = (await mock.fetch(url, { redirect: "manual" })).headers.get("location") ?? "";
  return flow.exchange(callback, { state });
}

function setup(
  mockOptions: Parameters<typeof createMockGenesys>[0] = {},
  extra: Record<string, unknown> = {},
) {
  const mock = createMockGenesys({ clientSecret: SECRET, ...mockOptions });
  const auth = createAuth({
    clientId: mock.clientId,
    clientSecret: SECRET,
    fetch: mock.fetch,
    dangerouslyAllowBrowser: true,
    ...extra,
  });
  return { mock, auth, api: createClient({ auth, fetch: mock.fetch }) };
}

export const cases: Case[] = [
  {
    name: "fetches a bearer token",
    async run() {
      const { auth } = setup();
      const token = await auth.getToken();
      equal(token.tokenType, "bearer", "token type");
      ok(token.accessToken.length > 20, "token string");
      ok(token.expiresAt > Date.now() + 86_000_000, "expiry ~24 h ahead");
    },
  },
  {
    name: "serves the cache: same object, one POST",
    async run() {
      const { mock, auth } = setup();
      const first = await auth.getToken();
      ok((await auth.getToken()) === first, "same token object");
      equal(mock.stats.tokenRequests, 1, "token POSTs");
    },
  },
  {
    name: "single-flight: 200 concurrent callers, one POST",
    async run() {
      const { mock, auth } = setup();
      mock.failNext("token", { delayMs: 20 });
      const tokens = await Promise.all(Array.from({ length: 200 }, () => auth.getToken()));
      equal(new Set(tokens.map((t) => t.accessToken)).size, 1, "distinct tokens");
      equal(mock.stats.tokenRequests, 1, "token POSTs");
    },
  },
  {
    name: "a caller's abort ends only its own wait",
    async run() {
      const { mock, auth } = setup();
      mock.failNext("token", { delayMs: 50 });
      const controller = new AbortController();
      const aborted = auth.getToken({ signal: controller.signal });
      const other = auth.getToken();
      controller.abort(new Error("gave up"));
      const error = await rejection(aborted, "aborted caller");
      equal((error as Error).message, "gave up", "abort reason");
      ok((await other).accessToken, "other caller served");
      equal(mock.stats.tokenRequests, 1, "token POSTs");
    },
  },
  {
    name: "maps a wrong secret to invalid_client without leaking it",
    async run() {
      const mock = createMockGenesys({ clientSecret: "the-real-one" });
      const auth = createAuth({
        clientId: mock.clientId,
        clientSecret: SECRET,
        fetch: mock.fetch,
        dangerouslyAllowBrowser: true,
      });
      const error = await rejection(auth.getToken(), "wrong secret");
      ok(error instanceof GenesysAuthError, "GenesysAuthError");
      equal((error as GenesysAuthError).code, "invalid_client", "code");
      ok(/region/.test((error as GenesysAuthError).hint), "hint mentions the region");
      const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)} ${String(error)}`;
      ok(!text.includes(SECRET), "secret not in the error");
    },
  },
  {
    name: "maps 429 past the cap to rate_limited at once",
    async run() {
      const { mock, auth } = setup();
      mock.failNext("token", { status: 429, retryAfter: 7200 });
      const error = (await rejection(auth.getToken(), "rate limited")) as GenesysAuthError;
      equal(error.code, "rate_limited", "code");
      equal(error.retryAfterSeconds, 7200, "wait");
      equal(mock.stats.tokenRequests, 1, "no retry");
    },
  },
  {
    name: "maps a missing grant to unauthorized_client",
    async run() {
      const { auth } = setup({ grantTypes: [] });
      const error = (await rejection(auth.getToken(), "no grant")) as GenesysAuthError;
      equal(error.code, "unauthorized_client", "code");
    },
  },
  {
    name: "retries a 503 from the token endpoint",
    async run() {
      const { mock, auth } = setup();
      mock.failNext("token", { status: 503, retryAfter: 0 });
      await auth.getToken();
      equal(mock.stats.tokenRequests, 2, "token POSTs");
    },
  },
  {
    name: "client: calls the API with the bearer",
    async run() {
      const { mock, api } = setup();
      equal((await getOrganization(api)).name, "Mock Org", "organization");
      equal(mock.stats.apiRequestsWithoutBearer, 0, "requests without bearer");
    },
  },
  {
    name: "client: a revoked token is replaced and the request replayed once",
    async run() {
      const { mock, api } = setup();
      await getOrganization(api);
      mock.revokeAllTokens();
      await getOrganization(api);
      equal(mock.stats.tokenRequests, 2, "token POSTs");
      equal(mock.stats.apiUnauthorized, 1, "401s");
    },
  },
  {
    name: "client: 429 with Retry-After is retried",
    async run() {
      const { mock, api } = setup();
      mock.failNext("api", { status: 429, retryAfter: 0 });
      await getOrganization(api);
      equal(mock.stats.apiRequests, 2, "API requests");
    },
  },
  {
    name: "client: errors explain themselves and hold no token",
    async run() {
      const { auth, api } = setup();
      const token = await auth.getToken();
      const error = (await rejection(api.get("api/v2/users/nobody"), "404")) as GenesysHTTPError;
      ok(error instanceof HTTPError, "HTTPError");
      equal(error.genesys?.code, "not.found", "Genesys code");
      ok(typeof error.correlationId === "string", "correlation id");
      ok(error.message.startsWith("GET /api/v2/users/nobody → 404 not.found"), error.message);
      equal(error.request.headers.get("authorization"), null, "no Authorization header on the error");
      ok(
        !JSON.stringify({ ...error, message: error.message }).includes(token.accessToken),
        "token not in the error",
      );
    },
  },
  {
    name: "client: paginates",
    async run() {
      const { api } = setup();
      let count = 0;
      for await (const _ of paginate(api, "api/v2/users", { pageSize: 25 })) count++;
      equal(count, 60, "users");
    },
  },
  {
    name: "encrypts shared entries and shares them between instances",
    async run() {
      const map = new Map<string, string>();
      const store: TokenStore = {
        get: async (key) => map.get(key),
        set: async (key, value) => {
          map.set(key, value);
        },
      };
      const { mock, auth } = setup({}, { store });
      const token = await auth.getToken();
      const [value] = [...map.values()];
      ok(value?.startsWith("v1."), "envelope format");
      ok(!value?.includes(token.accessToken), "token encrypted");
      const second = createAuth({
        clientId: mock.clientId,
        clientSecret: SECRET,
        fetch: mock.fetch,
        store,
        dangerouslyAllowBrowser: true,
      });
      equal((await second.getToken()).accessToken, token.accessToken, "shared token");
      equal(mock.stats.tokenRequests, 1, "token POSTs");
    },
  },
  {
    name: "memory store + lock: 8 instances, one POST",
    async run() {
      const mock = createMockGenesys({ clientSecret: SECRET });
      mock.failNext("token", { delayMs: 30 });
      const shared = memoryStore();
      const auths = Array.from({ length: 8 }, () =>
        createAuth({
          clientId: mock.clientId,
          clientSecret: SECRET,
          fetch: mock.fetch,
          store: shared,
          lock: shared,
          dangerouslyAllowBrowser: true,
        }),
      );
      await Promise.all(auths.map((a) => a.getToken()));
      equal(mock.stats.tokenRequests, 1, "token POSTs");
    },
  },
  {
    name: "resolves regions and reads env records",
    async run() {
      equal(resolveRegion("https://api.mypurecloud.ie").id, "eu-west-1", "EU1");
      const options = fromEnv({
        GENESYSCLOUD_OAUTHCLIENT_ID: "a",
        GENESYSCLOUD_OAUTHCLIENT_SECRET: "b",
        GENESYSCLOUD_REGION: "mypurecloud.de",
      });
      equal(
        createAuth({ ...options, dangerouslyAllowBrowser: true }).region,
        "eu-central-1",
        "region from env",
      );
    },
  },
  {
    name: "server sign-in: authorize, exchange (PKCE + Basic), the user's API, the app's state back",
    async run() {
      const mock = createMockGenesys();
      const flow = codeFlow(mock, { offset: 0 });
      const signedIn = await signIn(mock, flow, "/after");
      equal(signedIn.appState, "/after", "app state");
      const me = await createClient({ auth: flow.session(signedIn.sessionId), fetch: mock.fetch })
        .get("api/v2/users/me")
        .json<{ email: string }>();
      equal(me.email, mock.signedInUser?.email, "the signed-in user");
      const second = (await rejection(
        flow.exchange(`${mock.codeClient.redirectUris[0]}?code=x&state=forged`, { state: "other" }),
        "forged state",
      )) as GenesysAuthError;
      equal(second.code, "state_mismatch", "state checked first");
    },
  },
  {
    name: "server session: refresh with rotation; a refused refresh token is login_required",
    async run() {
      const mock = createMockGenesys();
      const clock = { offset: 0 };
      const flow = codeFlow(mock, clock);
      const { sessionId } = await signIn(mock, flow);
      const first = await flow.session(sessionId).getToken();
      clock.offset = 2 * 86_400_000;
      const renewed = await flow.session(sessionId).getToken();
      ok(renewed.accessToken !== first.accessToken, "a new token");
      equal(mock.stats.refreshes, 1, "refresh POSTs");
      mock.revokeRefreshTokens();
      clock.offset = 4 * 86_400_000;
      const error = (await rejection(flow.session(sessionId).getToken(), "refused")) as GenesysAuthError;
      equal(error.code, "login_required", "code");
    },
  },
  {
    name: "server session: 8 instances on one store and lock renew once",
    async run() {
      const mock = createMockGenesys();
      const clock = { offset: 0 };
      const shared = memoryStore();
      const { sessionId } = await signIn(mock, codeFlow(mock, clock, shared));
      const fleet = Array.from({ length: 8 }, () => codeFlow(mock, clock, shared));
      clock.offset = 2 * 86_400_000;
      const tokens = await Promise.all(fleet.map((flow) => flow.session(sessionId).getToken()));
      equal(new Set(tokens.map((t) => t.accessToken)).size, 1, "one token");
      equal(mock.stats.refreshes, 1, "refresh POSTs");
      equal(mock.stats.refreshReuseRefused, 0, "refresh tokens spent twice");
    },
  },
  {
    name: "SAML2 bearer: a user's token from an assertion",
    async run() {
      const mock = createMockGenesys();
      const auth = createSaml2BearerAuth({
        clientId: mock.saml2Client.id,
        clientSecret: mock.saml2Client.secret,
        orgName: mock.orgName,
        subject: "mock.user3@example.com",
        assertion: () => createMockSamlAssertion("mock.user3@example.com"),
        loginUrl: "http://127.0.0.1:1",
        apiUrl: "http://127.0.0.1:1",
        fetch: mock.fetch,
        dangerouslyAllowBrowser: true,
      });
      const me = await createClient({ auth, fetch: mock.fetch })
        .get("api/v2/users/me")
        .json<{ email: string }>();
      equal(me.email, "mock.user3@example.com", "the assertion's user");
    },
  },
  {
    name: "credentials never follow a redirect, nor go to another origin",
    async run() {
      const { mock, auth, api } = setup();
      mock.failNext("token", { status: 302, headers: { location: "https://elsewhere.example/oauth/token" } });
      const redirected = (await rejection(auth.getToken(), "redirect")) as GenesysAuthError;
      equal(redirected.code, "invalid_token_response", "redirect refused");
      const foreign = (await rejection(
        api.get(new URL("https://elsewhere.example/api/v2/users/me")),
        "another origin",
      )) as GenesysAuthError;
      equal(foreign.code, "invalid_config", "other origin refused");
    },
  },
  {
    name: "the token never shows in JSON or String()",
    async run() {
      const { auth } = setup();
      const token = await auth.getToken();
      ok(!JSON.stringify(token).includes(token.accessToken), "JSON");
      ok(!String(token).includes(token.accessToken), "String");
      ok(!JSON.stringify(auth).includes(SECRET), "auth JSON");
    },
  },
];

/**
 * Runs `extra` (a runtime's own cases) and every case; `log` receives one line per case and a final
 * `conformance <label>: N passed, M failed` line.
 */
export async function runCases(
  label: string,
  log: (line: string) => void,
  extra: readonly Case[] = [],
): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const c of [...extra, ...cases]) {
    try {
      await c.run();
      passed++;
      log(`ok   ${c.name}`);
    } catch (error) {
      failed++;
      log(`FAIL ${c.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  log(`conformance ${label}: ${passed} passed, ${failed} failed`);
  return { passed, failed };
}
