// Browser sign-in in redirect mode, end to end in Chromium: the app page (genesys-cloud-auth/browser)
// on 127.0.0.1 sends the browser to the mock's /oauth/authorize and handles the redirect back.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { MockGenesysOptions } from "../../src/testing/index.ts";
import { hostileServer } from "../support/hostile-server.ts";
import {
  chromiumForFile,
  exposed,
  historyUrls,
  leaks,
  loaded,
  outcomes,
  type Sites,
  serveSites,
  storedKeys,
  type Watch,
  watch,
} from "./harness.ts";

const chromium = chromiumForFile();

/** A fresh mock and app, a fresh browser context, and the app page loaded. */
async function start(options: MockGenesysOptions = {}, config: Partial<Sites["config"]> = {}) {
  const sites = await serveSites(options);
  chromium.keep(sites);
  Object.assign(sites.config, config);
  const context: BrowserContext = await chromium.browser().newContext();
  chromium.keep(context);
  const w: Watch = watch(context);
  const page = await context.newPage();
  await page.goto(sites.redirectUri);
  await loaded(page.mainFrame());
  return { sites, context, w, page };
}

/** Clicks "Sign in" and waits for the app page to be back and done with the redirect. */
async function signInByRedirect(page: Page): Promise<string> {
  let landed = "";
  const back = page.waitForURL(
    (url) => {
      const isAnswer = url.searchParams.has("code") || url.searchParams.has("error");
      if (isAnswer) landed = url.href; // the app strips it at once: keep it for the test
      return isAnswer;
    },
    { waitUntil: "commit" },
  );
  await page.click("#redirect");
  await back;
  await loaded(page.mainFrame());
  return landed;
}

