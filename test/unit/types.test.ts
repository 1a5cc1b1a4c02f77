// Type tests: checked by `tsc --noEmit` (part of npm test); at run time they are no-ops.
import type { KyInstance } from "ky";
import { describe, expectTypeOf, it } from "vitest";
import { type BrowserAuth, createBrowserAuth } from "../../src/browser.ts";
import { durableObjectStore } from "../../src/durable-object.ts";
import {
  type AccessToken,
  type AuthEvent,
  type CodeFlow,
  type CreateAuthOptions,
  createAuth,
  createClient,
  createCodeFlow,
  createSaml2BearerAuth,
  fromEnv,
  type GenesysAuth,
  type GenesysAuthError,
  type GenesysAuthErrorCode,
  type GenesysHTTPError,
  getOrganization,
  isGenesysHTTPError,
  type Organization,
  resolveRegion,
  type SignedIn,
  type TokenLock,
  type TokenStore,
} from "../../src/index.ts";
import { cloudflareKvStore } from "../../src/store/cloudflare-kv.ts";
import { redisStore } from "../../src/store/redis.ts";

describe("public types", () => {
  it("createAuth and getToken", () => {
    expectTypeOf(createAuth).parameter(0).toEqualTypeOf<CreateAuthOptions>();
    expectTypeOf(createAuth).returns.toEqualTypeOf<GenesysAuth>();
    expectTypeOf<GenesysAuth["getToken"]>().returns.resolves.toEqualTypeOf<AccessToken>();
    expectTypeOf<AccessToken["tokenType"]>().toEqualTypeOf<"bearer">();
    expectTypeOf<AccessToken["expiresAt"]>().toEqualTypeOf<number>();
    const compileOnly = () => {
      // @ts-expect-error the secret is required
      createAuth({ clientId: "id" });
      // @ts-expect-error clientAuthentication is "basic" or "body"
      createAuth({ clientId: "id", clientSecret: "s", clientAuthentication: "header" });
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("fromEnv feeds createAuth", () => {
    expectTypeOf(fromEnv).returns.toMatchTypeOf<CreateAuthOptions>();
    expectTypeOf(resolveRegion).returns.toEqualTypeOf<ReturnType<typeof resolveRegion>>();
  });

  it("createClient is a ky instance; helpers are typed", () => {
    expectTypeOf(createClient).returns.toEqualTypeOf<KyInstance>();
    expectTypeOf(getOrganization).returns.resolves.toEqualTypeOf<Organization>();
    expectTypeOf<GenesysHTTPError["correlationId"]>().toEqualTypeOf<string | undefined>();
  });

  it("errors and events are discriminated", () => {
    expectTypeOf<GenesysAuthError["code"]>().toEqualTypeOf<GenesysAuthErrorCode>();
    const narrow = (event: AuthEvent) => {
      if (event.type === "retry") expectTypeOf(event.delayMs).toEqualTypeOf<number | undefined>();
      if (event.type === "store_error")
        expectTypeOf(event.operation).toEqualTypeOf<"get" | "set" | "delete" | "lock" | "decode">();
    };
    expectTypeOf(narrow).toBeFunction();
  });

  it("adapters return the contracts", () => {
    expectTypeOf(cloudflareKvStore).returns.toEqualTypeOf<TokenStore>();
    expectTypeOf(redisStore).returns.toEqualTypeOf<TokenStore>();
    expectTypeOf<TokenLock["tryAcquire"]>().returns.resolves.toEqualTypeOf<{
      release(): Promise<void>;
    } | null>();
  });

  it("every auth is a GenesysAuth, so createClient takes any of them", () => {
    expectTypeOf(createBrowserAuth).returns.toEqualTypeOf<BrowserAuth>();
    expectTypeOf<BrowserAuth>().toMatchTypeOf<GenesysAuth>();
    expectTypeOf(createCodeFlow).returns.toEqualTypeOf<CodeFlow>();
    expectTypeOf<CodeFlow["session"]>().returns.toEqualTypeOf<GenesysAuth>();
    expectTypeOf<CodeFlow["exchange"]>().returns.resolves.toEqualTypeOf<SignedIn>();
    expectTypeOf(createSaml2BearerAuth).returns.toEqualTypeOf<GenesysAuth>();
    expectTypeOf<BrowserAuth["handleRedirect"]>().returns.resolves.toEqualTypeOf<{ state?: string } | null>();
    const compileOnly = (auth: BrowserAuth) => {
      createClient({ auth });
      // @ts-expect-error signIn's prompt is "login" only
      auth.signIn({ prompt: "consent" });
      // @ts-expect-error exchange needs the state the app kept
      createCodeFlow({ clientId: "a", clientSecret: "b", redirectUri: "https://x/cb" }).exchange(
        "https://x/cb?code=1",
      );
    };
    expectTypeOf(compileOnly).toBeFunction();
  });

  it("guards narrow", () => {
    const narrow = (error: unknown) => {
      if (isGenesysHTTPError(error)) expectTypeOf(error.code).toEqualTypeOf<string | undefined>();
    };
    expectTypeOf(narrow).toBeFunction();
    expectTypeOf(durableObjectStore).returns.toMatchTypeOf<TokenStore & TokenLock>();
  });
});
