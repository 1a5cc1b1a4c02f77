// The secret-leak scan for user sign-in: a login host that echoes the whole token request (code,
// verifier, refresh token, assertion, client secret) into its error answers. None of it may reach an
// error (message, cause chain, inspect, JSON), an event, or anything the app is handed.
import { describe, expect, it } from "vitest";
import type { AuthEvent, GenesysAuthError } from "../../src/index.ts";
import { createMockGenesys, createMockSamlAssertion, type MockGenesys } from "../../src/testing/index.ts";
import { allViews, rejection } from "../support/helpers.ts";
import { authorize, clock, codeFlowOn, saml2AuthOn } from "../support/signin.ts";

/**
 * A fetch in front of `mock` that, for the grants named, answers the token request with an OAuth error
 * whose description echoes the whole form and the Authorization header; it records every form sent.
 */
function echoing(mock: MockGenesys, grants: string[]) {
  const sent: URLSearchParams[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname !== "/oauth/token") return mock.fetch(request);
    const form = new URLSearchParams(await request.clone().text());
    sent.push(form);
    if (!grants.includes(form.get("grant_type") ?? "")) return mock.fetch(request);
    const echo = `you sent ${form.toString()} with ${request.headers.get("authorization")} (${[...form.values()].join(" ")})`;
    return Response.json(
      { error: "invalid_grant", error_description: echo, description: echo },
      { status: 400 },
    );
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

/** Every credential a sent form carried (and the client secret), for the scan. */
function credentials(sent: URLSearchParams[], secret: string): string[] {
  const values = sent.flatMap((form) =>
    ["code", "code_verifier", "refresh_token", "assertion", "client_secret"].flatMap((name) =>
      form.getAll(name),
    ),
  );
  return [...values, secret].filter((v) => v.length >= 8);
}

describe("sign-in secret-leak scan", () => {
  it("a code exchange answered with an echo: no code, verifier or secret in the error or events", async () => {
    const events: AuthEvent[] = [];
    const mock = createMockGenesys();
    const echo = echoing(mock, ["authorization_code"]);
    const { flow } = codeFlowOn(clock(), {}, { fetch: echo.fetch }, events, mock);
    const { url, state } = await flow.authorizationUrl();
    const callback = await authorize(mock, url);
    const error = (await rejection(flow.exchange(callback, { state }))) as GenesysAuthError;
    expect(error.code).toBe("invalid_grant");
    expect(error.message).toContain("[redacted]");
    const seen = [allViews(error), allViews(events)].join("\n");
    const code = new URL(callback).searchParams.get("code") as string;
    for (const value of [code, ...credentials(echo.sent, mock.codeClient.secret)])
      expect(seen).not.toContain(value);
    expect(seen).not.toContain(btoa(`${mock.codeClient.id}:${mock.codeClient.secret}`));
  });

  it("a refresh answered with an echo: no refresh token in the login_required error, its cause or events", async () => {
    const events: AuthEvent[] = [];
    const time = clock();
    const mock = createMockGenesys({ tokenLifetimeSeconds: 3600, now: time.now });
    const echo = echoing(mock, ["refresh_token"]);
    const { flow } = codeFlowOn(time, {}, { fetch: echo.fetch }, events, mock);
    const { url, state } = await flow.authorizationUrl();
    const { sessionId } = await flow.exchange(await authorize(mock, url), { state });
    time.t += 3600_000;
    const error = (await rejection(flow.session(sessionId).getToken())) as GenesysAuthError;
    expect(error.code).toBe("login_required");
    const seen = [allViews(error), allViews(events)].join("\n");
    const refreshTokens = echo.sent.map((form) => form.get("refresh_token")).filter((t): t is string => !!t);
    expect(refreshTokens.length).toBeGreaterThan(0);
    for (const value of [...refreshTokens, mock.codeClient.secret]) expect(seen).not.toContain(value);
  });

  it("a SAML2 grant answered with an echo: no assertion or secret in the error", async () => {
    const mock = createMockGenesys();
    const echo = echoing(mock, ["urn:ietf:params:oauth:grant-type:saml2-bearer"]);
    const assertion = createMockSamlAssertion("mock.user1@example.com");
    const auth = saml2AuthOn(mock, "mock.user1@example.com", () => assertion, { fetch: echo.fetch });
    const error = await rejection(auth.getToken());
    const seen = allViews(error);
    expect(seen).not.toContain(assertion);
    expect(seen).not.toContain(encodeURIComponent(assertion));
    expect(seen).not.toContain(mock.saml2Client.secret);
  });
});
