// Hostile and mistaken input: a polluted Object.prototype, secrets in the wrong option, huge or
// look-alike values, and option values that pass a type check but cannot work. Each gets a clear
// invalid_config (or is ignored), never a leak, a raw TypeError or seconds of work.
import { afterEach, describe, expect, it } from "vitest";
import {
  createAuth,
  createClient,
  createCodeFlow,
  fromEnv,
  GenesysAuthError,
  getOrganization,
  getTokenInfo,
  memoryStore,
  resolveRegion,
} from "../../src/index.ts";
import { denoKvStore } from "../../src/store/deno-kv.ts";
import { redisStore } from "../../src/store/redis.ts";
import { createMockGenesys } from "../../src/testing/index.ts";
import { allViews, CLIENT_ID, rejection, SECRET } from "../support/helpers.ts";

const proto = Object.prototype as Record<string, unknown>;
const polluted: string[] = [];
function pollute(key: string, value: unknown): void {
  proto[key] = value; // enumerable, as a real prototype-pollution bug makes it
  polluted.push(key);
}
afterEach(() => {
  for (const key of polluted.splice(0)) delete proto[key];
});

function configError(run: () => unknown): GenesysAuthError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as GenesysAuthError).code).toBe("invalid_config");
    return error as GenesysAuthError;
  }
  throw new Error("expected invalid_config");
}

describe("options whose getters throw", () => {
  it("an auth or a fetch behind a throwing getter or Proxy is invalid_config, not a raw error", () => {
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error("trap");
        },
      },
    );
    const error = configError(() => createClient({ auth: trap as never }));
    expect(error.message).toContain('"auth"');
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET });
    const options = Object.defineProperty({ auth }, "fetch", {
      enumerable: true,
      get() {
        throw new Error("getter");
      },
    });
    expect(configError(() => createClient(options)).message).toContain('"fetch"');
    const proxied = new Proxy(
      { clientId: CLIENT_ID, clientSecret: SECRET },
      {
        get: () => {
          throw new Error("trap");
        },
      },
    );
    configError(() => createAuth(proxied));
  });
});

