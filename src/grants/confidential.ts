/**
 * What every auth of a confidential client (one with a secret) sets up the same way: the browser
 * guard, the store layer (loaded only when a store is configured) under a cache key of the client and
 * what else makes its tokens differ, the redaction of the secret and its Basic value, and the engine.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import { isBrowser } from "../runtime.ts";
import { createTokenEngine, type TokenEngine } from "../token/engine.ts";
import type { TokenEntry } from "../token/entry.ts";
import type { TokenGrant } from "../token/grant.ts";
import type { Settings } from "../token/options.ts";
import { basicValue } from "../token/request.ts";

/** A confidential client's engine and what the Durable Object broker needs to share its entries. */
export interface ConfidentialEngine {
  readonly engine: TokenEngine;
  readonly settings: Settings;
  /** The cache key of its entries. */
  key(): Promise<string>;
  /** The client secret (the entries' binding and default encryption key). */
  readonly secret: string;
}

/** The client, the grant, and what distinguishes its tokens in the cache key. */
export interface ConfidentialSetup {
  readonly settings: Settings;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Besides the login host and scopes: e.g. the authentication mode, the subject, the session. */
  readonly keyParts: readonly unknown[];
  readonly grant: TokenGrant;
  /** `createAuth()` or the like, for the browser guard's message. */
  readonly factory: string;
  readonly dangerouslyAllowBrowser: boolean | undefined;
  entryTtlMs?(entry: TokenEntry): number;
}

/**
 * Refuses to run with a client secret in a browser page unless the app said it knows what it does.
 *
 * @throws {GenesysAuthError} `browser_not_allowed`.
 */
export function guardBrowser(factory: string, dangerouslyAllowBrowser: boolean | undefined): void {
  if (isBrowser() && dangerouslyAllowBrowser !== true) {
    throw new GenesysAuthError(
      "browser_not_allowed",
      `${factory} refuses to run in a browser: the client secret would be exposed to everyone who loads the page.`,
    );
  }
}

/** What a confidential client's requests reveal of its secret, for redaction: the secret, and its Basic value. */
export function clientSecretsOf(clientId: string, clientSecret: string): string[] {
  return [clientSecret, basicValue(clientId, clientSecret).slice(6)];
}

/**
 * Creates the engine of a confidential client.
 *
 * @throws {GenesysAuthError} `browser_not_allowed` in a browser without `dangerouslyAllowBrowser: true`.
 */
export function confidentialEngine(setup: ConfidentialSetup): ConfidentialEngine {
  const { settings, clientId, clientSecret } = setup;
  guardBrowser(setup.factory, setup.dangerouslyAllowBrowser);
  const shared = () => import("../token/shared.ts");
  const key = () => shared().then((m) => m.cacheKeyOf(settings, clientId, setup.keyParts));
  const engine = createTokenEngine({
    settings,
    grant: setup.grant,
    shared:
      settings.store === undefined
        ? undefined
        : () =>
            shared().then((m) =>
              m.createSharedLayer(settings, {
                key: key(),
                secret: clientSecret,
                renews: setup.grant.renew !== undefined,
                emit: engine.emit,
                redact: engine.redact,
              }),
            ),
    secrets: clientSecretsOf(clientId, clientSecret),
    ...(setup.entryTtlMs ? { entryTtlMs: setup.entryTtlMs } : {}),
  });
  return { engine, settings, key, secret: clientSecret };
}
