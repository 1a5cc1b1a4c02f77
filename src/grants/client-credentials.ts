/**
 * `createAuth`: the client-credentials grant on the token engine — tokens for a machine, fetched,
 * cached, shared across a fleet and refreshed before they expire.
 *
 * @module
 */
import * as v from "valibot";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import { checkServerOptions, type ServerAuthOptions } from "../token/options.ts";
import { postToken } from "../token/request.ts";
import { valid } from "../validation.ts";
import { type ConfidentialEngine, confidentialEngine } from "./confidential.ts";

/** How the client id and secret are sent to the token endpoint. */
export type ClientAuthentication = "basic" | "body";

/** Options of `createAuth`. Only `clientId` and `clientSecret` are required. */
export interface CreateAuthOptions extends ServerAuthOptions {
  /** `"basic"` (default, as every official SDK does) or `"body"` (client_id/client_secret in the form). */
  clientAuthentication?: ClientAuthentication;
}

const ownEntries = {
  clientAuthentication: v.optional(
    valid<ClientAuthentication>((x) => x === "basic" || x === "body", 'must be "basic" or "body"'),
  ),
};

/**
 * The client-credentials engine behind {@link createAuth} (the Durable Object broker uses it too):
 * options checked, the browser guard applied.
 */
export function clientCredentialsEngine(options: CreateAuthOptions): ConfidentialEngine {
  const { o, settings } = checkServerOptions(ownEntries, options, "createAuth option");
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
