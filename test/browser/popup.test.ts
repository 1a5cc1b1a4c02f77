// Browser sign-in in popup mode, end to end in Chromium with third-party storage partitioning and the
// popup blocker on: the app at the top of its tab, and the app framed by a page of another site (as
// Genesys Cloud frames client apps). The popup's redirect page hands the answer to the opener by
// postMessage and closes; the opener (the frame) exchanges the code with the verifier it kept.
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { launchChromium } from "../../scripts/lib/chromium.ts";
import type { MockGenesysOptions } from "../../src/testing/index.ts";
import {
  appFrame,
  chromiumForFile,
  exposed,
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

interface Started {
  sites: Sites;
  context: BrowserContext;
  w: Watch;
  /** The tab: the app itself, or the framing page. */
  page: Page;
  /** The app: the tab's main frame, or the cross-site frame. */
  app: Frame;
}

/** A fresh mock and app, a fresh context, and the app loaded at the top of a tab or framed by another site. */
async function start(
  framed: boolean,
  options: MockGenesysOptions = {},
  more: { on?: Browser; appHeaders?: (url: URL) => Record<string, string> } = {},
): Promise<Started> {
  const sites = await serveSites(options, more.appHeaders);
  chromium.keep(sites);
  const context = await (more.on ?? chromium.browser()).newContext();
  chromium.keep(context);
  const w = watch(context);
  const page = await context.newPage();
  await page.goto(framed ? sites.framerUrl : sites.redirectUri);
  const app = await appFrame(page, framed);
  await loaded(app);
  return { sites, context, w, page, app };
}

/** Clicks "Sign in (popup)" inside the app (a real click, in the frame when framed): the popup. */
async function clickPopup({ page, app }: Started): Promise<Page> {
  const popup = page.waitForEvent("popup");
  await app.click("#popup");
  return popup;
}

const MESSAGE = "genesys-cloud-auth:sign-in";

for (const framed of [false, true]) {
  const where = framed ? "app framed by a page of another site" : "top-level app";

  describe(`browser sign-in, popup mode, ${where} (Chromium, storage partitioning on)`, () => {
    it("signs in from a click: the popup hands the answer over and closes; the app calls the API", async () => {
      const started = await start(framed);
      const { sites, context, w, app } = started;
      const popup = await clickPopup(started);
      const [signedIn] = await outcomes(app, "popup");
      expect(signedIn).toEqual({ ok: true, value: { expiresAt: expect.any(Number) } });
      if (!popup.isClosed()) await popup.waitForEvent("close");

      // The popup's redirect page handed the answer over (its handleRedirect answered null) and closed.
      expect(w.linesOf(popup)).toEqual(['outcome load: {"ok":true,"value":null}']);
      expect(sites.mock.stats).toMatchObject({ authorizeRequests: 1, codeExchanges: 1, tokenRequests: 1 });
      expect(sites.mock.lastAuthorize?.redirectUri).toBe(sites.redirectUri);
      expect(await app.evaluate(() => window.app.isSignedIn())).toBe(true);
      expect(await app.evaluate(() => window.app.me())).toEqual({
        ok: true,
        value: sites.mock.signedInUser?.name,
      });
      // The app kept the token in its own (partitioned, when framed) sessionStorage; nothing is pending.
      expect(await storedKeys(app)).toContain(`gca:token:${sites.mock.pkceClient.id}`);
      expect((await storedKeys(app)).filter((k) => k.split(":").length > 3)).toEqual([]);
      expect(leaks(await exposed(context, w), sites.secrets)).toEqual([]);
      expect(w.pageErrors).toEqual([]);
    });

    it("a login page whose Cross-Origin-Opener-Policy severs the opener is popup_closed, told as cut off", async () => {
      const started = await start(framed, {
        loginPage: { mode: framed ? "html" : "redirect", crossOriginOpenerPolicy: true },
      });
      await clickPopup(started);
      const [cut] = await outcomes(started.app, "popup");
      expect(cut).toMatchObject({ ok: false, error: { code: "popup_closed" } });
      if (cut?.ok !== false) throw new Error("expected a failure");
      expect(cut.error.message).toMatch(/cut the sign-in popup off/);
      expect(cut.error.message).not.toMatch(/was closed before/);
      expect(cut.error.hint).toMatch(/Cross-Origin-Opener-Policy/);
      expect(started.sites.mock.stats.codeExchanges).toBe(0);
      expect((await storedKeys(started.app)).filter((k) => k.split(":").length > 3)).toEqual([]);
    });

    it("a popup closed by the user is popup_closed, told as closed (not cut off)", async () => {
      const started = await start(framed, { loginPage: { mode: "html", continueAfterMs: 60_000 } });
      const popup = await clickPopup(started);
      await popup.waitForSelector("#continue"); // the user looks at the login page…
      await popup.waitForTimeout(1_800); // …for a moment (a cut-off popup reads closed at once)
      await popup.close(); // …and closes it
      const [closed] = await outcomes(started.app, "popup");
      expect(closed).toMatchObject({ ok: false, error: { code: "popup_closed" } });
      if (closed?.ok !== false) throw new Error("expected a failure");
      expect(closed.error.message).toMatch(/was closed before the sign-in finished/);
      expect(closed.error.message).not.toMatch(/cut/);
      expect(started.sites.mock.stats.codeExchanges).toBe(0);
      expect((await storedKeys(started.app)).filter((k) => k.split(":").length > 3)).toEqual([]);
    });

    it("ignores messages from other windows and origins, then takes the popup's answer", async () => {
      const started = await start(framed, { loginPage: { mode: "html", continueAfterMs: 60_000 } });
      const { sites, page, app } = started;
      const popup = await clickPopup(started);
      await popup.waitForSelector("#continue");
      const state = sites.mock.lastAuthorize?.state as string;
      const forged = (code: string) => ({ type: MESSAGE, code, state });
      // From the app's own window (same origin, but not the popup).
      await app.evaluate((m) => window.postMessage(m, "*"), forged("from-the-app-itself"));
      // From a same-origin frame inside the app (same origin, not the popup).
      await app.evaluate((m) => {
        const child = document.createElement("iframe");
        document.body.append(child);
        (child.contentWindow as Window & { eval(code: string): unknown }).eval(
          `parent.postMessage(${JSON.stringify(m)}, "*")`,
        );
      }, forged("from-a-same-origin-frame"));
      // From the popup while it shows the login host (the popup, but another origin).
      await popup.evaluate((m) => window.opener.postMessage(m, "*"), forged("from-the-login-host"));
      // From the page framing the app (another site).
      if (framed) {
        await page.evaluate(
          (m) =>
            (document.querySelector("iframe#app") as HTMLIFrameElement).contentWindow?.postMessage(m, "*"),
          forged("from-the-framing-page"),
        );
      }
      await popup.waitForTimeout(300);
      expect(await app.evaluate(() => window.app.outcomes.popup)).toBeUndefined(); // still waiting
      expect(sites.mock.stats.tokenRequests).toBe(0);

      await popup.click("#continue"); // the user signs in
      const [signedIn] = await outcomes(app, "popup");
      expect(signedIn).toEqual({ ok: true, value: { expiresAt: expect.any(Number) } });
      expect(sites.mock.stats).toMatchObject({ tokenRequests: 1, codeExchanges: 1 });
    });

    it("a double click makes one sign-in: the second call joins the first (one popup, one exchange)", async () => {
      const started = await start(framed, { loginPage: { mode: "html", continueAfterMs: 60_000 } });
      const { sites, page, app } = started;
      const popup = await clickPopup(started);
      await popup.waitForSelector("#continue");
      await app.click("#popup"); // again, while the popup is open
      await popup.waitForTimeout(200);
      expect(page.context().pages()).toHaveLength(2);
      expect(sites.mock.stats.authorizeRequests).toBe(1);
      await popup.click("#continue");
      const both = await outcomes(app, "popup", 2);
      expect(both).toEqual([
        { ok: true, value: { expiresAt: expect.any(Number) } },
        { ok: true, value: { expiresAt: expect.any(Number) } },
      ]);
      expect(sites.mock.stats).toMatchObject({ authorizeRequests: 1, codeExchanges: 1, tokenRequests: 1 });
    });

    it("a tampered state in the popup's answer is state_mismatch, and nothing is exchanged", async () => {
      const started = await start(framed, { loginPage: { mode: "html", continueAfterMs: 60_000 } });
      const popup = await clickPopup(started);
      const link = await popup.waitForSelector("#continue");
      const onwards = new URL((await link.getAttribute("href")) as string);
      onwards.searchParams.set("state", "forged-state-of-the-same-length-as-none");
      // The login page itself sends the popup on (as in a real sign-in): a navigation the browser
      // starts (page.goto) may move the popup to a new browsing context group, away from its opener.
      await link.evaluate((anchor, href) => anchor.setAttribute("href", href), onwards.href);
      await link.click();
      const [refused] = await outcomes(started.app, "popup");
      expect(refused).toMatchObject({ ok: false, error: { code: "state_mismatch" } });
      expect(started.sites.mock.stats.tokenRequests).toBe(0);
      expect((await storedKeys(started.app)).filter((k) => k.split(":").length > 3)).toEqual([]);
    });
  });
}

describe("popup sign-in: the browser's rules", () => {
  it("third-party storage partitioning is on: the framed app and the app's own tab see different storage", async () => {
    const { sites, context, app: framedApp } = await start(true);
    const top = await context.newPage();
    await top.goto(sites.redirectUri);
    await top.evaluate(() => {
      localStorage.setItem("probe", "top-level");
      sessionStorage.setItem("probe", "top-level");
    });
    // The frame has storage (not refused, as with partitioning off), but its own partition.
    expect(
      await framedApp.evaluate(() => [localStorage.getItem("probe"), sessionStorage.getItem("probe")]),
    ).toEqual([null, null]);
    await framedApp.evaluate(() => localStorage.setItem("probe", "framed"));
    expect(await top.evaluate(() => localStorage.getItem("probe"))).toBe("top-level");
    expect(await framedApp.evaluate(() => localStorage.getItem("probe"))).toBe("framed");
    expect(await framedApp.evaluate(() => window.origin)).toBe(sites.appOrigin);
    expect(await framedApp.evaluate(() => window.top === window)).toBe(false);
  });

  it("an app whose pages send Cross-Origin-Opener-Policy: same-origin (Helmet's default) is told so", async () => {
    const { sites, app } = await start(
      false,
      {},
      {
        appHeaders: () => ({ "cross-origin-opener-policy": "same-origin" }),
      },
    );
    await app.click("#popup");
    const [cut] = await outcomes(app, "popup");
    expect(cut).toMatchObject({ ok: false, error: { code: "popup_closed" } });
    if (cut?.ok !== false) throw new Error("expected a failure");
    expect(cut.error.message).toMatch(/cut the sign-in popup off/);
    expect(cut.error.hint).toMatch(/this app's own pages must not send `same-origin`/);
    expect(sites.mock.stats.codeExchanges).toBe(0);
  });

  it("an app whose pages send same-origin-allow-popups (and its redirect page none) signs in by popup", async () => {
    const { sites, app } = await start(
      false,
      {},
      {
        appHeaders: (url): Record<string, string> =>
          url.searchParams.has("code") ? {} : { "cross-origin-opener-policy": "same-origin-allow-popups" },
      },
    );
    await app.click("#popup");
    expect(await outcomes(app, "popup")).toEqual([{ ok: true, value: { expiresAt: expect.any(Number) } }]);
    expect(sites.mock.stats.codeExchanges).toBe(1);
  });

  it("a framed app whose storage is refused (partitioning off) keeps the verifier in memory and signs in by popup", async () => {
    const unpartitioned = await launchChromium({ popupBlocking: true }); // Playwright's default features
    chromium.keep(unpartitioned);
    const started = await start(true, {}, { on: unpartitioned });
    const refused = await started.app.evaluate(() => {
      try {
        return String(sessionStorage.length);
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(refused).toBe("SecurityError"); // what the SDK falls back from
    const popup = await clickPopup(started);
    expect(await outcomes(started.app, "popup")).toEqual([
      { ok: true, value: { expiresAt: expect.any(Number) } },
    ]);
    expect(popup.isClosed() || (await popup.waitForEvent("close").then(() => true))).toBe(true);
    expect(await started.app.evaluate(() => window.app.me())).toEqual({
      ok: true,
      value: started.sites.mock.signedInUser?.name,
    });
    expect(started.sites.mock.stats.codeExchanges).toBe(1);
  });

  it("signIn({ popup: true }) without a user gesture is popup_blocked, and opens nothing", async () => {
    const sites = await serveSites();
    chromium.keep(sites);
    sites.config.popupOnLoad = true;
    const context = await chromium.browser().newContext();
    chromium.keep(context);
    const page = await context.newPage();
    await page.goto(sites.redirectUri);
    const [blocked] = await outcomes(page.mainFrame(), "popupOnLoad");
    expect(blocked).toMatchObject({ ok: false, error: { name: "GenesysAuthError", code: "popup_blocked" } });
    expect(context.pages()).toHaveLength(1);
    expect(sites.mock.stats.authorizeRequests).toBe(0);
    expect((await storedKeys(page.mainFrame())).filter((k) => k.split(":").length > 3)).toEqual([]);
  });
});
