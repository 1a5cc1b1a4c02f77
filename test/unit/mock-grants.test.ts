import { describe, expect, it } from "vitest";
import { createMockGenesys, createMockSamlAssertion } from "../../src/testing/index.ts";
import {
  api,
  authorize,
  basic,
  LOGIN,
  refresh,
  signInCode,
  signInPkce,
  token,
} from "../support/mock-flow.ts";

const SAML2 = "urn:ietf:params:oauth:grant-type:saml2-bearer";

describe("mock: the refresh_token grant", () => {
  it("rotates: every refresh answers a new refresh token, the used one is refused afterwards", async () => {
    const mock = createMockGenesys();
    const signedIn = await signInCode(mock);
    let current = String(signedIn.json.refresh_token);
    const seen = new Set([current]);
    for (let i = 0; i < 3; i++) {
      const next = await refresh(mock, current);
      expect(next.status).toBe(200);
      expect(next.json).toMatchObject({ token_type: "bearer", expires_in: 86399 });
      const rotated = String(next.json.refresh_token);
      expect(seen.has(rotated)).toBe(false);
      seen.add(rotated);
      const me = await api(mock, "/api/v2/users/me", String(next.json.access_token));
      expect(me.json?.id).toBe(mock.users[0]?.id);
      const reused = await refresh(mock, current);
      expect(reused.status).toBe(400);
      expect(reused.json).toEqual({
        error: "invalid_grant",
        description: "the refresh token has already been used",
        error_description: "the refresh token has already been used",
      });
      current = rotated;
    }
    expect(mock.stats).toMatchObject({
      refreshes: 3,
      refreshReuseRefused: 3,
      codeExchanges: 1,
      tokensIssued: 4,
    });
    // By default a reuse refuses only that request: the current token still works.
    expect((await refresh(mock, current)).status).toBe(200);
  });

  it("revokeTokensOnRefreshReuse: a reuse revokes the whole sign-in", async () => {
    const mock = createMockGenesys({ revokeTokensOnRefreshReuse: true });
    const first = String((await signInCode(mock)).json.refresh_token);
    const second = await refresh(mock, first);
    await refresh(mock, first);
    expect((await refresh(mock, String(second.json.refresh_token))).json.error_description).toBe(
      "the refresh token has been revoked",
    );
    expect((await api(mock, "/api/v2/users/me", String(second.json.access_token))).status).toBe(401);
  });

  it("requires Basic auth from the confidential code client that owns the token", async () => {
    const mock = createMockGenesys({ codeClient: { secret: "code-secret" } });
    const rt = String((await signInCode(mock)).json.refresh_token);
    const form = { grant_type: "refresh_token", refresh_token: rt };
    const inBody = await token(mock, {
      ...form,
      client_id: mock.codeClient.id,
      client_secret: "code-secret",
    });
    expect([inBody.status, inBody.json.error]).toEqual([401, "invalid_client"]);
    const publicClient = await token(mock, { ...form, client_id: mock.pkceClient.id });
    expect([publicClient.status, publicClient.json.error]).toEqual([401, "invalid_client"]);
    const wrong = await token(mock, form, basic(mock.codeClient.id, "nope"));
    expect([wrong.status, wrong.json.error_description]).toEqual([401, "authentication failed"]);
    const otherClient = await token(mock, form, basic(mock.saml2Client.id, mock.saml2Client.secret));
    expect(otherClient.json.error).toBe("unauthorized_client");
    const ccClient = createMockGenesys({ grantTypes: ["client_credentials", "refresh_token"] });
    const ccRt = String((await signInCode(ccClient)).json.refresh_token);
    const foreign = await token(
      ccClient,
      { ...form, refresh_token: ccRt },
      basic(ccClient.clientId, ccClient.clientSecret),
    );
    expect(foreign.json.error_description).toBe("invalid refresh token");
    const missing = await token(
      mock,
      { grant_type: "refresh_token" },
      basic(mock.codeClient.id, "code-secret"),
    );
    expect(missing.json).toMatchObject({
      error: "invalid_request",
      error_description: "refresh_token is required",
    });
    expect((await refresh(mock, rt)).status).toBe(200); // none of the above spent it
  });

  it("refreshTokens 'reuse': answers carry no refresh_token and the one held stays valid", async () => {
    const mock = createMockGenesys({ refreshTokens: "reuse" });
    const rt = String((await signInCode(mock)).json.refresh_token);
    for (let i = 0; i < 3; i++) {
      const next = await refresh(mock, rt);
      expect(next.status).toBe(200);
      expect(next.json).not.toHaveProperty("refresh_token");
    }
    expect(mock.stats.refreshReuseRefused).toBe(0);
  });

  it("refreshTokens 'none' (inactivity timeout on) and clients without the grant issue no refresh token", async () => {
    const none = createMockGenesys({ refreshTokens: "none" });
    expect((await signInCode(none)).json).not.toHaveProperty("refresh_token");
    const noGrant = createMockGenesys({ codeClient: { grantTypes: ["authorization_code"] } });
    expect((await signInCode(noGrant)).json).not.toHaveProperty("refresh_token");
    expect((await refresh(noGrant, "anything")).json.error).toBe("unauthorized_client");
    // A PKCE client never gets one, even with the grant listed.
    const pkce = createMockGenesys({ pkceClient: { grantTypes: ["authorization_code", "refresh_token"] } });
    expect((await signInPkce(pkce)).json).not.toHaveProperty("refresh_token");
  });

  it("controls: revoke or expire a user's refresh tokens; lifetime on the mock's clock; revokeAllTokens", async () => {
    let now = 1_700_000_000_000;
    const mock = createMockGenesys({ now: () => now, refreshTokenLifetimeSeconds: 3600 });
    const forUser = async (index: number) => {
      mock.signInAs(mock.users[index]?.email ?? "");
      return String((await signInCode(mock)).json.refresh_token);
    };
    const a = await forUser(0);
    const b = await forUser(1);
    mock.revokeRefreshTokens(mock.users[0]?.email);
    expect((await refresh(mock, a)).json.error_description).toBe("the refresh token has been revoked");
    const b2 = String((await refresh(mock, b)).json.refresh_token);
    mock.expireRefreshTokens(mock.users[1]);
    expect((await refresh(mock, b2)).json.error_description).toBe("the refresh token has expired");
    const c = await forUser(2);
    now += 3_599_999;
    const c2 = String((await refresh(mock, c)).json.refresh_token);
    now += 3_600_000;
    expect((await refresh(mock, c2)).json.error_description).toBe("the refresh token has expired");
    const d = await forUser(3);
    const e = await forUser(4);
    mock.expireRefreshTokens();
    expect((await refresh(mock, d)).json.error).toBe("invalid_grant");
    expect((await refresh(mock, e)).json.error).toBe("invalid_grant");
    const f = await signInCode(mock);
    mock.revokeAllTokens();
    expect((await refresh(mock, String(f.json.refresh_token))).json.error_description).toBe(
      "the refresh token has been revoked",
    );
    expect((await api(mock, "/api/v2/users/me", String(f.json.access_token))).status).toBe(401);
    expect(() => mock.revokeRefreshTokens("nobody@example.com")).toThrow(RangeError);
  });
});

