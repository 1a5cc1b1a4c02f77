// The SAML2 bearer grant against the mock: a user's token from an assertion, the subject in the cache
// key, one-time assertions asked for afresh, errors without the assertion in them.
import { describe, expect, it } from "vitest";
import {
  createClient,
  createSaml2BearerAuth,
  type GenesysAuthError,
  memoryStore,
  type TokenStore,
} from "../../src/index.ts";
import { createMockGenesys, createMockSamlAssertion } from "../../src/testing/index.ts";
import { allViews, rejection } from "../support/helpers.ts";
import { saml2AuthOn } from "../support/signin.ts";

function setup(assertion: () => string | Promise<string>, extra: Record<string, unknown> = {}) {
  const mock = createMockGenesys();
  const auth = saml2AuthOn(mock, "mock.user2@example.com", assertion, extra);
  return { mock, auth };
}

describe("createSaml2BearerAuth", () => {
  it("gets the assertion's user a token and calls the API as them", async () => {
    let asked = 0;
    const { mock, auth } = setup(() => {
      asked++;
      return createMockSamlAssertion("mock.user2@example.com");
    });
    const me = await createClient({ auth, fetch: mock.fetch })
      .get("api/v2/users/me")
      .json<{ email: string }>();
    expect(me.email).toBe("mock.user2@example.com");
    await auth.getToken();
    expect(asked).toBe(1); // cached
    expect(mock.stats.saml2Grants).toBe(1);
  });

  it("the subject joins the cache key: two users sharing a store never share a token", async () => {
    const map = new Map<string, string>();
    const store: TokenStore = { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) };
    const mock = createMockGenesys();
    const authFor = (email: string) =>
      createSaml2BearerAuth({
        clientId: mock.saml2Client.id,
        clientSecret: mock.saml2Client.secret,
        orgName: mock.orgName,
        subject: email,
        assertion: () => createMockSamlAssertion(email),
        loginUrl: "http://127.0.0.1:1",
        apiUrl: "http://127.0.0.1:1",
        fetch: mock.fetch,
        store,
      });
    const a = await authFor("mock.user1@example.com").getToken();
    const b = await authFor("mock.user2@example.com").getToken();
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(map.size).toBe(2);
    expect((await authFor("mock.user1@example.com").getToken()).accessToken).toBe(a.accessToken);
  });

  it("a refused assertion is invalid_grant with the SAML hint, and never quotes the assertion", async () => {
    const forged = btoa("<Assertion><NameID>nobody@example.com</NameID></Assertion>");
    const { auth } = setup(() => forged);
    const error = (await rejection(auth.getToken())) as GenesysAuthError;
    expect(error.code).toBe("invalid_grant");
    expect(error.hint).toMatch(/SAML assertion/);
    expect(allViews(error)).not.toContain(forged);
  });

  it("a failing or empty assertion provider is invalid_config; nothing is sent", async () => {
    for (const provider of [
      () => {
        throw new Error("IdP down");
      },
      () => "",
      () => 42 as unknown as string,
    ]) {
      const { mock, auth } = setup(provider);
      expect(((await rejection(auth.getToken())) as GenesysAuthError).code).toBe("invalid_config");
      expect(mock.stats.tokenRequests).toBe(0);
    }
  });

  it("a wrong orgName is invalid_grant; options are checked", async () => {
    const { auth } = setup(() => createMockSamlAssertion("mock.user2@example.com"), { orgName: "another" });
    expect(((await rejection(auth.getToken())) as GenesysAuthError).code).toBe("invalid_grant");
    expect(() => setup(() => "x", { subject: "" })).toThrow(/subject/);
    expect(() => setup(() => "x", { store: memoryStore(), assertion: "not a function" })).toThrow(
      /assertion/,
    );
  });
});
