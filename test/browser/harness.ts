// What the browser sign-in tests run on: the mock Genesys Cloud served on 127.0.0.1, the app page
// (test/browser/app.ts, bundled for the browser) served on another 127.0.0.1 port with its redirect
// URI registered exactly, a page of ANOTHER site (http://localhost:<port>) that frames the app, and
// Chromium with third-party storage partitioning and the popup blocker on, as Chrome ships. Every
// code, verifier and token that crosses the mock is noted, so the tests can look for them where they
// must not be.
import { createServer, type Server } from "node:http";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { bundleEntry } from "../../scripts/lib/bundle.ts";
import { launchChromium } from "../../scripts/lib/chromium.ts";
import {
  createMockGenesys,
  type MockGenesys,
  type MockGenesysOptions,
  serveMockGenesys,
} from "../../src/testing/index.ts";
import type { Outcome, PageConfig, TestApp } from "./app.ts";

export type { Outcome, TestApp };

let bundled: Promise<string> | undefined;
/** The app page's script, bundled once per test file. */
const appScript = (): Promise<string> => {
  bundled ??= bundleEntry("test/browser/app.ts", "browser");
  return bundled;
};

/** Listens on 127.0.0.1, any free port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}

const stop = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Secrets the mock handed out or received, in order. */
export interface Secrets {
  /** Authorization codes sent back to the redirect URI. */
  codes: string[];
  /** PKCE verifiers received in code exchanges. */
  verifiers: string[];
  /** Access tokens issued. */
  tokens: string[];
}

/** The mock, the app and the framing page, served. */
export interface Sites {
  mock: MockGenesys;
  /** The mock's base URL (login host and API), `http://127.0.0.1:<port>`. */
  mockUrl: string;
  /** The app's origin, `http://127.0.0.1:<port>`; its page is at `/`, which is the redirect URI. */
  appOrigin: string;
  /** The registered redirect URI (`<appOrigin>/`). */
  redirectUri: string;
  /** A page of another site (`http://localhost:<port>/`) that frames the app in `iframe#app`. */
  framerUrl: string;
  /** Every code, verifier and access token that crossed the mock. */
  secrets: Secrets;
  /** What the next app page load is configured with (change it before loading). */
  config: PageConfig;
  close(): Promise<void>;
}

/** Answers `request` with the mock, noting the codes, verifiers and access tokens that cross it. */
async function spy(mock: MockGenesys, request: Request, secrets: Secrets): Promise<Response> {
  const url = new URL(request.url);
  const isToken = url.pathname === "/oauth/token" && request.method === "POST";
  if (isToken) {
    const form = new URLSearchParams(await request.clone().text());
    const verifier = form.get("code_verifier");
    if (verifier) secrets.verifiers.push(verifier);
  }
  const response = await mock.handler(request);
  if (url.pathname === "/oauth/authorize") {
    // The code is in the 302's Location, or in the HTML login page's link onwards.
    const location = response.headers.get("location");
    const text = location ?? (await response.clone().text());
    for (const [, code] of text.matchAll(/[?&;]code=([\w-]+)/g)) if (code) secrets.codes.push(code);
  }
  if (isToken && response.ok) {
    const body = (await response.clone().json()) as { access_token?: string };
    if (body.access_token) secrets.tokens.push(body.access_token);
  }
  return response;
}

/**
 * Serves a fresh mock (with `options`), the app page and the framing page. `appHeaders` adds response
 * headers to the app page (the same page is the redirect URI: it gets its URL).
 */
export async function serveSites(
  options: MockGenesysOptions = {},
  appHeaders: (url: URL) => Record<string, string> = () => ({}),
): Promise<Sites> {
  const mock = createMockGenesys(options);
  const secrets: Secrets = { codes: [], verifiers: [], tokens: [] };
  const served = await serveMockGenesys({ handler: (request) => spy(mock, request, secrets) });
  const script = await appScript();
  const state = { config: {} as PageConfig };
  const app = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    if (path === "/app.js") {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      res.end(script);
      return;
    }
    if (path !== "/") {
      res.writeHead(404).end();
      return;
    }
    const config = JSON.stringify(state.config).replace(/</g, "\\u003c");
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      ...appHeaders(url),
    });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title>
<link rel="icon" href="data:,"><script>window.TEST_CONFIG = ${config};</script></head>
<body><script type="module" src="/app.js"></script></body></html>`);
  });
  const appOrigin = `http://127.0.0.1:${await listen(app)}`;
  const framer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title>