describe("mock: the SAML2 bearer grant", () => {
  const form = (mock: ReturnType<typeof createMockGenesys>, assertion: string, orgName = mock.orgName) => ({
    grant_type: SAML2,
    orgName,
    assertion,
  });

  it("answers a user token for an assertion whose NameID is a user's email", async () => {
    const mock = createMockGenesys();
    const user = mock.users[6];
    const answer = await token(
      mock,
      form(mock, createMockSamlAssertion(user?.email ?? "")),
      basic(mock.saml2Client.id, mock.saml2Client.secret),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ token_type: "bearer", expires_in: 86399 });
    expect(answer.json).not.toHaveProperty("refresh_token");
    const me = await api(mock, "/api/v2/users/me", String(answer.json.access_token));
    expect(me.json).toEqual(user);
    const info = await api(mock, "/api/v2/tokens/me", String(answer.json.access_token));
    expect(info.json?.OAuthClient).toMatchObject({ id: mock.saml2Client.id });
    expect(mock.stats).toMatchObject({ saml2Grants: 1, tokensIssued: 1 });
  });

  it("accepts standard base64 with padding and line breaks, an XML prolog and another prefix", async () => {
    const mock = createMockGenesys({ orgName: "acme" });
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" Version="2.0"><Subject>
<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"> Mock.User2@Example.com </NameID></Subject></Assertion>`;
    const b64 = btoa(xml).replace(/(.{76})/g, "$1\r\n");
    const answer = await token(mock, form(mock, b64), basic(mock.saml2Client.id, mock.saml2Client.secret));
    expect(answer.status).toBe(200);
    const me = await api(mock, "/api/v2/users/me", String(answer.json.access_token));
    expect(me.json?.id).toBe(mock.users[1]?.id);
  });

  it("refuses anything else with invalid_grant (or invalid_request for a missing parameter)", async () => {
    let now = Date.UTC(2026, 0, 1);
    const mock = createMockGenesys({ now: () => now });
    const auth = basic(mock.saml2Client.id, mock.saml2Client.secret);
    const email = mock.users[0]?.email ?? "";
    const b64 = (text: string) => btoa(text);
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [form(mock, createMockSamlAssertion(email), "otherorg"), "invalid_grant", /orgName/],
      [form(mock, createMockSamlAssertion(email), "MOCKORG"), "invalid_grant", /orgName/],
      [
        { grant_type: SAML2, assertion: createMockSamlAssertion(email) },
        "invalid_request",
        /orgName is required/,
      ],
      [{ grant_type: SAML2, orgName: mock.orgName }, "invalid_request", /assertion is required/],
      [form(mock, "not base64 at all!"), "invalid_grant", /not base64/],
      [form(mock, b64("\xff\xfe")), "invalid_grant", /not base64-encoded UTF-8/],
      [form(mock, b64(`{"email":"${email}"}`)), "invalid_grant", /not a SAML 2.0 Assertion/],
      [form(mock, b64(`<Response><NameID>${email}</NameID></Response>`)), "invalid_grant", /not a SAML/],
      [form(mock, b64("<saml:Assertion></saml:Assertion>")), "invalid_grant", /no NameID/],
      [form(mock, createMockSamlAssertion("stranger@example.com")), "invalid_grant", /no active user/],
      [form(mock, createMockSamlAssertion(email, { notOnOrAfter: now })), "invalid_grant", /expired/],
      [
        form(mock, createMockSamlAssertion(email, { notBefore: now + 1000 })),
        "invalid_grant",
        /not yet valid/,
      ],
      [
        form(mock, b64(`<Assertion><Conditions NotOnOrAfter="soon"/><NameID>${email}</NameID></Assertion>`)),
        "invalid_grant",
        /malformed/,
      ],
    ];
    for (const [body, error, description] of cases) {
      const answer = await token(mock, body, auth);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.error).toBe(error);
      expect(answer.json.error_description).toMatch(description);
    }
    const valid = createMockSamlAssertion(email, { notBefore: now - 1000, notOnOrAfter: now + 60_000 });
    expect((await token(mock, form(mock, valid), auth)).status).toBe(200);
    now += 60_000;
    expect((await token(mock, form(mock, valid), auth)).json.error_description).toMatch(/expired/);
    const inBody = await token(mock, {
      ...form(mock, valid),
      client_id: mock.saml2Client.id,
      client_secret: mock.saml2Client.secret,
    });
    expect([inBody.status, inBody.json.error]).toEqual([401, "invalid_client"]);
    const codeClient = await token(
      mock,
      form(mock, valid),
      basic(mock.codeClient.id, mock.codeClient.secret),
    );
    expect(codeClient.json.error).toBe("unauthorized_client");
    const inactive = createMockGenesys({
      users: [{ ...(mock.users[0] as (typeof mock.users)[0]), state: "inactive" }],
    });
    const refused = await token(
      inactive,
      form(inactive, createMockSamlAssertion(email)),
      basic(inactive.saml2Client.id, inactive.saml2Client.secret),
    );
    expect(refused.json.error_description).toMatch(/no active user/);
    expect(mock.stats.saml2Grants).toBe(1);
  });
});