describe("a polluted Object.prototype is never read as an option", () => {
  it("createAuth: inherited loginUrl, apiUrl, fetch and region are ignored; an unrelated key too", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const urls: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return mock.fetch(input, init);
    }) as typeof globalThis.fetch;
    pollute("loginUrl", "http://127.0.0.1:9/evil");
    pollute("apiUrl", "http://127.0.0.1:9/evil");
    pollute("region", "mypurecloud.de");
    pollute("clientAuthentication", "body");
    pollute("unrelated", 1);
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch });
    expect(auth.loginUrl).toBe("https://login.mypurecloud.com");
    expect(auth.apiUrl).toBe("https://api.mypurecloud.com");
    await auth.getToken();
    expect(urls).toEqual(["https://login.mypurecloud.com/oauth/token"]);
  });

  it("an inherited store or lock is never adopted", async () => {
    const seen: string[] = [];
    pollute("store", { get: async () => null, set: async (key: string) => void seen.push(key) });
    pollute("lock", { tryAcquire: async () => null });
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    await createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch }).getToken();
    const flow = createCodeFlow({
      clientId: mock.codeClient.id,
      clientSecret: mock.codeClient.secret,
      redirectUri: mock.codeClient.redirectUris[0] as string,
      fetch: mock.fetch,
    });
    await flow.authorizationUrl();
    expect(seen).toEqual([]);
  });

  it("createAuth: inherited nested options (retry, encryption) are ignored", async () => {
    pollute("limit", 10);
    pollute("key", "a-passphrase-of-enough-length");
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch, retry: {} });
    mock.failNext("token", { status: 503, retryAfter: 0 }, 9);
    await rejection(auth.getToken());
    expect(mock.stats.tokenRequests).toBe(4); // the default 3 retries, not the inherited 10
  });

  it("token responses: inherited fields are not read as the answer's", async () => {
    pollute("scope", "admin everything");
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const token = await createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch: mock.fetch,
    }).getToken();
    expect(token.scopes).toBeUndefined();
    pollute("access_token", "planted");
    mock.failNext("token", { status: 200, body: { token_type: "bearer", expires_in: 3600 } });
    const error = (await rejection(
      createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch }).getToken(),
    )) as GenesysAuthError;
    expect(error.code).toBe("invalid_token_response");
  });

  it("createClient: an inherited prefixUrl or fetch does not redirect the bearer", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const auth = createAuth({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch: mock.fetch,
      apiUrl: "http://127.0.0.1:1",
    });
    pollute("prefixUrl", "http://127.0.0.1:9/evil/");
    pollute("fetch", () => Promise.reject(new Error("the polluted fetch was called")));
    const api = createClient({ auth, fetch: mock.fetch });
    expect((await api.get("api/v2/organizations/me").json<{ name: string }>()).name).toBe("Mock Org");
  });

  it("typed API helpers still validate answers (no TypeError from a planted schema key)", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    const api = createClient({
      auth: createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch }),
      fetch: mock.fetch,
    });
    pollute("planted", "not a schema");
    expect((await getOrganization(api)).name).toBe("Mock Org");
    expect((await getTokenInfo(api)).OAuthClient?.id).toBe(CLIENT_ID);
  });

  // (ky builds its hook lists on plain objects of its own: a planted hook list still reaches them.)
  it("ky's options (parsing, throwing, cookies) are not read from the prototype", async () => {
    const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
    pollute("parseJson", "not a function");
    pollute("throwHttpErrors", false);
    pollute("credentials", "include");
    const auth = createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, fetch: mock.fetch });
    const api = createClient({ auth, fetch: mock.fetch });
    expect((await api.get("api/v2/organizations/me").json<{ name: string }>()).name).toBe("Mock Org");
    const wrong = createAuth({
      clientId: CLIENT_ID,
      clientSecret: "a-wrong-secret-of-length",
      fetch: mock.fetch,
    });
    expect(((await rejection(wrong.getToken())) as GenesysAuthError).code).toBe("invalid_client");
    mock.failNext("api", { status: 404 });
    expect(await rejection(api.get("api/v2/users/nobody").json())).toMatchObject({ name: "HTTPError" });
  });

  it("sign-in: inherited authorize parameters and exchange state are not read", async () => {
    const mock = createMockGenesys();
    const flow = createCodeFlow({
      clientId: mock.codeClient.id,
      clientSecret: mock.codeClient.secret,
      redirectUri: mock.codeClient.redirectUris[0] as string,
      fetch: mock.fetch,
    });
    pollute("org", "evil-org");
    pollute("prompt", "login");
    pollute("state", "planted");
    const { url } = await flow.authorizationUrl({});
    const query = new URL(url).searchParams;
    expect(query.has("org")).toBe(false);
    expect(query.has("prompt")).toBe(false);
    expect(query.get("state")).not.toBe("planted");
    const error = (await rejection(
      flow.exchange(`${mock.codeClient.redirectUris[0]}?code=x&state=planted`, {} as never),
    )) as GenesysAuthError;
    expect(error.code).toBe("state_mismatch");
  });

  it("fromEnv: inherited variables are not read", () => {
    pollute("GENESYS_LOGIN_URL", "http://127.0.0.1:9/evil");
    pollute("GENESYS_REGION", "mypurecloud.de");
    pollute("GENESYS_CLIENT_SECRET", "inherited-secret");
    const options = fromEnv({ GENESYS_CLIENT_ID: "id", GENESYS_CLIENT_SECRET: "own-secret" });
    expect(options).toEqual({ clientId: "id", clientSecret: "own-secret" });
    configError(() => fromEnv({ GENESYS_CLIENT_ID: "id" }));
  });

  it("store factories: inherited prefix and clock are not read", async () => {
    pollute("prefix", "evil:");
    pollute("now", () => 0);
    const keys: string[] = [];
    const redis = {
      get: async (key: string) => {
        keys.push(key);
        return null;
      },
      set: async () => "OK",
      del: async () => 1,
      eval: async () => 1,
    };
    await redisStore(redis, {}).get("k");
    expect(keys).toEqual(["k"]);
    const kvKeys: unknown[] = [];
    const kv = {
      get: async (key: unknown) => {
        kvKeys.push(key);
        return { value: null, versionstamp: null };
      },
      set: async () => ({}),
      delete: async () => {},
      atomic: () => {
        throw new Error("unused");
      },
    };
    await denoKvStore(kv as never, {}).get("k");
    expect(kvKeys).toEqual([["genesys-cloud-auth", "token", "k"]]);
    const store = memoryStore({});
    await store.set("k", "v", { ttlMs: 60_000 });
    expect(await store.get("k")).toBe("v"); // a clock stuck at 0 would make it expire at once... or never
  });
});

describe("values that may be secrets are never quoted", () => {
  it("a secret passed as region is not in the error", () => {
    const error = configError(() =>
      createAuth({ clientId: CLIENT_ID, clientSecret: SECRET, region: SECRET }),
    );
    expect(allViews(error)).not.toContain(SECRET);
    expect(error.message).toMatch(/region/);
  });

  it("a secret passed as the region variable is not in fromEnv's error, nor are disagreeing values", () => {
    const error = configError(() =>
      fromEnv({ GENESYS_CLIENT_ID: "id", GENESYS_CLIENT_SECRET: "x", GENESYS_REGION: SECRET }),
    );
    expect(allViews(error)).not.toContain(SECRET);
    const disagree = configError(() =>
      fromEnv({
        GENESYS_CLIENT_ID: "id",
        GENESYS_CLIENT_SECRET: "x",
        GENESYS_API_URL: "https://a.example",
        GENESYS_LOGIN_URL: "https://b.example",
        GENESYS_REGION: "eu-west-1",
        GENESYS_CLOUD_REGION: SECRET,
      }),
    );
    expect(allViews(disagree)).not.toContain(SECRET);
  });

  it("unknown option names are quoted only when short and ASCII", () => {
    const short = configError(() =>
      createAuth({ clientId: "a", clientSecret: "b", clientSecert: "x" } as never),
    );
    expect(short.message).toContain('"clientSecert"');
    for (const name of [SECRET.repeat(3), "naïve-option", "bad\u001b[31mname"]) {
      const error = configError(() => createAuth({ clientId: "a", clientSecret: "b", [name]: 1 } as never));
      expect(allViews(error)).not.toContain(name);
    }
  });

  it("a million-character region fails at once, with a short message", () => {
    const started = performance.now();
    const error = configError(() => resolveRegion("x".repeat(1_000_000)));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.message.length).toBeLessThan(300);
    expect(error.hint.length).toBeLessThan(1_000);
  });
});

