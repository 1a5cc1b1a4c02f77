/**
 * `createAuth`: the client-credentials grant on the token engine — tokens for a machine, fetched,
 * cached, shared across a fleet and refreshed before they expire.
 *
 * @module
 */
import * as v from "valibot";
import { GenesysAuthError } from "../errors.ts";
import { isBrowser } from "../runtime.ts";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import { createTokenEngine, type TokenEngine } from "../token/engine.ts";
import {
  type ConnectionOptions,
  connectionEntries,
  NESTED_OPTIONS,
  type RequestOptions,
  requestEntries,
  resolveSettings,
  type Settings,
  type SharingOptions,
  sharingEntries,
} from "../token/options.ts";
import { basicValue, postToken } from "../token/request.ts";
import { checkOptions, credential, flag, optionsObject, valid } from "../validation.ts";

/** How the client id and secret are sent to the token endpoint. */
export type ClientAuthentication = "basic" | "body";

/** Options of `createAuth`. Only `clientId` and `clientSecret` are required. */
export interface CreateAuthOptions extends ConnectionOptions, RequestOptions, SharingOptions {
  /** The OAuth client's id (Admin > Integrations > OAuth). */
  clientId: string;
  /** The OAuth client's secret. Kept in a closure: never logged, serialised or put in an error. */
  clientSecret: string;
  /** `"basic"` (default, as every official SDK does) or `"body"` (client_id/client_secret in the form). */
  clientAuthentication?: ClientAuthentication;
  /** Allow a client secret in a browser page. Read the warning in the README first. */
  dangerouslyAllowBrowser?: boolean;
}

const optionsSchema = optionsObject(
  {
    clientId: credential("client id"),
    clientSecret: credential("client secret"),
    ...connectionEntries,
    clientAuthentication: v.optional(
      valid<ClientAuthentication>((x) => x === "basic" || x === "body", 'must be "basic" or "body"'),
    ),
    dangerouslyAllowBrowser: v.optional(flag),
    ...sharingEntries,
    ...requestEntries,
  },
  "createAuth option",
);

/** A client-credentials engine and what the Durable Object broker needs to share its entries. */
export interface ClientCredentials {
  readonly engine: TokenEngine;
  readonly settings: Settings;
  /** The cache key of its entries. */
  key(): Promise<string>;
  /** The client secret (the entries' binding and default encryption key). */
  readonly secret: string;
}

/**
 * The client-credentials engine behind {@link createAuth} (the Durable Object broker uses it too):
 * options checked, the browser guard applied.
 */
export function clientCredentialsEngine(options: CreateAuthOptions): ClientCredentials {
  const o = checkOptions(optionsSchema, options, "createAuth option", NESTED_OPTIONS);
  const settings = resolveSettings(o, "createAuth option");
  if (isBrowser() && o.dangerouslyAllowBrowser !== true) {
    throw new GenesysAuthError(
      "browser_not_allowed",
      "createAuth() refuses to run in a browser: the client secret would be exposed to everyone who loads the page.",
    );
  }
  const method = o.clientAuthentication ?? "basic";
  const client = { method, id: o.clientId, secret: o.clientSecret } as const;
  const form: Record<string, string> = { grant_type: "client_credentials" };
  if (settings.scopes) form.scope = settings.scopes.join(" ");
  // The store layer is loaded only when a store is configured.
  const shared = () => import("../token/shared.ts");
  const key = () => shared().then((m) => m.cacheKeyOf(settings, o.clientId, [method]));
  const engine = createTokenEngine({
    settings,
    shared:
      settings.store === undefined
        ? undefined
        : () => shared().then((m) => m.createSharedLayer(settings, key(), o.clientSecret, engine.emit)),
    secrets: [o.clientSecret, basicValue(o.clientId, o.clientSecret).slice(6)],
    grant: {
      obtain: (context) => postToken(settings, { grant: "client_credentials", form, client }, context),
    },
  });
  return { engine, settings, key, secret: o.clientSecret };
}

/**
 * Creates a token provider for one OAuth client (client-credentials grant).
 *
 * @throws {GenesysAuthError} `invalid_config` for bad options; `browser_not_allowed` in a browser
 *   without `dangerouslyAllowBrowser: true`.
 */
export function createAuth(options: CreateAuthOptions): GenesysAuth {
  return publicAuth(clientCredentialsEngine(options).engine);
}
