import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES } from "../../src/env.ts";
import { createAuth, fromEnv, GenesysAuthError } from "../../src/index.ts";
import { allViews, CLIENT_ID, SECRET } from "../support/helpers.ts";

function configError(fn: () => unknown): GenesysAuthError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as GenesysAuthError).code).toBe("invalid_config");
    expect(allViews(error)).not.toContain(SECRET);
    return error as GenesysAuthError;
  }
  throw new Error("expected invalid_config");
}

const base = { clientId: CLIENT_ID, clientSecret: SECRET };

describe("createAuth options", () => {
  it("accepts the minimal options and resolves the default region", () => {
    const auth = createAuth(base);
    expect(auth.region).toBe("us-east-1");
    expect(auth.loginUrl).toBe("https://login.mypurecloud.com");
    expect(auth.apiUrl).toBe("https://api.mypurecloud.com");
  });

  it("resolves region and explicit URL overrides (trailing slash dropped)", () => {
    const auth = createAuth({ ...base, region: "mypurecloud.ie", loginUrl: "http://127.0.0.1:8080/" });
    expect(auth.region).toBe("eu-west-1");
    expect(auth.loginUrl).toBe("http://127.0.0.1:8080");
    expect(auth.apiUrl).toBe("https://api.mypurecloud.ie");
  });

  it.each([
    [{ clientId: "" }, /"clientId": must not be empty/],
    [{ clientSecret: "   " }, /"clientSecret": must not be empty or blank/],
    [{ clientSecret: `${SECRET} ` }, /"clientSecret": has leading or trailing whitespace/],
    [{ clientSecret: 42 }, /"clientSecret": must be a string/],
    [{ region: "api.eu.mypurecloud.com" }, /Did you mean eu-west-1/],
    [{ loginUrl: "http://login.mypurecloud.com" }, /"loginUrl": must be an https:\/\/ URL/],
    [{ apiUrl: "http://10.0.0.1" }, /"apiUrl": .*loopback/],
    [{ scopes: ["users:readonly", "a b"] }, /"scopes.1": must be non-empty strings without spaces/],
    [{ clientAuthentication: "header" }, /"clientAuthentication": must be "basic" or "body"/],
    [{ timeoutMs: 0 }, /"timeoutMs": must be >= 1/],
    [{ retry: { limit: 99 } }, /"retry.limit": must be <= 10/],
    [{ retry: { limt: 2 } }, /"retry.limt": has an unknown key/],
    [{ refreshMarginSeconds: -1 }, /"refreshMarginSeconds": must be >= 0/],
    [{ store: { get() {} } }, /"store": must be a TokenStore/],
    [{ encryption: { key: "short" } }, /"encryption": must be false or/],
    [{ encryption: { key: "0123456789abcdef", salt: "x" } }, /"encryption": must be false or/],
    [{ encryption: true }, /"encryption": must be false or/],
    [{ clientSecert: SECRET }, /known: clientId, clientSecret, region, .*, now\)/],
    [{ clientSecert: SECRET }, /"clientSecert": is not a createAuth option/],
  ])("refuses %j with a clear message", (patch, message) => {
    const error = configError(() => createAuth({ ...base, ...(patch as object) } as never));
    expect(error.message).toMatch(message);
  });

  it("accepts loopback http URLs in every spelling", () => {
    for (const url of [
      "http://localhost:3000",
      "http://127.0.0.1",
      "http://127.9.9.9:1",
      "http://[::1]:8080",
    ]) {
      expect(createAuth({ ...base, loginUrl: url, apiUrl: url }).loginUrl).toBe(url);
    }
  });

  it("serialises and inspects without the secret", () => {
    const auth = createAuth(base);
    expect(allViews(auth)).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(auth))).toEqual({
      apiUrl: "https://api.mypurecloud.com",
      loginUrl: "https://login.mypurecloud.com",
      region: "us-east-1",
    });
  });
});