describe("mock: the API for user tokens", () => {
  it("users/me answers the user for user tokens and 400 not.a.user for client credentials", async () => {
    const mock = createMockGenesys();
    const cc = await token(
      mock,
      { grant_type: "client_credentials" },
      basic(mock.clientId, mock.clientSecret),
    );
    const me = await api(mock, "/api/v2/users/me", String(cc.json.access_token));
    expect(me.status).toBe(400);
    expect(me.json?.code).toBe("not.a.user");
    const user = await signInPkce(mock);
    expect((await api(mock, "/api/v2/users/me", String(user.json.access_token))).json).toEqual(mock.users[0]);
  });

  it("tokens/me describes a user token; DELETE tokens/me revokes it (401 bad.credentials after)", async () => {
    const mock = createMockGenesys();
    const { json } = await signInPkce(mock);
    const access = String(json.access_token);
    const info = await api(mock, "/api/v2/tokens/me?preserveIdleTTL=true", access);
    expect(info.json).toMatchObject({
      OAuthClient: { id: mock.pkceClient.id, name: "Mock PKCE code client" },
      organization: { id: "f2a1b3c4-0000-4000-8000-00000000a001", name: "Mock Org" },
      homeOrganization: { id: "f2a1b3c4-0000-4000-8000-00000000a001" },
      authorizedScope: ["users:readonly", "organization:readonly"],
    });
    expect((await api(mock, "/api/v2/tokens/me", access, "HEAD")).status).toBe(200);
    expect((await api(mock, "/api/v2/tokens/me", access, "DELETE")).status).toBe(204);
    const after = await api(mock, "/api/v2/users/me", access);
    expect(after.status).toBe(401);
    expect(after.json?.code).toBe("bad.credentials");
    expect((await api(mock, "/api/v2/tokens/me", access, "HEAD")).status).toBe(401);
  });

  it("describes the code clients at /api/v2/oauth/clients/{id}", async () => {
    const mock = createMockGenesys();
    const cc = await token(
      mock,
      { grant_type: "client_credentials" },
      basic(mock.clientId, mock.clientSecret),
    );
    const access = String(cc.json.access_token);
    const code = await api(mock, `/api/v2/oauth/clients/${mock.codeClient.id}`, access);
    expect(code.json).toMatchObject({
      authorizedGrantType: "CODE",
      registeredRedirectUri: [mock.codeClient.redirectUri],
    });
    const own = await api(mock, `/api/v2/oauth/clients/${mock.clientId}`, access);
    expect(own.json).toMatchObject({
      authorizedGrantType: "CLIENT-CREDENTIALS",
      roleDivisions: [{ divisionId: "*" }],
    });
    expect((await api(mock, "/api/v2/oauth/clients/%E0%A4%A", access)).status).toBe(404);
  });
});

