/** Debian's headless Chromium driven by playwright-core (playwright never downloads a browser here). */
import type { Browser, Page } from "playwright-core";

/** Launches `/usr/bin/chromium` headless; close it with `browser.close()`. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Opens a page in a fresh headless Chromium, hands it to `use`, and closes the browser. Uncaught page
 * errors are collected in `errors`.
 */
export async function withPage<T>(
  use: (page: Page, browser: Browser, errors: string[]) => Promise<T>,
): Promise<T> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    return await use(page, browser, errors);
  } finally {
    await browser.close();
  }
}
