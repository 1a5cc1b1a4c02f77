import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GenesysAuthError, REGIONS, resolveRegion } from "../../src/index.ts";

describe("resolveRegion", () => {
  it("has every region of GENESYS.md, with the EU1 host right", () => {
    expect(Object.keys(REGIONS)).toHaveLength(18);
    expect(REGIONS["eu-west-1"]?.domain).toBe("mypurecloud.ie");
    expect(resolveRegion("eu-west-1")).toEqual({
      id: "eu-west-1",
      domain: "mypurecloud.ie",
      apiUrl: "https://api.mypurecloud.ie",
      loginUrl: "https://login.mypurecloud.ie",
    });
  });

  it("defaults to us-east-1", () => {
    expect(resolveRegion().loginUrl).toBe("https://login.mypurecloud.com");
  });

  it.each([
    ["mypurecloud.de", "eu-central-1"],
    ["api.mypurecloud.com.au", "ap-southeast-2"],
    ["https://api.mypurecloud.com", "us-east-1"],
    ["https://login.usw2.pure.cloud/", "us-west-2"],
    ["HTTPS://API.MYPURECLOUD.JP/api/v2", "ap-northeast-1"],
    ["apps.mypurecloud.ie", "eu-west-1"],
    ["  EU-WEST-2 ", "eu-west-2"],
    ["use2.us-gov-pure.cloud", "us-east-2"],
    ["edee1.eusc-pure.cloud", "eusc-de-east-1"],
  ])("resolves %s to %s", (input, id) => {
    expect(resolveRegion(input).id).toBe(id);
  });

  it("accepts new regions under Genesys' own domain families, not new mypurecloud.* domains", () => {
    expect(resolveRegion("https://api.xyz9.pure.cloud")).toEqual({
      id: "xyz9.pure.cloud",
      domain: "xyz9.pure.cloud",
      apiUrl: "https://api.xyz9.pure.cloud",
      loginUrl: "https://login.xyz9.pure.cloud",
    });
    expect(resolveRegion("abc1.us-gov-pure.cloud").loginUrl).toBe("https://login.abc1.us-gov-pure.cloud");
    expect(() => resolveRegion("mypurecloud.fr")).toThrow(/Did you mean/); // anyone's domain
  });

  it("refuses the tutorial's EU host and suggests eu-west-1", () => {
    let error: unknown;
    try {
      resolveRegion("https://api.eu.mypurecloud.com");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GenesysAuthError);
    expect((error as GenesysAuthError).code).toBe("invalid_config");
    expect((error as GenesysAuthError).message).toContain("eu-west-1 (mypurecloud.ie)");
    expect((error as GenesysAuthError).hint).toContain("Did you mean eu-west-1");
  });

  it.each([
    ["us-est-1", "us-east-1"],
    ["eu-central1", "eu-central-1"],
    ["mypureclod.com", "us-east-1"],
  ])("suggests a close region for %s", (input, id) => {
    expect(() => resolveRegion(input)).toThrow(id);
  });

  it.each([
    "",
    "example.com",
    "https://evil.example/pure.cloud",
    "pure.cloud",
    "a.b.pure.cloud.evil.com",
    "__proto__",
    "constructor",
    "toString",
  ])("rejects %j", (input) => {
    expect(() => resolveRegion(input)).toThrow(GenesysAuthError);
  });

  it("property: every known region resolves from its id, domain, API URL and login URL alike", () => {
    const ids = Object.keys(REGIONS);
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.constantFrom("id", "domain", "api", "login"),
        fc.boolean(),
        (id, form, upper) => {
          const domain = REGIONS[id]?.domain as string;
          const raw = { id, domain, api: `https://api.${domain}/`, login: `login.${domain}` }[form];
          const input = upper ? raw.toUpperCase() : raw;
          const region = resolveRegion(input);
          expect(region.id).toBe(id);
          expect(region.apiUrl).toBe(`https://api.${domain}`);
        },
      ),
    );
  });

  it("property: anything either resolves to https hosts of a Genesys domain or throws invalid_config", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.domain()), (input) => {
        try {
          const region = resolveRegion(input);
          expect(region.apiUrl).toBe(`https://api.${region.domain}`);
          expect(region.domain).toMatch(/(pure\.cloud|mypurecloud\.[a-z.]+)$/);
        } catch (error) {
          expect(error).toBeInstanceOf(GenesysAuthError);
          expect((error as GenesysAuthError).code).toBe("invalid_config");
        }
      }),
    );
  });
});
