import { describe, expect, it } from "vitest";
import { createMockGenesys } from "../../src/testing/index.ts";
import {
  api,
  authorize,
  basic,
  LOGIN,
  pkcePair,
  signInCode,
  signInPkce,
  token,
} from "../support/mock-flow.ts";

describe("mock: defaults", () => {
  it("has a PKCE client, a confidential code client and a SAML2 client out of the box", () => {
    const mock = createMockGenesys();
    expect(mock.clientId).toBe("mock-client-id");
    expect(mock.pkceClient).toMatchObject({
      id: "mock-pkce-client-id",
      redirectUri: "http://localhost:8080/callback",
    });
    expect(mock.pkceClient).not.toHaveProperty("secret");
    expect(mock.codeClient).toMatchObject({
      id: "mock-code-client-id",
      secret: "mock-code-client-secret",
      redirectUri: "http://localhost:3000/callback",
    });
    expect(mock.saml2Client).toEqual({
      id: "mock-saml2-client-id",
      secret: "mock-saml2-client-secret",
      orgName: "mockorg",
    });
    expect(mock.signedInUser).toBe(mock.users[0]);
  });

  it("takes client options and refuses two clients with one id", () => {
    const mock = createMockGenesys({
      pkceClient: { id: "spa", redirectUris: ["https://app.example.com/cb", "http://127.0.0.1:9/cb"] },
      codeClient: { id: "web", secret: "web-secret", redirectUris: ["https://web.example.com/cb"] },
      saml2Client: { id: "saml", secret: "saml-secret" },
      orgName: "acme",
    });
    expect(mock.pkceClient.redirectUris).toEqual(["https://app.example.com/cb", "http://127.0.0.1:9/cb"]);
    expect(mock.codeClient.secret).toBe("web-secret");
    expect(mock.saml2Client.orgName).toBe("acme");
    expect(() => createMockGenesys({ codeClient: { id: "mock-client-id" } })).toThrow(RangeError);
    expect(() => createMockGenesys({ pkceClient: { redirectUris: ["/relative"] } })).toThrow(RangeError);
    expect(() => createMockGenesys({ pkceClient: { redirectUris: ["https://a.example/#x"] } })).toThrow(
      RangeError,
    );
  });
});