describe("fromEnv", () => {
  it.each([
    [{ GENESYS_CLIENT_ID: "a", GENESYS_CLIENT_SECRET: "b", GENESYS_ENV_URL: "https://api.mypurecloud.ie" }],
    [
      {
        GENESYSCLOUD_OAUTHCLIENT_ID: "a",
        GENESYSCLOUD_OAUTHCLIENT_SECRET: "b",
        GENESYSCLOUD_REGION: "https://api.mypurecloud.ie",
      },
    ],
    [
      {
        GENESYS_CLOUD_CLIENT_ID: "a",
        GENESYS_CLOUD_CLIENT_SECRET: "b",
        GENESYS_CLOUD_REGION: "https://api.mypurecloud.ie",
      },
    ],
  ])("reads each naming family: %j", (env) => {
    const options = fromEnv(env);
    expect(options).toEqual({ clientId: "a", clientSecret: "b", region: "https://api.mypurecloud.ie" });
    expect(createAuth(options).region).toBe("eu-west-1");
  });

  it("reads overrides and scopes, trimming .env debris", () => {
    expect(
      fromEnv({
        GENESYS_CLIENT_ID: " id\r",
        GENESYS_CLIENT_SECRET: "secret\t",
        GENESYS_LOGIN_URL: "http://127.0.0.1:9999",
        GENESYS_API_URL: "http://127.0.0.1:9999",
        GENESYS_SCOPES: "users:readonly, organization:readonly  analytics",
      }),
    ).toEqual({
      clientId: "id",
      clientSecret: "secret",
      loginUrl: "http://127.0.0.1:9999",
      apiUrl: "http://127.0.0.1:9999",
      scopes: ["users:readonly", "organization:readonly", "analytics"],
    });
  });

  it("names the missing variable and the alternatives it looked for", () => {
    const error = configError(() => fromEnv({ GENESYS_CLIENT_ID: "a" }));
    expect(error.message).toBe(
      "Environment variable GENESYS_CLIENT_SECRET is not set (also looked for GENESYS_CLOUD_CLIENT_SECRET, GENESYSCLOUD_OAUTHCLIENT_SECRET).",
    );
  });

  it("refuses a blank value, naming it", () => {
    expect(
      configError(() => fromEnv({ GENESYS_CLIENT_ID: "a", GENESYS_CLOUD_CLIENT_SECRET: "  " })).message,
    ).toContain("GENESYS_CLOUD_CLIENT_SECRET is set but empty");
  });

  it("refuses two families that disagree, without echoing secrets", () => {
    const error = configError(() =>
      fromEnv({
        GENESYS_CLIENT_ID: "a",
        GENESYS_CLIENT_SECRET: SECRET,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: `${SECRET}x`,
      }),
    );
    expect(error.message).toContain("GENESYS_CLIENT_SECRET and GENESYSCLOUD_OAUTHCLIENT_SECRET");
    expect(error.message).toContain("different values");
  });

  it("accepts a region named in two spellings by two families", () => {
    expect(
      fromEnv({ ...creds, GENESYS_REGION: "eu-west-1", GENESYS_ENV_URL: "https://api.mypurecloud.ie" })
        .region,
    ).toBe("eu-west-1");
    expect(
      configError(() =>
        fromEnv({ ...creds, GENESYS_REGION: "eu-west-1", GENESYS_ENV_URL: "https://api.mypurecloud.de" }),
      ).message,
    ).toContain("GENESYS_REGION and GENESYS_ENV_URL are both set");
  });

  it("names the variable holding a bad region or URL", () => {
    expect(
      configError(() => fromEnv({ ...creds, GENESYS_ENV_URL: "https://api.eu.mypurecloud.com" })).message,
    ).toMatch(/^GENESYS_ENV_URL: .*Did you mean eu-west-1/);
    expect(configError(() => fromEnv({ ...creds, GENESYS_LOGIN_URL: "http://example.com" })).message).toMatch(
      /^GENESYS_LOGIN_URL must be an https/,
    );
  });

  it("defaults to process.env", () => {
    process.env.GENESYS_CLIENT_ID = "from-process";
    process.env.GENESYS_CLIENT_SECRET = "x";
    try {
      expect(fromEnv().clientId).toBe("from-process");
    } finally {
      delete process.env.GENESYS_CLIENT_ID;
      delete process.env.GENESYS_CLIENT_SECRET;
    }
  });

  it("property: any env either yields valid createAuth options or an invalid_config error without the secret", () => {
    const names = Object.values(ENV_VARIABLES).flat();
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom("eu-west-1", "https://api.mypurecloud.de", " x ", "", SECRET),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value), (env) => {
        try {
          const options = fromEnv(env);
          expect(options.clientId.trim()).toBe(options.clientId);
          expect(options.clientId).not.toBe("");
          createAuth(options);
        } catch (error) {
          expect(error).toBeInstanceOf(GenesysAuthError);
          expect((error as GenesysAuthError).code).toBe("invalid_config");
          const secretOnlyInSecretVariables = Object.entries(env).every(
            ([name, v]) => v !== SECRET || (ENV_VARIABLES.clientSecret as readonly string[]).includes(name),
          );
          if (secretOnlyInSecretVariables) {
            expect((error as Error).message).not.toContain(SECRET);
          }
        }
      }),
    );
  });
});

const creds = { GENESYS_CLIENT_ID: "a", GENESYS_CLIENT_SECRET: "b" };
