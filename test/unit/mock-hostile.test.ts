import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMockGenesys, createMockSamlAssertion } from "../../src/testing/index.ts";
import { LIMITS, parseParams } from "../../src/testing/params.ts";
import { basic, LOGIN, pkcePair, token } from "../support/mock-flow.ts";

const SECRETS = ["cc-secret-0f9e8d7c", "code-secret-1a2b3c4d", "saml-secret-5e6f7a8b"];
const newMock = () =>
  createMockGenesys({
    clientSecret: SECRETS[0],
    codeClient: { secret: SECRETS[1] },
    saml2Client: { secret: SECRETS[2] },
  });

const PARAM_NAMES = [
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "client_id",
  "client_secret",
  "refresh_token",
  "assertion",
  "orgName",
  "scope",
  "response_type",
  "state",
  "code_challenge",
  "code_challenge_method",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
];
const name = fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.string({ maxLength: 12 }));
const value = (mock: ReturnType<typeof newMock>) =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      "client_credentials",
      "authorization_code",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:saml2-bearer",
      "code",
      "S256",
      "plain",
      mock.clientId,
      mock.pkceClient.id,
      mock.codeClient.id,
      mock.saml2Client.id,
      mock.pkceClient.redirectUri,
      mock.codeClient.redirectUri,
      "__proto__",
      "",
      "%",
      "%zz",
      "\u0000",
    ),
    fc.string({ unit: "binary", maxLength: 30 }),
  );

describe("mock: form and query parsing (property tests)", () => {
  it("never throws, respects the caps, and keeps parameters in a Map", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 600 }),
        fc.integer({ min: 0, max: 700 }),
        (text, max) => {
          const parsed = parseParams(text, max);
          if (text.length > max) expect(parsed).toMatchObject({ ok: false, error: "too_large" });
          if (parsed.ok) {
            expect(parsed.params).toBeInstanceOf(Map);
            expect(parsed.params.size).toBeLessThanOrEqual(LIMITS.params);
            expect(parsed.params.has("")).toBe(false);
          } else {
            expect(parsed.description.length).toBeLessThan(200);
            expect(parsed.description).not.toMatch(/\p{Cc}/u);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("round-trips any form of distinct names, including __proto__", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.tuple(fc.oneof(name, fc.constant("__proto__")), fc.string({ unit: "binary", maxLength: 50 })),
          {
            selector: ([n]) => n,
            maxLength: LIMITS.params,
          },
        ),
        (entries) => {
          const kept = entries.filter(([n]) => n !== "");
          const text = new URLSearchParams(kept).toString();
          const parsed = parseParams(text, 1_000_000);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          // URLSearchParams turns lone surrogates into U+FFFD: compare with what it would read back.
          expect([...parsed.params]).toEqual([...new URLSearchParams(text)].filter(([n]) => n !== ""));
          expect(Object.prototype).not.toHaveProperty("polluted");
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses a parameter given twice, and more than the parameter cap", () => {
    fc.assert(
      fc.property(
        name.filter((n) => n !== ""),
        fc.string(),
        fc.string(),
        (n, a, b) => {
          const text = `${new URLSearchParams([[n, a]])}&${new URLSearchParams([[n, b]])}`;
          expect(parseParams(text, 100_000)).toMatchObject({ ok: false, error: "duplicate" });
        },
      ),
    );
    const many = Array.from({ length: LIMITS.params + 1 }, (_, i) => `p${i}=1`).join("&");
    expect(parseParams(many, 100_000)).toMatchObject({ ok: false, error: "too_many" });
  });
});

