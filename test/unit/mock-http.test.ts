import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";
import { basic, pkcePair } from "../support/mock-flow.ts";

describe("mock sign-in over real HTTP (serveMockGenesys)", () => {
  const mock = createMockGenesys({ loginPage: { crossOriginOpenerPolicy: true } });
  let served: ServedMock;
  let callback: string;

  beforeAll(async () => {
    served = await serveMockGenesys(mock);
    callback = `${served.url}/app/callback`;
    mock.addRedirectUri(mock.pkceClient.id, callback);
  });
  afterAll(() => served?.close());

  it("authorize → 302 (followed by hand) → code exchange with PKCE → users/me → revoke → logout", async () => {
    const { verifier, challenge } = await pkcePair();
    const query = new URLSearchParams({
      client_id: mock.pkceClient.id,
      response_type: "code",
      redirect_uri: callback,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state: "http state ✓",
    });
    const redirect = await fetch(`${served.url}/oauth/authorize?${query}`, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    const location = new URL(redirect.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(callback);
    expect(location.searchParams.get("state")).toBe("http state ✓");
    const origin = "http://127.0.0.1:1";
    const exchange = await fetch(`${served.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: location.searchParams.get("code") ?? "",
        code_verifier: verifier,
        client_id: mock.pkceClient.id,
        redirect_uri: callback,
      }),
    });
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get("access-control-allow-origin")).toBe(origin);
    const { access_token: accessToken } = (await exchange.json()) as { access_token: string };
    const bearer = { authorization: `Bearer ${accessToken}` };
    const me = await fetch(`${served.url}/api/v2/users/me`, { headers: bearer });
    expect(await me.json()).toEqual(mock.users[0]);
    expect(
      (await fetch(`${served.url}/api/v2/tokens/me`, { method: "DELETE", headers: bearer })).status,
    ).toBe(204);
    const after = await fetch(`${served.url}/api/v2/users/me`, { headers: bearer });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { code: string }).code).toBe("bad.credentials");
    const logout = await fetch(
      `${served.url}/logout?client_id=${mock.pkceClient.id}&redirect_uri=${encodeURIComponent(callback)}`,
      { redirect: "manual" },
    );
    expect(logout.status).toBe(302);
    expect(logout.headers.get("location")).toBe(callback);
  });

  it("the confidential client's refresh rotation over HTTP", async () => {
    const auth = { authorization: basic(mock.codeClient.id, mock.codeClient.secret) };
    const query = new URLSearchParams({
      client_id: mock.codeClient.id,
      response_type: "code",
      redirect_uri: mock.codeClient.redirectUri,
    });
    const redirect = await fetch(`${served.url}/oauth/authorize?${query}`, { redirect: "manual" });
    const code = new URL(redirect.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const post = (form: Record<string, string>) =>
      fetch(`${served.url}/oauth/token`, { method: "POST", headers: auth, body: new URLSearchParams(form) });
    const first = (await (
      await post({ grant_type: "authorization_code", code, redirect_uri: mock.codeClient.redirectUri })
    ).json()) as { refresh_token: string };
    const second = await post({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(second.status).toBe(200);
    const reused = await post({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("serves the HTML login page and error pages", async () => {
    const page = createMockGenesys({ loginPage: { mode: "html", crossOriginOpenerPolicy: true } });
    const pageServer = await serveMockGenesys(page);
    try {
      const query = new URLSearchParams({
        client_id: page.codeClient.id,
        response_type: "code",
        redirect_uri: page.codeClient.redirectUri,
      });
      const response = await fetch(`${pageServer.url}/oauth/authorize?${query}`, { redirect: "manual" });
      expect(response.status).toBe(200);
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(await response.text()).toContain("location.replace(");
      const bad = await fetch(`${pageServer.url}/oauth/authorize?client_id=x`, { redirect: "manual" });
      expect(bad.status).toBe(400);
      expect(bad.headers.get("content-type")).toMatch(/^text\/html/);
      expect(bad.headers.get("location")).toBeNull();
    } finally {
      await pageServer.close();
    }
  });

  it("serves on runtimes without process.getBuiltinModule (older Node 20) too", async () => {
    // A real Node process: the fallback's import() needs Node's own loader, not vitest's module runner.
    const script = [
      `import { createMockGenesys, serveMockGenesys } from ${JSON.stringify(new URL("../../src/testing/index.ts", import.meta.url).href)};`,
      "delete process.getBuiltinModule;",
      "const served = await serveMockGenesys(createMockGenesys());",
      'const response = await fetch(served.url + "/api/v2/users/me");',
      "console.log(response.status);",
      "await served.close();",
    ].join("\n");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
      },
    );
    expect(stdout.trim()).toBe("401");
  });
});
