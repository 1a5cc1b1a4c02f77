// The server code flow against the mock: sign-in, state rules, sessions, refresh with rotation and
// the rules for spending a single-use refresh token, sign-out.
import { describe, expect, it } from "vitest";
import { createClient, type GenesysAuthError, memoryStore, type TokenStore } from "../../src/index.ts";
import { allViews, rejection } from "../support/helpers.ts";
import { authorize, clock, codeFlowOn, signIn } from "../support/signin.ts";

const code = (error: unknown) => (error as GenesysAuthError).code;

describe("createCodeFlow: sign-in", () => {
  it("signs a user in: PKCE S256, Basic auth, a session whose token calls the API as the user", async () => {
    const time = clock();
    const { mock, flow, events } = codeFlowOn(time);
    const { url, state } = await flow.authorizationUrl({ state: "/reports?x=1", loginHint: "u@example.com" });
    const query = new URL(url).searchParams;
    expect(query.get("response_type")).toBe("code");
    expect(query.get("code_challenge_method")).toBe("S256");
    expect(query.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(query.get("login_hint")).toBe("u@example.com");
    expect(query.get("state")).toBe(state);
    expect(state.length).toBeGreaterThanOrEqual(32); // ≥ 128 random bits, and the app's state beside them
    const signedIn = await flow.exchange(await authorize(mock, url), { state });
    expect(signedIn.appState).toBe("/reports?x=1");
    expect(signedIn.sessionId).toMatch(/^[\w-]{32}$/);
    expect(signedIn.expiresAt).toBe(time.t + 3600_000);
    const me = await createClient({ auth: flow.session(signedIn.sessionId), fetch: mock.fetch })
      .get("api/v2/users/me")
      .json<{ name: string }>();
    expect(me.name).toBe(mock.signedInUser?.name);
    expect(events.map((e) => e.type)).toContain("signed_in");
    expect(allViews(signedIn)).not.toContain(mock.codeClient.secret);
  });

  it("checks state first: a different state is state_mismatch, also on an error redirect", async () => {
    const { mock, flow } = codeFlowOn(clock());
    const first = await flow.authorizationUrl();
    const callback = await authorize(mock, first.url);
    const second = await flow.authorizationUrl();
    expect(code(await rejection(flow.exchange(callback, { state: second.state })))).toBe("state_mismatch");
    expect(code(await rejection(flow.exchange(callback, {} as never)))).toBe("state_mismatch");
    mock.failNext("authorize", { error: "access_denied" });
    const denied = await flow.authorizationUrl();
    const deniedCallback = await authorize(mock, denied.url);
    expect(code(await rejection(flow.exchange(deniedCallback, { state: first.state })))).toBe(
      "state_mismatch",
    );
    const error = (await rejection(
      flow.exchange(deniedCallback, { state: denied.state }),
    )) as GenesysAuthError;
    expect(error.code).toBe("access_denied");
    expect(error.hint).toMatch(/sign in again/);
  });

  it("a code exchanged twice is invalid_grant (never state_mismatch), with the redirect-URI hint", async () => {
    const { mock, flow } = codeFlowOn(clock());
    const { url, state } = await flow.authorizationUrl();
    const callback = await authorize(mock, url);
    await flow.exchange(callback, { state });
    const error = (await rejection(flow.exchange(callback, { state }))) as GenesysAuthError;
    expect(error.code).toBe("invalid_grant");
    expect(error.hint).toMatch(/redirect URI must match/);
    expect(mock.stats.codeExchanges).toBe(1);
  });

  it("unknown callback parameters (iss, …) are ignored", async () => {
    const { mock, flow } = codeFlowOn(clock());
    const { url, state } = await flow.authorizationUrl();
    const callback = new URL(await authorize(mock, url));
    callback.searchParams.set("iss", "https://login.example");
    callback.searchParams.set("session_state", "x");
    expect((await flow.exchange(callback, { state })).sessionId).toBeTruthy();
  });

  it("session(id) never throws: an unknown or malformed id rejects login_required", async () => {
    const { flow, events } = codeFlowOn(clock());
    for (const id of ["nope", "x".repeat(32), "", "../../etc"]) {
      const auth = flow.session(id);
      expect(code(await rejection(auth.getToken()))).toBe("login_required");
    }
    expect(events.some((e) => e.type === "login_required")).toBe(true);
  });

  it("sessions are stored under a hash of their id, encrypted in a non-memory store", async () => {
    const map = new Map<string, string>();
    const store: TokenStore = { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) };
    const time = clock();
    const { mock, flow } = codeFlowOn(time, {}, { store, lock: memoryStore() });
    const { sessionId } = await signIn(mock, flow);
    const [[key, value]] = [...map.entries()] as [[string, string]];
    expect(key).not.toContain(sessionId);
    expect(value).toMatch(/^v1\./);
    const token = (await flow.session(sessionId).getToken()).accessToken;
    expect(value).not.toContain(token);
  });
});