describe("mock: GET /logout", () => {
  it("ends the login session, revokes the user's refresh tokens and redirects to the registered URI", async () => {
    const mock = createMockGenesys();
    const signedIn = await signInCode(mock);
    expect(mock.loginSession?.user).toBe(mock.users[0]);
    const url = `${LOGIN}/logout?client_id=${mock.codeClient.id}&redirect_uri=${encodeURIComponent(mock.codeClient.redirectUri)}`;
    const response = await mock.fetch(url, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(mock.codeClient.redirectUri);
    expect(mock.loginSession).toBeUndefined();
    expect(mock.stats.logouts).toBe(1);
    expect((await refresh(mock, String(signedIn.json.refresh_token))).json.error_description).toBe(
      "the refresh token has been revoked",
    );
    // The access token itself lives on until it expires or is revoked.
    expect((await api(mock, "/api/v2/users/me", String(signedIn.json.access_token))).status).toBe(200);
  });

  it("never redirects to an unregistered URI; without redirect_uri it shows a signed-out page", async () => {
    const mock = createMockGenesys();
    const get = (query: string) => mock.fetch(`${LOGIN}/logout${query}`, { redirect: "manual" });
    for (const query of [
      `?client_id=${mock.codeClient.id}&redirect_uri=${encodeURIComponent("https://evil.example/")}`,
      `?client_id=nope&redirect_uri=${encodeURIComponent(mock.codeClient.redirectUri)}`,
      `?redirect_uri=${encodeURIComponent(mock.codeClient.redirectUri)}`,
    ]) {
      const response = await get(query);
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
    }
    const page = await get(`?client_id=${mock.codeClient.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("signed out");
    expect((await mock.fetch(`${LOGIN}/logout`, { method: "POST" })).status).toBe(405);
  });
});

describe("mock: faults, stats and reset for sign-in", () => {
  it("a fault with a grant filter strikes only that grant and waits for it", async () => {
    const mock = createMockGenesys();
    mock.failNext("token", { status: 503, grant: "refresh_token" });
    const signedIn = await signInCode(mock);
    expect(signedIn.status).toBe(200);
    const cc = await token(
      mock,
      { grant_type: "client_credentials" },
      basic(mock.clientId, mock.clientSecret),
    );
    expect(cc.status).toBe(200);
    expect(mock.pendingFaults("token")).toBe(1);
    const failed = await refresh(mock, String(signedIn.json.refresh_token));
    expect(failed.status).toBe(503);
    expect(failed.json.code).toBe("service.unavailable");
    // The fault answered before any work: the refresh token is still good.
    expect((await refresh(mock, String(signedIn.json.refresh_token))).status).toBe(200);
    mock.failNext("token", {
      error: "invalid_grant",
      description: "scripted",
      grant: "refresh_token",
    });
    const scripted = await refresh(mock, "whatever");
    expect(scripted.status).toBe(400);
    expect(scripted.json).toMatchObject({ error: "invalid_grant", error_description: "scripted" });
  });

  it("a fault without a grant strikes any grant; the code survives it", async () => {
    const mock = createMockGenesys();
    const { query } = await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
    });
    mock.failNext("token", { status: 429, retryAfter: 2 });
    const form = {
      grant_type: "authorization_code",
      code: query.get("code") ?? "",
      redirect_uri: mock.codeClient.redirectUri,
    };
    const auth = basic(mock.codeClient.id, mock.codeClient.secret);
    const limited = await token(mock, form, auth);
    expect(limited.status).toBe(429);
    expect(limited.response.headers.get("retry-after")).toBe("2");
    expect((await token(mock, form, auth)).status).toBe(200);
  });

  it("afterProcessing: the refresh happens, then the answer is lost (the refresh token is spent)", async () => {
    const mock = createMockGenesys();
    const rt = String((await signInCode(mock)).json.refresh_token);
    mock.failNext("token", { networkError: true, afterProcessing: true, grant: "refresh_token" });
    await expect(refresh(mock, rt)).rejects.toThrow(TypeError);
    expect(mock.stats.refreshes).toBe(1);
    expect((await refresh(mock, rt)).json.error_description).toBe("the refresh token has already been used");
    mock.failNext("token", { status: 502, afterProcessing: true });
    const done = await signInCode(mock);
    expect(done.status).toBe(502);
    expect(mock.stats.codeExchanges).toBe(2);
  });

  it("reset() clears codes, refresh tokens, the session, lastAuthorize, signInAs and every counter", async () => {
    const mock = createMockGenesys();
    const { query } = await authorize(mock, {
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
    });
    const signedIn = await signInCode(mock);
    await mock.fetch(`${LOGIN}/logout`);
    mock.signInAs(mock.users[3]?.id ?? "");
    mock.failNext("authorize", { error: "access_denied" });
    mock.reset();
    expect(Object.values(mock.stats).every((n) => n === 0)).toBe(true);
    expect(Object.keys(mock.stats).sort()).toEqual(
      [
        "tokenRequests",
        "tokensIssued",
        "clientCredentialsGrants",
        "authorizeRequests",
        "codesIssued",
        "codeExchanges",
        "codeReuseRefused",
        "refreshes",
        "refreshReuseRefused",
        "saml2Grants",
        "logouts",
        "corsPreflights",
        "apiRequests",
        "apiRequestsWithoutBearer",
        "apiUnauthorized",
        "rateLimited",
      ].sort(),
    );
    expect(mock.lastAuthorize).toBeUndefined();
    expect(mock.loginSession).toBeUndefined();
    expect(mock.signedInUser).toBe(mock.users[0]);
    expect(mock.pendingFaults("authorize")).toBe(0);
    const auth = basic(mock.codeClient.id, mock.codeClient.secret);
    const old = await token(
      mock,
      {
        grant_type: "authorization_code",
        code: query.get("code") ?? "",
        redirect_uri: mock.codeClient.redirectUri,
      },
      auth,
    );
    expect(old.json.error_description).toBe("invalid authorization code");
    expect((await refresh(mock, String(signedIn.json.refresh_token))).json.error_description).toBe(
      "invalid refresh token",
    );
    expect((await api(mock, "/api/v2/users/me", String(signedIn.json.access_token))).status).toBe(401);
  });

  it("CORS: preflights and answers for /oauth/token and /api carry the caller's origin", async () => {
    const mock = createMockGenesys();
    const origin = "http://127.0.0.1:5173";
    const preflight = await mock.fetch(`${LOGIN}/oauth/token`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-headers")).toBe("content-type");
    expect(mock.stats).toMatchObject({ corsPreflights: 1, tokenRequests: 0 });
    const { json } = await signInPkce(mock);
    const response = await mock.fetch(`${LOGIN}/api/v2/users/me`, {
      headers: { origin, authorization: `Bearer ${json.access_token}` },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("access-control-expose-headers")).toContain("inin-correlation-id");
    const noOrigin = await mock.fetch(`${LOGIN}/api/v2/users/me`);
    expect(noOrigin.headers.get("access-control-allow-origin")).toBeNull();
    mock.route("GET", "/api/v2/frozen", () => Response.redirect("https://example.com/", 302));
    const frozen = await mock.fetch(`${LOGIN}/api/v2/frozen`, {
      headers: { origin, authorization: `Bearer ${json.access_token}` },
    });
    expect(frozen.headers.get("access-control-allow-origin")).toBe(origin);
  });
});