<link rel="icon" href="data:,"></head><body><h1>Another site framing the app</h1>
<iframe id="app" src="${appOrigin}/" width="600" height="300"></iframe></body></html>`);
  });
  const framerUrl = `http://localhost:${await listen(framer)}/`;
  const redirectUri = `${appOrigin}/`;
  mock.addRedirectUri(mock.pkceClient.id, redirectUri);
  state.config = { clientId: mock.pkceClient.id, redirectUri, loginUrl: served.url, apiUrl: served.url };
  return Object.assign(state, {
    mock,
    mockUrl: served.url,
    appOrigin,
    redirectUri,
    framerUrl,
    secrets,
    async close() {
      await Promise.all([served.close(), stop(app), stop(framer)]);
    },
  });
}

/** Chromium as Chrome ships: third-party storage partitioning and the popup blocker on. */
export const launch = (): Promise<Browser> =>
  launchChromium({ storagePartitioning: true, popupBlocking: true });

/** Something a test opened and the harness closes after it. */
interface Closable {
  close(): Promise<void>;
}

/**
 * The test file's Chromium ({@link launch}), launched before its tests and closed after them; what a
 * test hands to `keep` (sites, contexts, another browser) is closed after that test, last first.
 */
export function chromiumForFile(): { browser(): Browser; keep<T extends Closable>(thing: T): T } {
  let browser: Browser | undefined;
  let open: Closable[] = [];
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const thing of open.reverse()) await thing.close();
    open = [];
  });
  return {
    browser: () => browser as Browser,
    keep: (thing) => {
      open.push(thing);
      return thing;
    },
  };
}

/** What the pages of a context said. */
export interface Watch {
  /** Console lines of every page of the context (popups included). */
  console: string[];
  /** Uncaught errors of every page. */
  pageErrors: string[];
  /** The console lines of one page. */
  linesOf(page: Page): string[];
}

/** Collects every page's console and uncaught errors (popups included). */
export function watch(context: BrowserContext): Watch {
  const byPage = new Map<Page, string[]>();
  const w: Watch = { console: [], pageErrors: [], linesOf: (page) => byPage.get(page) ?? [] };
  const onPage = (page: Page) => {
    const lines: string[] = [];
    byPage.set(page, lines);
    page.on("console", (message) => {
      w.console.push(message.text());
      lines.push(message.text());
    });
    page.on("pageerror", (error) => w.pageErrors.push(`${error.message}\n${error.stack ?? ""}`));
  };
  for (const page of context.pages()) onPage(page);
  context.on("page", onPage);
  return w;
}

/** The URLs of every entry of `page`'s session history (Chrome DevTools Protocol). */
export async function historyUrls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { entries } = (await cdp.send("Page.getNavigationHistory")) as { entries: Array<{ url: string }> };
    return entries.map((e) => e.url);
  } finally {
    await cdp.detach();
  }
}

/**
 * Everything a page shows or says that a secret must never reach: the address and the session
 * history of every open page, every frame's DOM, address and referrer, the app's recorded events and
 * outcomes (errors with their stacks), the console and uncaught errors.
 */
export async function exposed(context: BrowserContext, w: Watch): Promise<string> {
  const parts = [...w.console, ...w.pageErrors];
  for (const page of context.pages()) {
    parts.push(page.url(), ...(await historyUrls(page)));
    for (const frame of page.frames()) {
      parts.push(frame.url(), await frame.content());
      parts.push(
        await frame.evaluate(() =>
          JSON.stringify([location.href, document.referrer, window.app?.events, window.app?.outcomes]),
        ),
      );
    }
  }
  return parts.join("\n");
}

/** Which of the secrets occur in `text` (named by kind only: a failure must not print them). */
export function leaks(text: string, secrets: Secrets): string[] {
  return Object.entries(secrets).flatMap(([kind, values]: [string, string[]]) =>
    values.filter((value) => text.includes(value)).map(() => kind),
  );
}

/** The app's frame: the page's main frame, or the frame of `iframe#app` on the framing page. */
export async function appFrame(page: Page, framed = false): Promise<Frame> {
  if (!framed) return page.mainFrame();
  const frame = await (await page.waitForSelector("iframe#app")).contentFrame();
  if (frame === null) throw new Error("iframe#app has no frame");
  return frame;
}

/** Waits until the app's script ran and its load-time handleRedirect() has settled. */
export async function loaded(frame: Frame): Promise<void> {
  await frame.waitForFunction(() => (window.app?.outcomes.load?.length ?? 0) > 0);
}

/** The outcomes the app recorded under `name`, once there are `count` of them. */
export async function outcomes(frame: Frame, name: string, count = 1): Promise<Outcome[]> {
  await frame.waitForFunction(
    ([n, c]) => (window.app?.outcomes[n as string]?.length ?? 0) >= (c as number),
    [name, count],
  );
  return frame.evaluate((n) => window.app.outcomes[n] ?? [], name);
}

/** Keys of the app's `sessionStorage` (in `frame`'s storage partition) that belong to the SDK. */
export function storedKeys(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("gca:")));
}
