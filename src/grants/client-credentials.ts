/**
 * `createAuth`: the client-credentials grant on the token engine — tokens for a machine, fetched,
 * cached, shared across a fleet and refreshed before they expire.
 *
 * @module
 */
import * as v from "valibot";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import {
  type ConnectionOptions,
  connectionEntries,
  NESTED_OPTIONS,
  type RequestOptions,
  requestEntries,
  resolveSettings,
  type SharingOptions,
  sharingEntries,
} from "../token/options.ts";
import { postToken } from "../token/request.ts";
import { checkOptions, credential, flag, optionsObject, valid } from "../validation.ts";
import { type ConfidentialEngine, confidentialEngine } from "./confidential.ts";

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

/**
 * The client-credentials engine behind {@link createAuth} (the Durable Object broker uses it too):
 * options checked, the browser guard applied.
 */
export function clientCredentialsEngine(options: CreateAuthOptions): ConfidentialEngine {
  const o = checkOptions(optionsSchema, options, "createAuth option", NESTED_OPTIONS);
  const settings = resolveSettings(o, "createAuth option");
  const method = o.clientAuthentication ?? "basic";
  const client = { method, id: o.clientId, secret: o.clientSecret } as const;
  const form: Record<string, string> = { grant_type: "client_credentials" };
  if (settings.scopes) form.scope = settings.scopes.join(" ");
  return confidentialEngine({
    settings,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    keyParts: [method],
    factory: "createAuth()",
    dangerouslyAllowBrowser: o.dangerouslyAllowBrowser,
    grant: {
      obtain: (context) => postToken(settings, { grant: "client_credentials", form, client }, context),
    },
  });
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
