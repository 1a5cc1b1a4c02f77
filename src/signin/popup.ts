/**
 * Popup sign-in, for apps framed inside Genesys Cloud (the login page refuses to load in a frame).
 * Measured with third-party storage partitioning on: a cross-site frame and its popup share no
 * storage, storage events nor BroadcastChannel, but `window.opener` survives the trip to the login
 * host and back. So the redirect page in the popup posts `{ code, state }` to its opener with the
 * app's exact origin as target, and the frame accepts only a message whose source is its popup and
 * whose origin is its own; anything else is ignored.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import type { Callback } from "../grants/authorization-code.ts";

/** The `type` of the hand-over message. */
const MESSAGE = "genesys-cloud-auth:sign-in";
/** A popup closed sooner than this after it was sent to the login page was closed by the page, not the user. */
const SEVERED_MS = 1_500;
/** The longest a popup sign-in may take. */
const POPUP_MS = 10 * 60_000;
/** How often the popup is checked for being closed. */
const POLL_MS = 250;
/**
 * How long a popup seen closed may still deliver its answer. The redirect page posts, then closes;
 * Chromium can show the popup as closed before this page runs the message's task.
 */
const LATE_ANSWER_MS = 1_000;

/** The popup's window name (one sign-in popup at a time). */
const NAME = "genesys-cloud-auth-sign-in";

/**
 * Opens the (empty) sign-in popup. Must run synchronously inside the click's handler, before any
 * `await`: popup blockers allow only windows opened by a user gesture.
 *
 * @throws {GenesysAuthError} `popup_blocked`.
 */
export function openPopup(): Window {
  const width = 500;
  const height = 650;
  const left = Math.max(0, (globalThis.screen?.width ?? width) / 2 - width / 2);
  const top = Math.max(0, (globalThis.screen?.height ?? height) / 2 - height / 2);
  const popup = globalThis.open("", NAME, `popup,width=${width},height=${height},left=${left},top=${top}`);
  if (popup === null || popup === undefined) {
    throw new GenesysAuthError("popup_blocked", "The browser blocked the sign-in popup.");
  }
  return popup;
}

/**
 * Waits for the popup's redirect page to hand over its answer, after sending the popup to `url`.
 *
 * @throws {GenesysAuthError} `popup_closed` (closed by the user, or by the login page cutting the
 *   popup off from this page), `timeout` after 10 minutes.
 */
export function awaitPopup(popup: Window, url: string): Promise<Callback> {
  const origin = globalThis.location.origin;
  popup.location.href = url;
  const sentAt = performance.now();
  return new Promise<Callback>((resolve, reject) => {
    let late: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      globalThis.removeEventListener("message", onMessage);
      clearInterval(poll);
      clearTimeout(deadline);
      clearTimeout(late);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.source !== popup || event.origin !== origin) return; // not ours: ignored
      const data = event.data as Record<string, unknown> | null;
      if (typeof data !== "object" || data === null || data.type !== MESSAGE) return;
      done();
      const text = (name: string) => (typeof data[name] === "string" ? (data[name] as string) : undefined);
      resolve({
        ...(text("code") !== undefined ? { code: text("code") } : {}),
        ...(text("state") !== undefined ? { state: text("state") } : {}),
        ...(text("error") !== undefined ? { error: text("error") } : {}),
        ...(text("errorDescription") !== undefined ? { errorDescription: text("errorDescription") } : {}),
      } as Callback);
    };
    const poll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(poll);
      const failure = performance.now() - sentAt < SEVERED_MS ? cutOff() : closedBeforeTheEnd();
      late = setTimeout(() => {
        done();
        reject(failure);
      }, LATE_ANSWER_MS);
    }, POLL_MS);
    const deadline = setTimeout(() => {
      done();
      popup.close();
      reject(new GenesysAuthError("timeout", "The popup sign-in did not finish within 10 minutes."));
    }, POPUP_MS);
    globalThis.addEventListener("message", onMessage);
  });
}

/** The popup read `closed` at once: a Cross-Origin-Opener-Policy severed it from this page. */
function cutOff(): GenesysAuthError {
  return new GenesysAuthError(
    "popup_closed",
    "A Cross-Origin-Opener-Policy cut the sign-in popup off from this page as soon as it left for the login page, so its answer cannot come back here.",
    {
      hint: "Check the Cross-Origin-Opener-Policy headers on the way: this app's own pages must not send `same-origin` (Helmet's default; `same-origin-allow-popups` keeps popups), the page at the redirect URI must send none, and the login page or an SSO identity provider's may send one. Where the app is not framed, redirect sign-in (signIn() without popup) needs no popup.",
    },
  );
}

/** The popup closed after a while: most likely the user closed it. */
function closedBeforeTheEnd(): GenesysAuthError {
  return new GenesysAuthError("popup_closed", "The sign-in popup was closed before the sign-in finished.", {
    hint: "Sign in again and keep the popup open until it closes by itself. If nobody closed it, a Cross-Origin-Opener-Policy on the way cut it off from this page: the page at the redirect URI must send none, and an SSO identity provider's login page may send one. Where the app is not framed, redirect sign-in needs no popup.",
  });
}

/**
 * On the redirect page inside a sign-in popup: hands the answer to the opener (the app's own origin
 * only) and closes the popup. False when this page has no opener to hand it to.
 */
export function handOver(callback: Callback): boolean {
  const opener = globalThis.opener as Window | null | undefined;
  if (opener === null || opener === undefined || opener === (globalThis as unknown as Window)) return false;
  try {
    if (opener.closed) return false;
    opener.postMessage({ type: MESSAGE, ...callback }, globalThis.location.origin);
  } catch {
    return false;
  }
  globalThis.close();
  return true;
}
