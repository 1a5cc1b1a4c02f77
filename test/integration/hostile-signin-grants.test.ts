// Every grant that carries a user's credential — a code (with and without PKCE), a refresh token, a
// SAML2 assertion — against a real login host on 127.0.0.1 that redirects the token request, stalls
// mid-body or answers garbage for that grant (and behaves for the others). Nothing follows a redirect,
// every wait ends with the attempt's timeout, garbage is a typed error, and no credential comes back.
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { GenesysAuthError } from "../../src/index.ts";
import { createMockGenesys, createMockSamlAssertion, type MockGenesys } from "../../src/testing/index.ts";
import { allViews, rejection } from "../support/helpers.ts";
import { type HostileServer, hostileServer, stall } from "../support/hostile-server.ts";
import { authorize, clock, codeFlowOn, saml2AuthOn } from "../support/signin.ts";

const SAML2 = "urn:ietf:params:oauth:grant-type:saml2-bearer";
const FAST = { timeoutMs: 300, retry: { limit: 0 } };

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Misbehaviour = "redirect" | "stall" | "garbage";

/**
 * A login host in front of `mock`: token requests of `grant` get `misbehaviour` (a 307 to `target`,
 * a body that stops mid-way, an HTML page with 200); everything else is the mock's answer.
 */
async function loginHost(mock: MockGenesys, grant: string, misbehaviour: Misbehaviour, target: string) {
  const server = await hostileServer(async (req, res: ServerResponse) => {
    const form = new URLSearchParams(req.body);
    if (req.url === "/oauth/token" && form.get("grant_type") === grant) {
      if (misbehaviour === "redirect") {
        res.writeHead(307, { location: `${target}/oauth/token` });
        res.end();
      } else if (misbehaviour === "stall") {
        stall(res, 200, '{"access_token":"');
      } else {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html><body>Sign in to the corporate proxy</body></html>");
      }
      return;
    }
    const answer = await mock.fetch(`http://mock${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      ...(req.method === "GET" ? {} : { body: req.body }),
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(await answer.text());
  });
  servers.push(server);
  return server;
}

/** Starts the grant's credential-carrying request against `loginUrl`: its outcome, and the client secret. */
type Drive = (
  mock: MockGenesys,
  loginUrl: string,
) => Promise<{ outcome: Promise<unknown>; credentials: string[] }>;

const drives: Array<[string, string, Drive]> = [
  [
    "authorization code + PKCE",
    "authorization_code",
    async (mock, loginUrl) => {
      const { flow } = codeFlowOn(clock(), {}, { loginUrl, fetch: undefined, ...FAST }, [], mock);
      const { url, state } = await flow.authorizationUrl();
      const callback = await authorize(mock, url);
      const code = new URL(callback).searchParams.get("code") as string;
      return { outcome: flow.exchange(callback, { state }), credentials: [code, mock.codeClient.secret] };
    },
  ],
  [
    "authorization code without PKCE",
    "authorization_code",
    async (mock, loginUrl) => {
      const { flow } = codeFlowOn(
        clock(),
        {},
        { loginUrl, fetch: undefined, pkce: false, ...FAST },
        [],
        mock,
      );
      const { url, state } = await flow.authorizationUrl();
      const callback = await authorize(mock, url);
      const code = new URL(callback).searchParams.get("code") as string;
      return { outcome: flow.exchange(callback, { state }), credentials: [code, mock.codeClient.secret] };
    },
  ],
  [
    "refresh token",
    "refresh_token",
    async (mock, loginUrl) => {
      const time = clock();
      const { flow } = codeFlowOn(time, {}, { loginUrl, fetch: undefined, ...FAST }, [], mock);
      const { url, state } = await flow.authorizationUrl();
      const { sessionId } = await flow.exchange(await authorize(mock, url), { state });
      time.t += 3_600_000;
      return { outcome: flow.session(sessionId).getToken(), credentials: [mock.codeClient.secret] };
    },
  ],
  [
    "SAML2 bearer",
    SAML2,
    async (mock, loginUrl) => {
      const assertion = createMockSamlAssertion("mock.user1@example.com");
      const auth = saml2AuthOn(mock, "mock.user1@example.com", () => assertion, {
        loginUrl,
        apiUrl: loginUrl,
        fetch: undefined,
        ...FAST,
      });
      return { outcome: auth.getToken(), credentials: [assertion, mock.saml2Client.secret] };
    },
  ],
];

const expected: Record<Misbehaviour, string> = {
  redirect: "invalid_token_response",
  stall: "timeout",
  garbage: "invalid_token_response",
};

describe("a login host that misbehaves for one grant", () => {
  const cases = drives.flatMap(([name, grant, drive]) =>
    (["redirect", "stall", "garbage"] as const).map((m) => [name, m, grant, drive] as const),
  );
  it.each(cases)(
    "%s, %s: a typed error in bounded time, nothing sent on, nothing echoed",
    async (_name, misbehaviour, grant, drive) => {
      const mock = createMockGenesys({ tokenLifetimeSeconds: 3600, now: () => 1_800_000_000_000 });
      const target = await hostileServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ access_token: "stolen", token_type: "bearer", expires_in: 3600 }));
      });
      servers.push(target);
      const login = await loginHost(mock, grant, misbehaviour, target.url);
      const { outcome, credentials } = await drive(mock, login.url);
      const started = performance.now();
      const error = (await rejection(outcome)) as GenesysAuthError;
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error).toBeInstanceOf(GenesysAuthError);
      expect(error.code).toBe(expected[misbehaviour]);
      expect(target.received).toHaveLength(0);
      // Every credential the host was sent (code, verifier, refresh token, assertion) and the secret.
      const sent = login.received.flatMap((r) =>
        [...new URLSearchParams(r.body)].filter(([name]) => name !== "grant_type" && name !== "redirect_uri"),
      );
      expect(sent.length).toBeGreaterThan(0);
      const seen = allViews(error);
      for (const credential of [...sent.map(([, value]) => value), ...credentials]) {
        if (credential.length >= 6) expect(seen).not.toContain(credential);
      }
    },
  );
});
