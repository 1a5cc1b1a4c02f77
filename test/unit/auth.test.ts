import { describe, expect, it } from "vitest";
import { type AuthEvent, createAuth, GenesysAuthError } from "../../src/index.ts";
import { allViews, CLIENT_ID, rejection, SECRET, setup } from "../support/helpers.ts";

describe("createAuth: cache and single-flight", () => {
  it("serves the cached token without another POST, as the same object", async () => {
    const { mock, auth } = setup();
    const first = await auth.getToken();
    const second = await auth.getToken();
    expect(second).toBe(first);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("1,000 concurrent getToken() at a cold start make exactly one POST", async () => {
    const { mock, auth } = setup();
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => auth.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("one caller's abort rejects only that caller; the shared fetch goes on", async () => {
    const { mock, auth } = setup();
    mock.failNext("token", { delayMs: 100 });
    const controller = new AbortController();
    const aborted = auth.getToken({ signal: controller.signal });
    const others = Promise.all([auth.getToken(), auth.getToken()]);
    controller.abort(new Error("caller gave up"));
    await expect(aborted).rejects.toThrow("caller gave up");
    const [a, b] = await others;
    expect(a).toBe(b);
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("an already-aborted signal rejects at once on a cold cache", async () => {
    const { mock, auth } = setup();
    await expect(auth.getToken({ signal: AbortSignal.abort() })).rejects.toThrow();
    expect(mock.stats.tokenRequests).toBe(0);
  });

  it("invalidate() drops the token; forceRefresh fetches a new one", async () => {
    const { mock, auth } = setup();
    const first = await auth.getToken();
    await auth.invalidate();
    const second = await auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    const third = await auth.getToken({ forceRefresh: true });
    expect(third.accessToken).not.toBe(second.accessToken);
    expect(await auth.getToken()).toBe(third);
    expect(mock.stats.tokenRequests).toBe(3);
  });

  it("concurrent forceRefresh calls share one fetch", async () => {
    const { mock, auth } = setup();
    await auth.getToken();
    await Promise.all([auth.getToken({ forceRefresh: true }), auth.getToken({ forceRefresh: true })]);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("a failed fetch is not cached: the next call tries again", async () => {
    const { mock, auth } = setup({}, { retry: { limit: 0 } });
    mock.failNext("token", { status: 503 });
    await expect(auth.getToken()).rejects.toBeInstanceOf(GenesysAuthError);
    await expect(auth.getToken()).resolves.toBeDefined();
    expect(mock.stats.tokenRequests).toBe(2);
  });
});

describe("createAuth: refresh", () => {
  function clocked(lifetime: number, options = {}) {
    const clock = { t: 1_700_000_000_000 };
    const events: AuthEvent[] = [];
    const waited: Promise<unknown>[] = [];
    const { mock, auth } = setup(
      { tokenLifetimeSeconds: lifetime, now: () => clock.t },
      { now: () => clock.t, onEvent: (e) => events.push(e), waitUntil: (p) => waited.push(p), ...options },
    );
    return { clock, events, waited, mock, auth };
  }

  it("refreshes in the background within the margin, callers keep the current token", async () => {
    const { clock, events, waited, mock, auth } = clocked(3600);
    const first = await auth.getToken();
    clock.t += (3600 - 299) * 1000; // inside the default 300 s margin
    expect(await auth.getToken()).toBe(first);
    expect(waited).toHaveLength(1);
    expect(await auth.getToken()).toBe(first); // still in flight: no second refresh
    await Promise.all(waited);
    const second = await auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(mock.stats.tokenRequests).toBe(2);
    expect(events).toContainEqual({ type: "refresh", reason: "expiring", background: true });
  });

  it("does not refresh before the margin", async () => {
    const { clock, mock, auth } = clocked(3600);
    await auth.getToken();
    clock.t += (3600 - 301) * 1000;
    await auth.getToken();
    expect(mock.stats.tokenRequests).toBe(1);
  });

  it("clamps the margin to half the lifetime of short tokens", async () => {
    const { clock, mock, auth, waited } = clocked(300); // margin 300 would refresh forever
    await auth.getToken();
    clock.t += 149_000;
    await auth.getToken();
    expect(mock.stats.tokenRequests).toBe(1);
    clock.t += 2_000;
    await auth.getToken();
    await Promise.all(waited);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("blocks on a refresh once the token has expired", async () => {
    const { clock, mock, auth } = clocked(3600);
    const first = await auth.getToken();
    clock.t += 3601 * 1000;
    const second = await auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(mock.stats.tokenRequests).toBe(2);
  });

  it("a failed background refresh is reported; callers keep the token and it backs off", async () => {
    const { clock, events, waited, mock, auth } = clocked(3600, { retry: { limit: 0 } });
    const first = await auth.getToken();
    clock.t += 3400 * 1000;
    mock.failNext("token", { status: 500 });
    expect(await auth.getToken()).toBe(first);
    await Promise.all(waited);
    const failure = events.find((e) => e.type === "refresh_failed");
    expect(failure && failure.type === "refresh_failed" && failure.error.code).toBe("server_error");
    expect(await auth.getToken()).toBe(first); // backing off: no new attempt yet
    expect(mock.stats.tokenRequests).toBe(2);
    clock.t += 31_000;
    await auth.getToken();
    await Promise.all(waited);
    expect(mock.stats.tokenRequests).toBe(3);
  });

  it("a clock jumping backwards keeps the cached token", async () => {
    const { clock, mock, auth } = clocked(3600);
    const first = await auth.getToken();
    clock.t -= 3_600_000;
    expect(await auth.getToken()).toBe(first);
    expect(mock.stats.tokenRequests).toBe(1);
  });
});

describe("createAuth: events and secrecy", () => {
  it("reports the lifecycle without the secret or the token", async () => {
    const events: AuthEvent[] = [];
    const { mock, auth } = setup({}, { onEvent: (e) => events.push(e) });
    mock.failNext("token", { status: 429, retryAfter: 0 });
    const token = await auth.getToken();
    await auth.getToken();
    await auth.invalidate();
    expect(events.map((e) => e.type)).toEqual([
      "refresh",
      "retry",
      "token_fetched",
      "cache_hit",
      "invalidated",
    ]);
    expect(events[1]).toMatchObject({ type: "retry", attempt: 1, delayMs: 0, status: 429 });
    const text = allViews(events);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(token.accessToken);
  });

  it("a throwing listener does not break getToken()", async () => {
    const { auth } = setup(
      {},
      {
        onEvent: () => {
          throw new Error("listener bug");
        },
      },
    );
    await expect(auth.getToken()).resolves.toBeDefined();
  });

  it("the token object hides the token from JSON, inspect, String and spread", async () => {
    const { auth } = setup();
    const token = await auth.getToken();
    expect(allViews(token)).not.toContain(token.accessToken);
    expect(JSON.stringify({ ...token })).not.toContain(token.accessToken);
    expect(JSON.parse(JSON.stringify(token))).toMatchObject({
      accessToken: "[redacted]",
      tokenType: "bearer",
    });
    const { accessToken } = token;
    expect(accessToken).toBe(token.accessToken);
  });

  it("auth and its errors never show the secret", async () => {
    const { auth } = setup({ clientSecret: "different" }, { clientSecret: SECRET });
    const error = await rejection(auth.getToken());
    expect(allViews(error)).not.toContain(SECRET);
    expect(allViews(auth)).not.toContain(SECRET);
  });
});

describe("browser guard", () => {
  function asBrowser<T>(fn: () => T): T {
    const g = globalThis as Record<string, unknown>;
    const saved = { process: g.process, window: g.window, document: g.document };
    g.window = g;
    g.document = {};
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    try {
      return fn();
    } finally {
      g.process = saved.process;
      delete g.window;
      delete g.document;
    }
  }

  it("refuses in a browser page without dangerouslyAllowBrowser", () => {
    const error = asBrowser(() =>
      rejectionSync(() => createAuth({ clientId: CLIENT_ID, clientSecret: SECRET })),
    );
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as GenesysAuthError).code).toBe("browser_not_allowed");
    expect((error as GenesysAuthError).hint).toContain("dangerouslyAllowBrowser");
  });

  it("allows it with dangerouslyAllowBrowser: true", () => {
    const auth = asBrowser(() =>
      createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, dangerouslyAllowBrowser: true }),
    );
    expect(auth.region).toBe("us-east-1");
  });
});

function rejectionSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