describe("mock: hostile requests", () => {
  const logs = vi.fn();
  beforeEach(() => {
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation(logs);
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    expect(logs).not.toHaveBeenCalled(); // the mock never logs (so never logs a secret)
    logs.mockClear();
  });

  it("the token endpoint answers any form with an OAuth error or a token, never a crash or a secret", async () => {
    const mock = newMock();
    const authorization = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 60 }),
      fc.constantFrom(
        basic(mock.clientId, SECRETS[0] as string),
        basic(mock.codeClient.id, SECRETS[1] as string),
        basic(mock.saml2Client.id, SECRETS[2] as string),
        basic(mock.pkceClient.id, "x"),
        basic("__proto__", "x"),
        "Basic !!!",
        "Basic Og==",
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(name, value(mock)), { maxLength: 8 }),
        authorization,
        async (entries, auth) => {
          const response = await mock.fetch(`${LOGIN}/oauth/token`, {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              ...(auth ? { authorization: auth } : {}),
            },
            body: new URLSearchParams(entries),
          });
          const text = await response.text();
          const json = JSON.parse(text) as Record<string, unknown>;
          if (response.status === 200) {
            expect(typeof json.access_token).toBe("string");
          } else {
            expect([400, 401]).toContain(response.status);
            expect(typeof json.error).toBe("string");
            expect(json.description).toBe(json.error_description);
          }
          const echoed = entries.some(
            ([n, v]) => (n === "grant_type" || n === "scope") && SECRETS.includes(v),
          );
          for (const secret of SECRETS) if (!echoed) expect(text).not.toContain(secret);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("the authorize endpoint never redirects anywhere but a registered redirect URI", async () => {
    const mock = newMock();
    const registered = [mock.pkceClient.redirectUri, mock.codeClient.redirectUri];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value(mock)), { maxLength: 8 }), async (entries) => {
        const response = await mock.fetch(`${LOGIN}/oauth/authorize?${new URLSearchParams(entries)}`, {
          redirect: "manual",
        });
        expect([200, 302, 400, 414]).toContain(response.status);
        const location = response.headers.get("location");
        if (response.status === 302) {
          const url = new URL(location ?? "");
          expect(registered).toContain(`${url.origin}${url.pathname}`);
          const kept = new URLSearchParams(entries).get("state");
          if (kept !== null) expect(url.searchParams.get("state")).toBe(kept);
        } else {
          expect(location).toBeNull();
        }
        await response.arrayBuffer();
      }),
      { numRuns: 400 },
    );
  });

  it("huge, malformed or misdirected requests get quick, clear errors", async () => {
    const mock = newMock();
    const started = Date.now();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const huge = await mock.fetch(`${LOGIN}/oauth/token`, {
      method: "POST",
      headers: form,
      body: `grant_type=client_credentials&state=${"x".repeat(2_000_000)}`,
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: string }).error).toBe("invalid_request");
    const streamed = await mock.fetch(`${LOGIN}/oauth/token`, {
      method: "POST",
      headers: form,
      body: new ReadableStream({
        pull(controller) {
          controller.enqueue(new Uint8Array(65_536).fill(97)); // endless: must stop reading at the cap
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const longQuery = await mock.fetch(`${LOGIN}/oauth/authorize?state=${"y".repeat(1_000_000)}`);
    expect(longQuery.status).toBe(414);
    expect(longQuery.headers.get("content-type")).toMatch(/^text\/html/);
    const json = await mock.fetch(`${LOGIN}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: "invalid_request" });
    const get = await mock.fetch(`${LOGIN}/oauth/token`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    const duplicate = await token(mock, {}, undefined);
    expect(duplicate.json.error).toBe("invalid_request");
    const twice = await mock.fetch(`${LOGIN}/oauth/token`, {
      method: "POST",
      headers: form,
      body: "grant_type=client_credentials&grant_type=authorization_code",
    });
    expect(await twice.json()).toMatchObject({
      error: "invalid_request",
      error_description: /more than once/,
    });
    const wrongMethod = await mock.fetch(`${LOGIN}/oauth/authorize`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    const bigBasic = await token(
      mock,
      { grant_type: "client_credentials" },
      `Basic ${"QUJD".repeat(50_000)}`,
    );
    expect([bigBasic.status, bigBasic.json.error]).toEqual([401, "invalid_client"]);
    const longGrant = await token(mock, { grant_type: `x${"\u0007".repeat(5000)}` });
    expect(longGrant.json.error).toBe("unsupported_grant_type");
    expect(String(longGrant.json.error_description).length).toBeLessThan(120);
    expect(String(longGrant.json.error_description)).not.toMatch(/\p{Cc}/u);
    const badBytes = await mock.fetch(`${LOGIN}/oauth/token`, {
      method: "POST",
      headers: form,
      body: new Uint8Array([0x67, 0x72, 0x61, 0x6e, 0x74, 0x5f, 0x74, 0x79, 0x70, 0x65, 0x3d, 0xff, 0xfe]),
    });
    expect(((await badBytes.json()) as { error: string }).error).toBe("unsupported_grant_type");
    for (const id of ["__proto__", "constructor", "toString"]) {
      const inBody = await token(mock, {
        grant_type: "client_credentials",
        client_id: id,
        client_secret: "x",
      });
      expect([inBody.status, inBody.json.error_description]).toEqual([400, "client not found"]);
      const inBasic = await token(mock, { grant_type: "refresh_token", refresh_token: "x" }, basic(id, "x"));
      expect([inBasic.status, inBasic.json.error_description]).toEqual([400, "client not found"]);
      const asCode = await token(mock, {
        grant_type: "authorization_code",
        code: id,
        client_id: mock.pkceClient.id,
      });
      expect(asCode.json.error_description).toBe("invalid authorization code");
    }
    const evilAssertion = btoa(`<Assertion>${"<NameID ".repeat(5500)}</Assertion>`)
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    const samlStarted = Date.now();
    const saml = await token(
      mock,
      {
        grant_type: "urn:ietf:params:oauth:grant-type:saml2-bearer",
        orgName: mock.orgName,
        assertion: evilAssertion,
      },
      basic(mock.saml2Client.id, SECRETS[2] as string),
    );
    expect(saml.json).toMatchObject({
      error: "invalid_grant",
      error_description: "the assertion has no NameID",
    });
    expect(Date.now() - samlStarted).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a polluted Object.prototype changes nothing", async () => {
    const mock = newMock();
    const proto = Object.prototype as Record<string, unknown>;
    proto.client_id = mock.pkceClient.id;
    proto.redirect_uri = mock.pkceClient.redirectUri;
    proto["mock-evil"] = {
      id: "mock-evil",
      secret: undefined,
      kind: "pkce",
      redirectUris: ["https://evil.example/"],
    };
    try {
      const { challenge } = await pkcePair();
      const response = await mock.fetch(
        `${LOGIN}/oauth/authorize?response_type=code&code_challenge=${challenge}&code_challenge_method=S256`,
        { redirect: "manual" },
      );
      expect(response.status).toBe(400);
      const evil = await mock.fetch(
        `${LOGIN}/oauth/authorize?client_id=mock-evil&response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2F`,
        { redirect: "manual" },
      );
      expect(evil.status).toBe(400);
      const tokenAnswer = await token(mock, { grant_type: "authorization_code", code: "x" });
      expect(tokenAnswer.json.error).toBe("invalid_client");
      const saml = await token(
        mock,
        {
          grant_type: "urn:ietf:params:oauth:grant-type:saml2-bearer",
          orgName: mock.orgName,
          assertion: createMockSamlAssertion(mock.users[0]?.email ?? ""),
        },
        basic(mock.saml2Client.id, SECRETS[2] as string),
      );
      expect(saml.status).toBe(200);
    } finally {
      delete proto.client_id;
      delete proto.redirect_uri;
      delete proto["mock-evil"];
    }
  });
});