describe("createCodeFlow: refresh", () => {
  it("refreshes before expiry with the refresh token; the rotated one replaces it", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    const auth = flow.session(sessionId);
    const first = await auth.getToken();
    time.t += 3600_000 - 60_000; // inside the margin (clamped to half the lifetime: 30 min)
    expect(await auth.getToken()).toBe(first); // served while the background refresh runs
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(mock.stats.refreshes).toBe(1);
    time.t += 3600_000;
    const third = await auth.getToken();
    expect(third.accessToken).not.toBe(second.accessToken);
    expect(mock.stats.refreshes).toBe(2);
    expect(mock.stats.refreshReuseRefused).toBe(0);
  });

  it("a refused refresh token deletes the session and rejects login_required", async () => {
    const time = clock();
    const { mock, flow, events } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    mock.revokeRefreshTokens();
    time.t += 3600_000;
    const error = (await rejection(flow.session(sessionId).getToken())) as GenesysAuthError;
    expect(error.code).toBe("login_required");
    expect(events).toContainEqual({ type: "login_required", reason: "refused" });
    // The session is gone: a new engine (another instance) finds nothing either.
    const { flow: other } = codeFlowOn(time, {}, {}, [], mock);
    expect(code(await rejection(other.session(sessionId).getToken()))).toBe("login_required");
  });

  it("a lost refresh answer (the token spent, the answer never seen) gets one more attempt", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time, { refreshTokens: "reuse" });
    const { sessionId } = await signIn(mock, flow);
    time.t += 3600_000;
    mock.failNext("token", { networkError: true, grant: "refresh_token", afterProcessing: true });
    expect((await flow.session(sessionId).getToken()).accessToken).toBeTruthy();
    expect(mock.stats.refreshes).toBe(2);
  });

  it("with rotating tokens, a lost answer ends in login_required (the token was spent), not a loop", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    time.t += 3600_000;
    mock.failNext("token", { networkError: true, grant: "refresh_token", afterProcessing: true });
    expect(code(await rejection(flow.session(sessionId).getToken()))).toBe("login_required");
    expect(mock.stats.refreshes).toBe(1);
    expect(mock.stats.refreshReuseRefused).toBe(1);
  });

  it("a refresh is retried after a 429 only", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    time.t += 3600_000;
    mock.failNext("token", { status: 429, retryAfter: 0, grant: "refresh_token" });
    expect((await flow.session(sessionId).getToken()).accessToken).toBeTruthy();
    mock.failNext("token", { status: 503, retryAfter: 0, grant: "refresh_token" }, 2);
    time.t += 3600_000;
    // 503: maybe spent → the store still holds the same refresh token → one more attempt → 503 again
    expect(code(await rejection(flow.session(sessionId).getToken()))).toBe("server_error");
  });

  it("invalidate() drops only the access token: the next call refreshes, the session stays", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    const auth = flow.session(sessionId);
    const first = await auth.getToken();
    await auth.invalidate(first);
    const second = await auth.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(mock.stats.refreshes).toBe(1);
  });

  it("the client's 401 replay renews a user's revoked token through the refresh token", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    const api = createClient({ auth: flow.session(sessionId), fetch: mock.fetch });
    await api.get("api/v2/users/me").json();
    const token = await flow.session(sessionId).getToken();
    await mock.fetch("http://127.0.0.1:1/api/v2/tokens/me", {
      method: "DELETE",
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    await api.get("api/v2/users/me").json();
    expect(mock.stats.refreshes).toBe(1);
  });

  it("no refresh token issued (the org's inactivity timeout): the session ends at expiry", async () => {
    const time = clock();
    const { mock, flow } = codeFlowOn(time, { refreshTokens: "none" });
    const { sessionId } = await signIn(mock, flow);
    expect((await flow.session(sessionId).getToken()).accessToken).toBeTruthy();
    time.t += 3600_000;
    expect(code(await rejection(flow.session(sessionId).getToken()))).toBe("login_required");
  });
});