/** `GET /api/v2/users/me` with `token`, from outside the browser: the status. */
const statusWith = async (sites: Sites, token: string) =>
  (await fetch(`${sites.mockUrl}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } })).status;

/** A server on 127.0.0.1 that records what reaches it (nothing must) and answers 404. */
const trap = async () =>
  chromium.keep(
    await hostileServer((_req, res) => void res.writeHead(404, { "access-control-allow-origin": "*" }).end()),
  );

describe("browser sign-in, redirect mode (Chromium)", () => {
  it("signs in, calls the API as the user, leaves no secret behind, survives a reload, and signs out with a revocation", async () => {
    const { sites, context, w, page } = await start();
    const app = page.mainFrame();
    expect(await outcomes(app, "load")).toEqual([{ ok: true, value: null }]); // no answer in the URL yet
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);

    const landed = await signInByRedirect(page);
    expect(new URL(landed).searchParams.get("code")).toBe(sites.secrets.codes[0]);
    expect(await outcomes(app, "load")).toEqual([{ ok: true, value: { state: "back-to-inbox" } }]);
    expect(sites.mock.lastAuthorize).toMatchObject({
      clientId: sites.mock.pkceClient.id,
      redirectUri: sites.redirectUri,
      responseType: "code",
      codeChallengeMethod: "S256",
    });
    expect(sites.mock.lastAuthorize?.state).not.toBe("back-to-inbox"); // the wire state is the SDK's
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(true);
    const user = sites.mock.signedInUser?.name;
    expect(await page.evaluate(() => window.app.me())).toEqual({ ok: true, value: user });
    expect(sites.mock.stats).toMatchObject({ authorizeRequests: 1, codeExchanges: 1, tokenRequests: 1 });

    // The answer left the address bar and the history; no code, verifier or token anywhere visible.
    expect(page.url()).toBe(sites.redirectUri);
    expect(
      (await historyUrls(page)).filter((u) => /[?&](code|state)=/.test(u) && u.startsWith(sites.appOrigin)),
    ).toEqual([]);
    expect(sites.secrets.codes).toHaveLength(1);
    expect(sites.secrets.verifiers).toHaveLength(1);
    expect(sites.secrets.tokens).toHaveLength(1);
    expect(leaks(await exposed(context, w), sites.secrets)).toEqual([]);
    expect(w.pageErrors).toEqual([]);
    // The scan does find a token where it is meant to be: in sessionStorage (not shown by the page).
    expect(leaks(await app.evaluate(() => JSON.stringify(sessionStorage)), sites.secrets)).toEqual([
      "tokens",
    ]);
    // The pending sign-in is gone; the token is kept in sessionStorage.
    expect(await storedKeys(app)).toEqual(
      expect.arrayContaining([
        `gca:token:${sites.mock.pkceClient.id}`,
        `gca:spent:${sites.mock.pkceClient.id}`,
      ]),
    );
    expect(
      (await storedKeys(app)).filter((k) => k.startsWith("gca:pending:") && k.split(":").length > 3),
    ).toEqual([]);

    // A reload keeps the session (sessionStorage), without another sign-in.
    await page.reload();
    await loaded(app);
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(true);
    expect(await page.evaluate(() => window.app.me())).toEqual({ ok: true, value: user });
    expect(sites.mock.stats).toMatchObject({ authorizeRequests: 1, codeExchanges: 1, tokenRequests: 1 });

    // Sign-out revokes the token (the mock refuses it from then on) and forgets it.
    const token = sites.secrets.tokens[0] as string;
    expect(await statusWith(sites, token)).toBe(200);
    expect(await page.evaluate(() => window.app.signOut())).toEqual({ ok: true, value: undefined });
    expect(await statusWith(sites, token)).toBe(401);
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);
    expect(await storedKeys(app)).toEqual([]);
    const events = await page.evaluate(() => window.app.events.map((e) => e.type));
    expect(events).toContain("signed_out");
    await page.reload();
    await loaded(app);
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);
    expect(await page.evaluate(() => window.app.getToken())).toMatchObject({
      ok: false,
      error: { code: "login_required" },
    });
    expect(leaks(await exposed(context, w), sites.secrets)).toEqual([]);
    expect(w.console.join("\n")).not.toContain("browser_not_allowed");
  });

  it("handleRedirect() called twice at once (React strict mode) shares one code exchange", async () => {
    const { sites, page } = await start({}, { strictMode: true });
    await signInByRedirect(page);
    const both = await outcomes(page.mainFrame(), "load", 2);
    expect(both).toEqual([
      { ok: true, value: { state: "back-to-inbox" } },
      { ok: true, value: { state: "back-to-inbox" } },
    ]);
    expect(sites.mock.stats).toMatchObject({ codeExchanges: 1, tokenRequests: 1, codeReuseRefused: 0 });
    // A call after it finished finds nothing to do.
    expect(await page.evaluate(() => window.app.handleRedirect())).toEqual({ ok: true, value: null });
  });

  it("a tampered state is state_mismatch, exchanges nothing, and leaves the real sign-in usable", async () => {
    const { sites, context, w, page } = await start({ loginPage: { mode: "html", continueAfterMs: 60_000 } });
    await page.click("#redirect");
    const onwards = (await (await page.waitForSelector("#continue")).getAttribute("href")) as string;
    const genuine = new URL(onwards);
    const state = genuine.searchParams.get("state") as string;
    const tampered = new URL(genuine);
    tampered.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
    await page.goto(tampered.href);
    await loaded(page.mainFrame());
    const [refused] = await outcomes(page.mainFrame(), "load");
    expect(refused).toMatchObject({ ok: false, error: { name: "GenesysAuthError", code: "state_mismatch" } });
    expect(page.url()).toBe(sites.redirectUri); // the forged answer left the address bar too
    expect(sites.mock.stats).toMatchObject({ codeExchanges: 0, tokenRequests: 0 });
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);

    // The genuine answer, arriving after the forged one, still signs the user in.
    await page.goto(genuine.href);
    await loaded(page.mainFrame());
    expect(await outcomes(page.mainFrame(), "load")).toEqual([
      { ok: true, value: { state: "back-to-inbox" } },
    ]);
    expect(sites.mock.stats).toMatchObject({ codeExchanges: 1, tokenRequests: 1 });
    expect(leaks(await exposed(context, w), sites.secrets)).toEqual([]);
  });

  it("the same answer replayed in a later page load is invalid_grant (never state_mismatch), and is not sent", async () => {
    const { sites, page } = await start();
    const landed = await signInByRedirect(page);
    await page.goto(landed);
    await loaded(page.mainFrame());
    expect(await outcomes(page.mainFrame(), "load")).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: "invalid_grant" }) }),
    ]);
    expect(page.url()).toBe(sites.redirectUri);
    expect(sites.mock.stats).toMatchObject({ codeExchanges: 1, tokenRequests: 1 });
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(true); // the session is untouched
  });

  it("access_denied on the redirect is access_denied with Genesys' description; the answer leaves the address bar", async () => {
    const { sites, page } = await start();
    sites.mock.failNext("authorize", { error: "access_denied" });
    const landed = await signInByRedirect(page);
    expect(new URL(landed).searchParams.get("error")).toBe("access_denied");
    const [denied] = await outcomes(page.mainFrame(), "load");
    expect(denied).toMatchObject({ ok: false, error: { name: "GenesysAuthError", code: "access_denied" } });
    expect(denied?.ok === false && denied.error.message).toContain(
      "The user denied the authorization request",
    );
    expect(page.url()).toBe(sites.redirectUri);
    expect(sites.mock.stats).toMatchObject({ codeExchanges: 0, tokenRequests: 0 });
    // The pending sign-in is single-use: gone after a failure too.
    expect((await storedKeys(page.mainFrame())).filter((k) => k.split(":").length > 3)).toEqual([]);
  });

  it("a login host that redirects the code exchange is refused (the browser's opaqueredirect): the target receives nothing", async () => {
    const { sites, context, w, page } = await start();
    const target = await trap();
    // 307 keeps the method and body: followed, it would carry the code and verifier to the target.
    sites.mock.failNext("token", { status: 307, headers: { location: `${target.url}/oauth/token` } });
    await signInByRedirect(page);
    const [refused] = await outcomes(page.mainFrame(), "load");
    expect(refused).toMatchObject({
      ok: false,
      error: { name: "GenesysAuthError", code: "invalid_token_response" },
    });
    expect(refused?.ok === false && refused.error.hint).toContain("redirect");
    expect(sites.secrets.verifiers).toHaveLength(1); // the login host got the exchange ...
    expect(target.received).toEqual([]); // ... and the redirect's target nothing
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);
    expect(leaks(await exposed(context, w), sites.secrets)).toEqual([]);
  });

  it("an API host that redirects gets no bearer through: HTTPError with the redirect hint, the target receives nothing", async () => {
    const { sites, context, w, page } = await start();
    await signInByRedirect(page);
    const target = await trap();
    sites.mock.failNext("api", { status: 307, headers: { location: `${target.url}/api/v2/users/me` } });
    const refused = await page.evaluate(() => window.app.me());
    expect(refused).toMatchObject({ ok: false, error: { name: "HTTPError" } });
    expect(refused.ok === false && refused.error.hint).toContain("redirect");
    expect(target.received).toEqual([]);
    expect(await page.evaluate(() => window.app.me())).toMatchObject({ ok: true }); // the session is fine
    expect(leaks(await exposed(context, w), sites.secrets)).toEqual([]);
  });

  it("warns `expiring` once at the refresh margin, then answers login_required after expiry", async () => {
    const { page } = await start({ pkceClient: { tokenLifetimeSeconds: 600 } }, { refreshMarginSeconds: 60 });
    await signInByRedirect(page);
    const types = () => page.evaluate(() => window.app.events.map((e) => e.type));
    expect(await page.evaluate(() => window.app.getToken())).toMatchObject({ ok: true });
    expect(await types()).not.toContain("expiring");

    await page.evaluate(() => window.app.shiftClock(545_000)); // 55 s left: inside the 60 s margin
    expect(await page.evaluate(() => window.app.getToken())).toMatchObject({ ok: true });
    expect(await page.evaluate(() => window.app.me())).toMatchObject({ ok: true });
    expect((await types()).filter((t) => t === "expiring")).toHaveLength(1);
    const expiring = await page.evaluate(() => window.app.events.find((e) => e.type === "expiring"));
    expect(expiring).toMatchObject({ type: "expiring", expiresAt: expect.any(Number) });
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(true);

    await page.evaluate(() => window.app.shiftClock(601_000)); // expired
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);
    expect(await page.evaluate(() => window.app.getToken())).toMatchObject({
      ok: false,
      error: { code: "login_required" },
    });
    expect(await page.evaluate(() => window.app.me())).toMatchObject({
      ok: false,
      error: { code: "login_required" },
    });
    const required = await page.evaluate(() => window.app.events.filter((e) => e.type === "login_required"));
    expect(required[0]).toEqual({ type: "login_required", reason: "expired" });
  });

  it("signOut({ redirectTo }) revokes, ends the login host's session at /logout and comes back", async () => {
    const { sites, page } = await start();
    await signInByRedirect(page);
    expect(sites.mock.loginSession).toBeDefined();
    const back = page.waitForURL(sites.redirectUri, { waitUntil: "load" });
    const logout = page.waitForRequest((r) => new URL(r.url()).pathname === "/logout");
    await page.evaluate((to) => void window.app.signOut({ redirectTo: to }), sites.redirectUri);
    const url = new URL((await logout).url());
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: sites.mock.pkceClient.id,
      redirect_uri: sites.redirectUri,
    });
    await back;
    await loaded(page.mainFrame());
    expect(sites.mock.stats.logouts).toBe(1);
    expect(sites.mock.loginSession).toBeUndefined();
    expect(await statusWith(sites, sites.secrets.tokens[0] as string)).toBe(401);
    expect(await page.evaluate(() => window.app.isSignedIn())).toBe(false);
  });
});
