import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { awaitPopup } from "../../src/signin/popup.ts";

const ORIGIN = "https://app.example";
const MESSAGE = "genesys-cloud-auth:sign-in";

/** A stand-in for the popup's window: the page under test only reads `closed` and sets `location.href`. */
function fakePopup() {
  return { closed: false, location: { href: "" }, close() {} };
}

/** Window globals awaitPopup uses in the opener (`location`, message listeners). */
function stubOpener() {
  const listeners = new Set<(event: MessageEvent) => void>();
  vi.stubGlobal("location", { origin: ORIGIN });
  vi.stubGlobal("addEventListener", (_type: string, listener: (event: MessageEvent) => void) =>
    listeners.add(listener),
  );
  vi.stubGlobal("removeEventListener", (_type: string, listener: (event: MessageEvent) => void) =>
    listeners.delete(listener),
  );
  return {
    listening: () => listeners.size,
    post(source: unknown, data: unknown, origin = ORIGIN) {
      for (const listener of [...listeners]) listener({ source, origin, data } as MessageEvent);
    },
  };
}

describe("awaitPopup (the opener's side of the popup hand-over)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("takes an answer whose message is delivered just after the popup already reads closed", async () => {
    // The redirect page posts, then closes itself. Chromium may update the popup's `closed` before
    // the opener runs the message's task: the answer must still win over popup_closed.
    const opener = stubOpener();
    const popup = fakePopup();
    const answer = awaitPopup(popup as unknown as Window, "https://login.example/authorize");
    expect(popup.location.href).toBe("https://login.example/authorize");
    await vi.advanceTimersByTimeAsync(2_000);
    popup.closed = true;
    await vi.advanceTimersByTimeAsync(300); // a poll has seen it closed
    opener.post(popup, { type: MESSAGE, code: "the-code", state: "the-state" });
    await expect(answer).resolves.toEqual({ code: "the-code", state: "the-state" });
    expect(opener.listening()).toBe(0);
  });

  it("a popup closed without an answer is popup_closed, once the grace for a late message has passed", async () => {
    const opener = stubOpener();
    const popup = fakePopup();
    const answer = awaitPopup(popup as unknown as Window, "https://login.example/authorize");
    const settled = vi.fn();
    answer.then(settled, settled);
    await vi.advanceTimersByTimeAsync(2_000);
    popup.closed = true;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(settled).toHaveBeenCalledTimes(1);
    await expect(answer).rejects.toMatchObject({ code: "popup_closed", message: /was closed before/ });
    expect(opener.listening()).toBe(0);
  });

  it("a popup that reads closed at once is told as cut off, even after the grace", async () => {
    stubOpener();
    const popup = fakePopup();
    popup.closed = true;
    const answer = awaitPopup(popup as unknown as Window, "https://login.example/authorize");
    const outcome = answer.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await outcome).toMatchObject({ code: "popup_closed", message: /Cross-Origin-Opener-Policy cut/ });
  });

  it("ignores messages from other windows, other origins and of another type", async () => {
    const opener = stubOpener();
    const popup = fakePopup();
    const answer = awaitPopup(popup as unknown as Window, "https://login.example/authorize");
    opener.post({}, { type: MESSAGE, code: "from-another-window" });
    opener.post(popup, { type: MESSAGE, code: "from-another-origin" }, "https://evil.example");
    opener.post(popup, { type: "other", code: "other-type" });
    opener.post(popup, null);
    opener.post(popup, { type: MESSAGE, code: "ours", state: "s", extra: "dropped" });
    await expect(answer).resolves.toEqual({ code: "ours", state: "s" });
  });
});