describe("createCodeFlow: a fleet sharing one store and lock", () => {
  it("8 instances hit an expiring session at once: 1 refresh POST, all get the new token, nobody signed out", async () => {
    const time = clock();
    const shared = memoryStore({ now: time.now });
    const first = codeFlowOn(time, {}, { store: shared, lock: shared });
    const { sessionId } = await signIn(first.mock, first.flow);
    const fleet = Array.from({ length: 8 }, () =>
      codeFlowOn(time, {}, { store: shared, lock: shared }, [], first.mock),
    );
    await Promise.all(fleet.map(({ flow }) => flow.session(sessionId).getToken())); // all warm
    time.t += 3600_000; // expired everywhere
    const tokens = await Promise.all(fleet.map(({ flow }) => flow.session(sessionId).getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(first.mock.stats.refreshes).toBe(1);
    expect(first.mock.stats.refreshReuseRefused).toBe(0);
  });
});

describe("createCodeFlow: a refresh never runs without the lock", () => {
  it("a lock that fails: the renewal is refused (server_error), nothing is spent, the session is kept", async () => {
    const time = clock();
    const shared = memoryStore({ now: time.now });
    let broken = false;
    const lock = {
      tryAcquire: (name: string, ttl: number) =>
        broken ? Promise.reject(new Error("lock backend down")) : shared.tryAcquire(name, ttl),
    };
    const { mock, flow } = codeFlowOn(time, {}, { store: shared, lock });
    const { sessionId } = await signIn(mock, flow);
    broken = true;
    time.t += 3600_000;
    expect(code(await rejection(flow.session(sessionId).getToken()))).toBe("server_error");
    expect(mock.stats.refreshes).toBe(0);
    broken = false;
    expect((await flow.session(sessionId).getToken()).accessToken).toBeTruthy();
    expect(mock.stats.refreshes).toBe(1);
  });

  it("a holder that died: the waiter takes the lock again once its lease ends, then renews once", async () => {
    const time = clock();
    const shared = memoryStore(); // leases on the real clock
    const { mock, flow } = codeFlowOn(
      time,
      {},
      { store: shared, lock: shared, timeoutMs: 300, retry: { limit: 0 } },
    );
    const { sessionId } = await signIn(mock, flow);
    time.t += 3600_000;
    const leases: string[] = [];
    const spy = {
      tryAcquire: async (name: string, ttl: number) => {
        leases.push(name);
        return shared.tryAcquire(name, ttl);
      },
    };
    const { flow: other } = codeFlowOn(
      time,
      {},
      { store: shared, lock: spy, timeoutMs: 300, retry: { limit: 0 } },
      [],
      mock,
    );
    await other.session(sessionId).getToken(); // learns the lock's name
    time.t += 3600_000;
    await shared.tryAcquire(leases[0] as string, 1_000); // someone took it and died
    const started = performance.now();
    expect((await flow.session(sessionId).getToken()).accessToken).toBeTruthy();
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(mock.stats.refreshes).toBe(2);
  });
});

describe("createCodeFlow: a bad day for the store and the lock", () => {
  it("a holder waiting out a Retry-After keeps its lease: the waiter never spends the same refresh token", async () => {
    const time = clock();
    const shared = memoryStore(); // leases on the real clock
    const options = { store: shared, lock: shared, timeoutMs: 100, retry: { limit: 1 } };
    const { mock, flow: a } = codeFlowOn(time, {}, options);
    const { sessionId } = await signIn(mock, a);
    const { flow: b } = codeFlowOn(time, {}, options, [], mock);
    time.t += 3600_000;
    mock.failNext("token", { status: 429, retryAfter: 2, grant: "refresh_token" });
    const first = a.session(sessionId).getToken();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = b.session(sessionId).getToken(); // waits for the holder, longer than 100 ms × 2 + backoff
    const [ta, tb] = await Promise.all([first, second]);
    expect(tb.accessToken).toBe(ta.accessToken);
    expect(mock.stats.refreshReuseRefused).toBe(0);
    expect(mock.stats.refreshes).toBe(1);
  });

  it("a session write that fails after a rotation: the next refresh uses the newer token this instance holds", async () => {
    const time = clock();
    const inner = memoryStore({ now: time.now });
    let failSets = 0;
    const store = {
      get: (k: string) => inner.get(k),
      set: (k: string, v: string, o: { ttlMs: number }) =>
        failSets-- > 0 ? Promise.reject(new Error("store down")) : inner.set(k, v, o),
      delete: (k: string) => inner.delete?.(k) ?? Promise.resolve(),
      tryAcquire: (n: string, t: number) => inner.tryAcquire(n, t),
    };
    const { mock, flow } = codeFlowOn(time, {}, { store, lock: store });
    const { sessionId } = await signIn(mock, flow);
    const auth = flow.session(sessionId);
    time.t += 3600_000;
    failSets = 1; // the rotated refresh token does not reach the store
    await auth.getToken();
    time.t += 3600_000;
    const renewed = await auth.getToken(); // must renew with the rotated token held in memory
    expect(renewed.accessToken).toBeTruthy();
    expect(mock.stats.refreshReuseRefused).toBe(0);
    expect(mock.stats.refreshes).toBe(2);
  });

  it("a session that cannot be stored is an error from exchange, not a session id", async () => {
    const store = {
      get: async () => null,
      set: () => Promise.reject(new Error("store down")),
      tryAcquire: async () => ({ release: async () => {} }),
    };
    const { mock, flow } = codeFlowOn(clock(), {}, { store, lock: store });
    const { url, state } = await flow.authorizationUrl();
    const error = (await rejection(flow.exchange(await authorize(mock, url), { state }))) as GenesysAuthError;
    expect(error.code).toBe("server_error");
  });
});

describe("createCodeFlow: sessions are safe in any store", () => {
  it("a shared store without a lock, or with encryption off, is refused", () => {
    const store: TokenStore = { get: async () => null, set: async () => {} };
    for (const bad of [{ store }, { store, lock: memoryStore(), encryption: false as const }]) {
      try {
        codeFlowOn(clock(), {}, bad);
        throw new Error("accepted");
      } catch (error) {
        expect(code(error)).toBe("invalid_config");
      }
    }
  });

  it("a plain (in-process) entry moved to another user's key, or changed, is refused", async () => {
    const map = new Map<string, string>();
    const store = Object.assign(memoryStore(), {
      [Symbol.for("genesys-cloud-auth.in-process")]: true,
      get: async (k: string) => map.get(k) ?? null,
      set: async (k: string, v: string) => void map.set(k, v),
      delete: async (k: string) => void map.delete(k),
    });
    const time = clock();
    const { mock, flow } = codeFlowOn(time, {}, { store, lock: store });
    mock.signInAs(mock.users[0] as never);
    const alice = await signIn(mock, flow);
    const [aliceKey] = [...map.keys()] as [string];
    mock.signInAs(mock.users[1] as never);
    const bob = await signIn(mock, flow);
    const bobKey = [...map.keys()].find((k) => k !== aliceKey) as string;
    expect(map.get(aliceKey)).toMatch(/^p1\./);
    map.set(bobKey, map.get(aliceKey) as string); // Bob's key, Alice's entry
    const { flow: other } = codeFlowOn(time, {}, { store, lock: store }, [], mock);
    expect(code(await rejection(other.session(bob.sessionId).getToken()))).toBe("login_required");
    const flipped = (map.get(aliceKey) as string).replace(
      /"e":(\d)/,
      (_m, d) => `"e":${(Number(d) + 1) % 10}`,
    );
    map.set(aliceKey, flipped);
    expect(code(await rejection(other.session(alice.sessionId).getToken()))).toBe("login_required");
  });
});

describe("createCodeFlow: sign-out", () => {
  it("revokes the token and deletes the session", async () => {
    const time = clock();
    const { mock, flow, events } = codeFlowOn(time);
    const { sessionId } = await signIn(mock, flow);
    const token = await flow.session(sessionId).getToken();
    await flow.signOut(sessionId);
    expect(code(await rejection(flow.session(sessionId).getToken()))).toBe("login_required");
    const after = await mock.fetch("http://127.0.0.1:1/api/v2/users/me", {
      headers: { authorization: `Bearer ${token.accessToken}` },
    });
    expect(after.status).toBe(401);
    expect(events.map((e) => e.type)).toContain("signed_out");
    expect(flow.logoutUrl("https://app.example/bye")).toBe(
      "http://127.0.0.1:1/logout?client_id=mock-code-client-id&redirect_uri=https%3A%2F%2Fapp.example%2Fbye",
    );
  });
});

describe("createCodeFlow: options", () => {
  it("refuses bad options with invalid_config, never quoting the secret", () => {
    for (const bad of [
      { redirectUri: "https://app.example/cb#frag" },
      { redirectUri: "http://app.example/cb" },
      { clientSecret: " padded " },
      { pkce: "yes" },
      { sessionTtlSeconds: 10 },
    ]) {
      try {
        codeFlowOn(clock(), {}, bad as never);
        throw new Error(`accepted ${JSON.stringify(bad)}`);
      } catch (error) {
        expect(code(error)).toBe("invalid_config");
        expect(allViews(error)).not.toContain("padded");
      }
    }
  });
});