describe("only Genesys' own domain families are regions", () => {
  it.each([
    "mypurecloud.co",
    "mypurecloud.con",
    "mypurecloud.xyz",
    "mypurecloud.com.co",
    "mypurecloud.ie.evil.example",
    "use2.usgov-pure.cloud",
    "https://api.mypurecloud.co",
    "api.mypurecloud.co",
  ])("%s is refused with a suggestion", (region) => {
    const error = configError(() => resolveRegion(region));
    expect(error.message).toMatch(/Did you mean/);
  });

  it.each(["x.evil-pure.cloud", "pure.cloud.evil.example", "mypurecloud.com-login.example"])(
    "%s is refused",
    (region) => {
      configError(() => resolveRegion(region));
    },
  );

  it.each([
    ["mypurecloud.com", "us-east-1"],
    ["mypurecloud.com.au", "ap-southeast-2"],
    ["mypurecloud.jp", "ap-northeast-1"],
    ["newr1.pure.cloud", "newr1.pure.cloud"],
    ["use3.us-gov-pure.cloud", "use3.us-gov-pure.cloud"],
    ["edew1.eusc-pure.cloud", "edew1.eusc-pure.cloud"],
  ])("%s resolves (%s)", (region, id) => {
    expect(resolveRegion(region).id).toBe(id);
  });

  it("GENESYS_ENV_URL with a look-alike domain is refused", () => {
    configError(() =>
      fromEnv({
        GENESYS_CLIENT_ID: "a",
        GENESYS_CLIENT_SECRET: "b",
        GENESYS_ENV_URL: "https://api.mypurecloud.co",
      }),
    );
  });
});

describe("values that pass a type check but cannot work are refused up front", () => {
  it.each([
    ["a query", "https://login.example.com/?x=1"],
    ["a fragment", "https://login.example.com/#x"],
    ["credentials", "https://user:pass@login.example.com"],
  ])("loginUrl or apiUrl with %s", (_what, url) => {
    configError(() => createAuth({ clientId: "a", clientSecret: "b", loginUrl: url }));
    configError(() => createAuth({ clientId: "a", clientSecret: "b", apiUrl: url }));
  });

  it.each([
    ["a Date", () => new Date()],
    ["NaN", () => Number.NaN],
    ["a string", () => "1700000000000"],
    ["Infinity", () => Number.POSITIVE_INFINITY],
  ])("now returning %s", (_what, now) => {
    configError(() => createAuth({ clientId: "a", clientSecret: "b", now: now as () => number }));
  });

  it("encryption keys: HMAC, AES-CBC, AES-GCM-128 and keys without the needed usages are refused", async () => {
    const subtle = crypto.subtle;
    const refused = [
      await subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
      await subtle.generateKey({ name: "AES-CBC", length: 256 }, false, ["encrypt", "decrypt"]),
      await subtle.generateKey({ name: "AES-GCM", length: 128 }, false, ["encrypt", "decrypt"]),
      await subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]),
      await subtle.importKey("raw", new Uint8Array(32), "HKDF", false, ["deriveBits"]),
    ];
    for (const key of refused) {
      configError(() => createAuth({ clientId: "a", clientSecret: "b", encryption: { key } }));
    }
    const accepted = [
      await subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]),
      await subtle.importKey("raw", new Uint8Array(32), "HKDF", false, ["deriveKey"]),
    ];
    for (const key of accepted) createAuth({ clientId: "a", clientSecret: "b", encryption: { key } });
  });

  it.each([0.001, 1, 9.5])(
    "a token that lives %s s is refused as invalid_token_response",
    async (expiresIn) => {
      const mock = createMockGenesys({ clientId: CLIENT_ID, clientSecret: SECRET });
      mock.failNext("token", {
        status: 200,
        body: { access_token: "tok", token_type: "bearer", expires_in: expiresIn },
      });
      const auth = createAuth({
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        fetch: mock.fetch,
        retry: { limit: 0 },
      });
      const error = (await rejection(auth.getToken())) as GenesysAuthError;
      expect(error.code).toBe("invalid_token_response");
      expect(error.message).toMatch(/expires_in/);
    },
  );
});