describe("mock: GET /oauth/authorize", () => {
  it("PKCE S256 end to end with a real verifier: code + unchanged state, exchange without a secret", async () => {
    const mock = createMockGenesys();
    for (const length of [43, 128]) {
      const { verifier, challenge } = await pkcePair(length);
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]+$/);
      const state = `é &=+/?#%20 ${length}`;
      const { response, location, query } = await authorize(mock, {
        client_id: mock.pkceClient.id,
        response_type: "code",
        redirect_uri: mock.pkceClient.redirectUri,
        code_challenge: challenge,
        code_challenge_method: "S256",
        state,
      });
      expect(response.status).toBe(302);
      expect(`${location?.origin}${location?.pathname}`).toBe(mock.pkceClient.redirectUri);
      expect(query.get("state")).toBe(state);
      const code = query.get("code") ?? "";
      expect(code.length).toBeGreaterThanOrEqual(32);
      const exchanged = await token(mock, {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        client_id: mock.pkceClient.id,
        redirect_uri: mock.pkceClient.redirectUri,
      });
      expect(exchanged.status).toBe(200);
      expect(exchanged.json).toMatchObject({ token_type: "bearer", expires_in: 86399 });
      expect(exchanged.json).not.toHaveProperty("refresh_token"); // PKCE clients never get one
      expect(exchanged.response.headers.get("cache-control")).toBe("no-store");
      const me = await api(mock, "/api/v2/users/me", String(exchanged.json.access_token));
      expect(me).toEqual({ status: 200, json: mock.users[0] });
    }
    expect(mock.stats).toMatchObject({
      authorizeRequests: 2,
      codesIssued: 2,
      codeExchanges: 2,
      tokensIssued: 2,
    });
  });

  it("keeps the redirect URI's own query and omits state when none was sent", async () => {
    const mock = createMockGenesys({ codeClient: { redirectUris: ["https://web.example.com/cb?tenant=7"] } });
    const { location, query } = await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: "https://web.example.com/cb?tenant=7",
    });
    expect(location?.pathname).toBe("/cb");
    expect(query.get("tenant")).toBe("7");
    expect(query.has("code")).toBe(true);
    expect(query.has("state")).toBe(false);
  });

  it("requires S256 PKCE of public clients, sending the error back on the redirect with the state", async () => {
    const mock = createMockGenesys();
    const { challenge } = await pkcePair();
    const base = {
      client_id: mock.pkceClient.id,
      response_type: "code",
      redirect_uri: mock.pkceClient.redirectUri,
      state: "keep-me",
    };
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{}, "invalid_request", /PKCE is required/],
      [{ code_challenge: challenge }, "invalid_request", /plain is refused/],
      [{ code_challenge: challenge, code_challenge_method: "plain" }, "invalid_request", /plain is refused/],
      [{ code_challenge: challenge, code_challenge_method: "S512" }, "invalid_request", /must be S256/],
      [{ code_challenge: "short", code_challenge_method: "S256" }, "invalid_request", /43 characters/],
      [{ code_challenge_method: "S256" }, "invalid_request", /without code_challenge/],
      [
        { code_challenge: challenge, code_challenge_method: "S256", response_type: "token" },
        "unsupported_response_type",
        /code/,
      ],
    ];
    for (const [extra, error, description] of cases) {
      const { response, query } = await authorize(mock, { ...base, ...extra });
      expect(response.status).toBe(302);
      expect(query.get("error")).toBe(error);
      expect(query.get("error_description")).toMatch(description);
      expect(query.get("state")).toBe("keep-me");
      expect(query.has("code")).toBe(false);
    }
    const { query } = await authorize(mock, { ...base, response_type: "" });
    expect(query.get("error")).toBe("unsupported_response_type");
    const missing = await authorize(mock, {
      client_id: mock.pkceClient.id,
      redirect_uri: mock.pkceClient.redirectUri,
    });
    expect(missing.query.get("error")).toBe("invalid_request");
    expect(mock.stats.codesIssued).toBe(0);
  });

  it("never redirects for an unknown client or an unregistered redirect URI: an HTML error page (400)", async () => {
    const mock = createMockGenesys();
    const uri = mock.pkceClient.redirectUri;
    const { challenge } = await pkcePair();
    const pkce = { response_type: "code", code_challenge: challenge, code_challenge_method: "S256" };
    const refused: Array<Record<string, string>> = [
      { ...pkce, redirect_uri: uri },
      { ...pkce, client_id: "nope", redirect_uri: uri },
      { ...pkce, client_id: "__proto__", redirect_uri: uri },
      { ...pkce, client_id: "constructor", redirect_uri: uri },
      { ...pkce, client_id: mock.pkceClient.id },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: `${uri}/` },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: `${uri}/more` },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: `${uri}?x=1` },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: uri.replace("8080", "8081") },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: uri.replace("http:", "https:") },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: uri.toUpperCase() },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: "https://evil.example/callback" },
      { ...pkce, client_id: mock.pkceClient.id, redirect_uri: mock.codeClient.redirectUri },
      { ...pkce, client_id: mock.clientId, redirect_uri: uri }, // client credentials client: no redirect URIs
      {
        response_type: "<script>",
        client_id: "<script>alert(1)</script>",
        redirect_uri: "javascript:alert(1)",
      },
    ];
    for (const params of refused) {
      const { response } = await authorize(mock, params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await response.text();
      expect(html).toMatch(/<h1>Sign-in error<\/h1>/);
      expect(html).not.toContain("<script");
    }
    expect(mock.stats.codesIssued).toBe(0);
  });

  it("answers unauthorized_client when the client does not have the code grant", async () => {
    const mock = createMockGenesys({ codeClient: { grantTypes: ["refresh_token"] } });
    const { query } = await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
    });
    expect(query.get("error")).toBe("unauthorized_client");
  });

  it("scripted consent refusal: access_denied once (failNext 'authorize'), then approval again", async () => {
    const mock = createMockGenesys();
    mock.failNext("authorize", { error: "access_denied" });
    mock.failNext("authorize", { error: "access_denied", description: "Org policy says no" });
    expect(mock.pendingFaults("authorize")).toBe(2);
    const params = {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
      state: "st",
    };
    const first = await authorize(mock, params);
    expect(first.response.status).toBe(302);
    expect(Object.fromEntries(first.query)).toEqual({
      error: "access_denied",
      error_description: "The user denied the authorization request",
      state: "st",
    });
    expect((await authorize(mock, params)).query.get("error_description")).toBe("Org policy says no");
    const third = await authorize(mock, params);
    expect(third.query.has("code")).toBe(true);
    expect(mock.pendingFaults("authorize")).toBe(0);
  });

  it("a refusal is only sent back once client and redirect URI are valid; status faults answer a page", async () => {
    const mock = createMockGenesys();
    mock.failNext("authorize", { error: "access_denied" });
    const bad = await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: "https://x.example/",
    });
    expect(bad.response.status).toBe(400);
    mock.reset();
    mock.failNext("authorize", { status: 503 });
    const down = await authorize(mock, { client_id: mock.codeClient.id });
    expect(down.response.status).toBe(503);
    expect(down.response.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("records the last request's parameters: org, provider, target, login_hint, prompt", async () => {
    const mock = createMockGenesys();
    expect(mock.lastAuthorize).toBeUndefined();
    await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
      org: "mockorg",
      provider: "Okta",
      target: "a0b1c2d3-0000-4000-8000-000000000001",
      login_hint: "mock.user2@example.com",
      prompt: "login",
      scope: "users:readonly",
      extra: "kept",
    });
    expect(mock.lastAuthorize).toMatchObject({
      clientId: mock.codeClient.id,
      responseType: "code",
      redirectUri: mock.codeClient.redirectUri,
      org: "mockorg",
      provider: "Okta",
      target: "a0b1c2d3-0000-4000-8000-000000000001",
      loginHint: "mock.user2@example.com",
      prompt: "login",
      scope: "users:readonly",
      state: undefined,
      codeChallenge: undefined,
    });
    expect(mock.lastAuthorize?.params.extra).toBe("kept");
    expect(mock.lastAuthorize?.url).toContain(`${LOGIN}/oauth/authorize?`);
  });

  it("signs in as the configured user (option, signInAs by id, email or object) until reset", async () => {
    const mock = createMockGenesys({ signInAs: "mock.user5@example.com" });
    const me = async () => {
      const { json } = await signInCode(mock);
      return (await api(mock, "/api/v2/users/me", String(json.access_token))).json?.id;
    };
    expect(await me()).toBe(mock.users[4]?.id);
    mock.signInAs(mock.users[9]?.id ?? "");
    expect(await me()).toBe(mock.users[9]?.id);
    mock.signInAs("MOCK.USER3@EXAMPLE.COM");
    expect(await me()).toBe(mock.users[2]?.id);
    const outsider = { ...(mock.users[0] as (typeof mock.users)[0]), id: "outsider", name: "Outside User" };
    mock.signInAs(outsider);
    expect(await me()).toBe("outsider");
    expect(() => mock.signInAs("nobody@example.com")).toThrow(RangeError);
    mock.reset();
    expect(mock.signedInUser).toBe(mock.users[4]);
    expect(() => createMockGenesys({ signInAs: "nobody@example.com" })).toThrow(RangeError);
  });

  it("with an empty directory, authorize refuses with access_denied", async () => {
    const mock = createMockGenesys({ users: [] });
    expect(mock.signedInUser).toBeUndefined();
    const { query } = await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
    });
    expect(query.get("error")).toBe("access_denied");
  });

  it("loginPage html: a login page that continues by script (meta refresh without script); COOP on request", async () => {
    const plain = createMockGenesys();
    const params = (mock: typeof plain) => ({
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
      state: `"><script>alert(1)</script>`,
    });
    const bare = await authorize(plain, params(plain));
    expect(bare.response.status).toBe(302);
    expect(bare.response.headers.get("cross-origin-opener-policy")).toBeNull();

    const coop = createMockGenesys({ loginPage: { crossOriginOpenerPolicy: true } });
    const redirect = await authorize(coop, params(coop));
    expect(redirect.response.status).toBe(302);
    expect(redirect.response.headers.get("cross-origin-opener-policy")).toBe("same-origin");

    const page = createMockGenesys({
      loginPage: { mode: "html", crossOriginOpenerPolicy: true, continueAfterMs: 1500 },
    });
    const { response, location } = await authorize(page, params(page));
    expect(response.status).toBe(200);
    expect(location).toBeUndefined();
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    const html = await response.text();
    expect(html).toContain("Mock User 1");
    expect(html).toContain("setTimeout(function () { location.replace(");
    expect(html).toContain(", 1500);");
    expect(html).toMatch(
      /<noscript><meta http-equiv="refresh" content="2;url=http:\/\/localhost:3000\/callback\?code=/,
    );
    expect(html.match(/<script/g)).toHaveLength(1); // the state cannot inject markup
    const href = /id="continue" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const target = new URL(href);
    expect(target.searchParams.get("state")).toBe(`"><script>alert(1)</script>`);
    expect(page.stats.codesIssued).toBe(1);
  });

  it("answers other methods with 405 and no code", async () => {
    const mock = createMockGenesys();
    const response = await mock.fetch(
      `${LOGIN}/oauth/authorize?client_id=${mock.codeClient.id}&response_type=code&redirect_uri=${encodeURIComponent(mock.codeClient.redirectUri)}`,
      { method: "POST" },
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(mock.stats.codesIssued).toBe(0);
  });

  it("addRedirectUri registers one more exact URI (kept by reset), for code clients only", async () => {
    const mock = createMockGenesys();
    mock.addRedirectUri(mock.pkceClient.id, "http://127.0.0.1:43999/cb");
    mock.reset();
    expect(mock.pkceClient.redirectUris).toContain("http://127.0.0.1:43999/cb");
    const { challenge } = await pkcePair();
    const { query } = await authorize(mock, {
      client_id: mock.pkceClient.id,
      response_type: "code",
      redirect_uri: "http://127.0.0.1:43999/cb",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(query.has("code")).toBe(true);
    expect(() => mock.addRedirectUri(mock.clientId, "http://127.0.0.1/cb")).toThrow(RangeError);
    expect(() => mock.addRedirectUri("__proto__", "http://127.0.0.1/cb")).toThrow(RangeError);
    expect(() => mock.addRedirectUri(mock.codeClient.id, "not a url")).toThrow(RangeError);
  });
});

describe("mock: the authorization_code grant", () => {
  it("codes are single-use: reuse is invalid_grant and revokes the tokens issued from the code", async () => {
    const mock = createMockGenesys();
    const first = await signInCode(mock);
    expect(first.status).toBe(200);
    const access = String(first.json.access_token);
    const refreshToken = String(first.json.refresh_token);
    expect((await api(mock, "/api/v2/users/me", access)).status).toBe(200);
    const again = await token(
      mock,
      { grant_type: "authorization_code", code: first.code, redirect_uri: mock.codeClient.redirectUri },
      basic(mock.codeClient.id, mock.codeClient.secret),
    );
    expect(again.status).toBe(400);
    expect(again.json).toEqual({
      error: "invalid_grant",
      description: "the authorization code has already been used",
      error_description: "the authorization code has already been used",
    });
    expect((await api(mock, "/api/v2/users/me", access)).json?.code).toBe("bad.credentials");
    const refreshed = await token(
      mock,
      { grant_type: "refresh_token", refresh_token: refreshToken },
      basic(mock.codeClient.id, mock.codeClient.secret),
    );
    expect(refreshed.json.error_description).toBe("the refresh token has been revoked");
    expect(mock.stats).toMatchObject({ codeExchanges: 1, codeReuseRefused: 1 });
  });

  it("revokeTokensOnCodeReuse: false keeps the first exchange's tokens", async () => {
    const mock = createMockGenesys({ revokeTokensOnCodeReuse: false });
    const first = await signInPkce(mock);
    const again = await token(mock, {
      grant_type: "authorization_code",
      code: first.code,
      code_verifier: first.verifier,
      client_id: mock.pkceClient.id,
      redirect_uri: mock.pkceClient.redirectUri,
    });
    expect(again.json.error).toBe("invalid_grant");
    expect((await api(mock, "/api/v2/users/me", String(first.json.access_token))).status).toBe(200);
  });

  it("codes live 60 s on the mock's clock", async () => {
    let now = 1_700_000_000_000;
    const mock = createMockGenesys({ now: () => now });
    const exchangeAfter = async (ms: number) => {
      const { query } = await authorize(mock, {
        client_id: mock.codeClient.id,
        response_type: "code",
        redirect_uri: mock.codeClient.redirectUri,
      });
      now += ms;
      return token(
        mock,
        {
          grant_type: "authorization_code",
          code: query.get("code") ?? "",
          redirect_uri: mock.codeClient.redirectUri,
        },
        basic(mock.codeClient.id, mock.codeClient.secret),
      );
    };
    expect((await exchangeAfter(59_999)).status).toBe(200);
    const late = await exchangeAfter(60_000);
    expect(late.status).toBe(400);
    expect(late.json.error).toBe("invalid_grant");
    expect(late.json.error_description).toBe("the authorization code has expired");
    const custom = createMockGenesys({ now: () => now, codeLifetimeSeconds: 5 });
    const { query } = await authorize(custom, {
      client_id: custom.codeClient.id,
      response_type: "code",
      redirect_uri: custom.codeClient.redirectUri,
    });
    now += 5_000;
    const expired = await token(
      custom,
      {
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
        redirect_uri: custom.codeClient.redirectUri,
      },
      basic(custom.codeClient.id, custom.codeClient.secret),
    );
    expect(expired.json.error_description).toBe("the authorization code has expired");
  });

  it("a wrong or missing redirect_uri is invalid_grant", async () => {
    const mock = createMockGenesys({
      codeClient: { redirectUris: ["http://localhost:3000/callback", "http://localhost:3000/other"] },
    });
    const auth = basic(mock.codeClient.id, mock.codeClient.secret);
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /redirect_uri is required/],
      ["http://localhost:3000/other", /does not match/],
      ["http://localhost:3000/callback/", /does not match/],
    ];
    for (const [redirectUri, description] of cases) {
      const { query } = await authorize(mock, {
        client_id: mock.codeClient.id,
        response_type: "code",
        redirect_uri: mock.codeClient.redirectUri,
      });
      const form: Record<string, string> = {
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
      };
      if (redirectUri !== undefined) form.redirect_uri = redirectUri;
      const answer = await token(mock, form, auth);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe("invalid_grant");
      expect(answer.json.error_description).toMatch(description);
    }
    expect(mock.stats.codeExchanges).toBe(0);
  });

  it("checks the verifier: wrong, missing, malformed → invalid_grant, and the code is spent by the attempt", async () => {
    const mock = createMockGenesys();
    const exchange = async (verifier: string | undefined) => {
      const { verifier: right, challenge } = await pkcePair();
      const { query } = await authorize(mock, {
        client_id: mock.pkceClient.id,
        response_type: "code",
        redirect_uri: mock.pkceClient.redirectUri,
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      const form: Record<string, string> = {
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
        client_id: mock.pkceClient.id,
        redirect_uri: mock.pkceClient.redirectUri,
      };
      if (verifier !== undefined) form.code_verifier = verifier;
      const first = await token(mock, form);
      const retry = await token(mock, { ...form, code_verifier: right });
      return { first, retry };
    };
    const other = (await pkcePair()).verifier;
    for (const [verifier, description] of [
      [other, /does not match/],
      [undefined, /code_verifier is required/],
      ["short", /43-128 characters/],
      [`${other.slice(0, 120)}!!!!!!!!`, /43-128 characters/],
      ["a".repeat(129), /43-128 characters/],
    ] as const) {
      const { first, retry } = await exchange(verifier);
      expect(first.status).toBe(400);
      expect(first.json.error).toBe("invalid_grant");
      expect(first.json.error_description).toMatch(description);
      expect(retry.json.error_description).toBe("the authorization code has already been used");
    }
  });

  it("client authentication: public clients send client_id without Basic, confidential ones use Basic", async () => {
    const mock = createMockGenesys();
    const { verifier, challenge } = await pkcePair();
    const newCode = async (clientId: string, redirectUri: string, withPkce: boolean) =>
      (
        await authorize(mock, {
          client_id: clientId,
          response_type: "code",
          redirect_uri: redirectUri,
          ...(withPkce ? { code_challenge: challenge, code_challenge_method: "S256" } : {}),
        })
      ).query.get("code") ?? "";
    const pkce = {
      client_id: mock.pkceClient.id,
      redirect_uri: mock.pkceClient.redirectUri,
      code_verifier: verifier,
    };
    const grant = "authorization_code";

    const withBasic = await token(
      mock,
      { grant_type: grant, code: await newCode(pkce.client_id, pkce.redirect_uri, true), ...pkce },
      basic(mock.pkceClient.id, "anything"),
    );
    expect([withBasic.status, withBasic.json.error]).toEqual([401, "invalid_client"]);
    const noClientId = await token(mock, {
      grant_type: grant,
      code: await newCode(pkce.client_id, pkce.redirect_uri, true),
      code_verifier: verifier,
      redirect_uri: pkce.redirect_uri,
    });
    expect([noClientId.status, noClientId.json.error]).toEqual([401, "invalid_client"]);

    const web = { redirect_uri: mock.codeClient.redirectUri };
    const noBasic = await token(mock, {
      grant_type: grant,
      code: await newCode(mock.codeClient.id, web.redirect_uri, false),
      client_id: mock.codeClient.id,
      client_secret: mock.codeClient.secret,
      ...web,
    });
    expect([noBasic.status, noBasic.json.error_description]).toEqual([401, "client authentication required"]);
    const wrongSecret = await token(
      mock,
      { grant_type: grant, code: await newCode(mock.codeClient.id, web.redirect_uri, false), ...web },
      basic(mock.codeClient.id, "wrong"),
    );
    expect([wrongSecret.status, wrongSecret.json.error_description]).toEqual([401, "authentication failed"]);
    const unknown = await token(mock, { grant_type: grant, code: "x", ...web }, basic("ghost", "x"));
    expect([unknown.status, unknown.json.error_description]).toEqual([400, "client not found"]);

    // A code is bound to its client.
    const stolen = await token(
      mock,
      { grant_type: grant, code: await newCode(pkce.client_id, pkce.redirect_uri, true), ...web },
      basic(mock.codeClient.id, mock.codeClient.secret),
    );
    expect(stolen.json).toMatchObject({ error: "invalid_grant", error_description: /another client/ });
    const bogus = await token(mock, { grant_type: grant, code: "made-up", ...pkce });
    expect(bogus.json).toMatchObject({
      error: "invalid_grant",
      error_description: "invalid authorization code",
    });
    const noCode = await token(mock, { grant_type: grant, ...pkce });
    expect(noCode.json).toMatchObject({ error: "invalid_request", error_description: "code is required" });
    // The client-credentials client has no code grant.
    const cc = await token(mock, { grant_type: grant, code: "x" }, basic(mock.clientId, mock.clientSecret));
    expect(cc.json.error).toBe("unauthorized_client");
  });

  it("confidential clients: PKCE optional, checked when a challenge was sent (S256 or plain)", async () => {
    const mock = createMockGenesys();
    const auth = basic(mock.codeClient.id, mock.codeClient.secret);
    const { verifier, challenge } = await pkcePair(64);
    const run = async (extra: Record<string, string>, exchange: Record<string, string>) => {
      const { query } = await authorize(mock, {
        client_id: mock.codeClient.id,
        response_type: "code",
        redirect_uri: mock.codeClient.redirectUri,
        ...extra,
      });
      return token(
        mock,
        {
          grant_type: "authorization_code",
          code: query.get("code") ?? "",
          redirect_uri: mock.codeClient.redirectUri,
          ...exchange,
        },
        auth,
      );
    };
    const s256 = { code_challenge: challenge, code_challenge_method: "S256" };
    expect((await run(s256, { code_verifier: verifier })).status).toBe(200);
    expect((await run(s256, {})).json.error_description).toMatch(/code_verifier is required/);
    expect((await run(s256, { code_verifier: (await pkcePair(64)).verifier })).json.error).toBe(
      "invalid_grant",
    );
    const plain = { code_challenge: verifier, code_challenge_method: "plain" };
    expect((await run(plain, { code_verifier: verifier })).status).toBe(200);
    expect((await run({}, { code_verifier: verifier })).json.error_description).toMatch(/no code_challenge/);
    const ok = await run({}, {});
    expect(ok.status).toBe(200);
    expect(typeof ok.json.refresh_token).toBe("string");
  });

  it("carries the authorize scope into the token; allowedScopes refuses others on the redirect", async () => {
    const mock = createMockGenesys({ allowedScopes: ["users:readonly", "organization:readonly"] });
    const { json } = await signInPkce(mock, { scope: "users:readonly" });
    expect(json.scope).toBe("users:readonly");
    const info = await api(mock, "/api/v2/tokens/me", String(json.access_token));
    expect(info.json?.authorizedScope).toEqual(["users:readonly"]);
    const { challenge } = await pkcePair();
    const { query } = await authorize(mock, {
      client_id: mock.pkceClient.id,
      response_type: "code",
      redirect_uri: mock.pkceClient.redirectUri,
      code_challenge: challenge,
      code_challenge_method: "S256",
      scope: "users:readonly admin",
      state: "x",
    });
    expect(query.get("error")).toBe("invalid_scope");
    expect(query.get("state")).toBe("x");
  });

  it("per-client token lifetimes", async () => {
    const mock = createMockGenesys({ tokenLifetimeSeconds: 3600, pkceClient: { tokenLifetimeSeconds: 300 } });
    expect((await signInPkce(mock)).json.expires_in).toBe(300);
    expect((await signInCode(mock)).json.expires_in).toBe(3600);
  });
});
