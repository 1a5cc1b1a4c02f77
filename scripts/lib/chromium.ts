/** Debian's headless Chromium driven by playwright-core (playwright never downloads a browser here). */
import type { Browser, Page } from "playwright-core";

/** How Chromium is launched, where a test needs it to behave as Chrome ships rather than as Playwright's defaults make it. */
export interface ChromiumOptions {
  /**
   * Third-party storage partitioning on, as Chrome ships it. Playwright's default flags turn it off
   * (`--disable-features=…,ThirdPartyStoragePartitioning,…`); a cross-site frame then gets no storage
   * at all. Default false (Playwright's behaviour).
   */
  storagePartitioning?: boolean;
  /** The popup blocker on (Playwright's defaults pass `--disable-popup-blocking`). Default false. */
  popupBlocking?: boolean;
}

/** The machine's flags: no sandbox (containers), no GPU, nothing phoning home. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * The features playwright-core 1.65 disables in Chromium (its `chromiumSwitches.ts`). Chromium keeps
 * the last `--disable-features` of its command line, so launching with this list minus one feature,
 * after Playwright's own, turns that feature back on; the default switch is also dropped by
 * `ignoreDefaultArgs` when it is spelt exactly so.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
];

/** Launches `/usr/bin/chromium` headless; close it with `browser.close()`. */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  const args = [...FLAGS];
  const ignoreDefaultArgs: string[] = [];
  if (options.storagePartitioning === true) {
    ignoreDefaultArgs.push(`--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(",")}`);
    const kept = PLAYWRIGHT_DISABLED_FEATURES.filter((f) => f !== "ThirdPartyStoragePartitioning");
    args.push(`--disable-features=${kept.join(",")}`);
  }
  if (options.popupBlocking === true) ignoreDefaultArgs.push("--disable-popup-blocking");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args,
    ...(ignoreDefaultArgs.length > 0 ? { ignoreDefaultArgs } : {}),
  });
}

/**
 * Opens a page in a fresh headless Chromium, hands it to `use`, and closes the browser. Uncaught page
 * errors are collected in `errors`.
 */
export async function withPage<T>(
  use: (page: Page, browser: Browser, errors: string[]) => Promise<T>,
  options: ChromiumOptions = {},
): Promise<T> {
  const browser = await launchChromium(options);
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    return await use(page, browser, errors);
  } finally {
    await browser.close();
  }
}
