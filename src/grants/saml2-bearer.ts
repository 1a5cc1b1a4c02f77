/**
 * `createSaml2BearerAuth`: a user's token from a SAML assertion the app already holds (the SAML2
 * bearer grant), on the token engine. The `subject` (who the assertion is for) joins the cache key,
 * so users never share tokens; a fresh assertion is asked for every token request.
 *
 * @module
 */
import { GenesysAuthError, plainError } from "../errors.ts";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import { checkServerOptions, type ServerAuthOptions } from "../token/options.ts";
import { postToken } from "../token/request.ts";
import { credential, fn } from "../validation.ts";
import { confidentialEngine } from "./confidential.ts";

/** Options of {@link createSaml2BearerAuth}. */
export interface CreateSaml2BearerAuthOptions extends ServerAuthOptions {
  /** The organization's short name (Admin > Account Settings > Organization Settings), sent as `orgName`. */
  orgName: string;
  /** A SAML assertion for the user, base64 encoded, from your identity provider; asked for each token request. */
  assertion: () => string | Promise<string>;
  /** Who the assertion is for (e.g. the user's email): part of the cache key, so users never share tokens. */
  subject: string;
}

const ownEntries = {
  orgName: credential("organization short name"),
  assertion: fn("a function returning the base64 SAML assertion (or a promise of it)"),
  subject: credential("subject (who the assertion is for)"),
};

/**
 * Creates a token provider for one user of a SAML2 Bearer OAuth client.
 *
 * @throws {GenesysAuthError} `invalid_config` for bad options; `browser_not_allowed` in a browser.
 */
export function createSaml2BearerAuth(options: CreateSaml2BearerAuthOptions): GenesysAuth {
  const { o, settings } = checkServerOptions(ownEntries, options, "createSaml2BearerAuth option");
  const client = { method: "basic", id: o.clientId, secret: o.clientSecret } as const;
  const { engine } = confidentialEngine({
    settings,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    keyParts: ["saml2", o.orgName, o.subject],
    factory: "createSaml2BearerAuth()",
    dangerouslyAllowBrowser: o.dangerouslyAllowBrowser,
    grant: {
      async obtain(context) {
        let assertion: unknown;
        try {
          assertion = await o.assertion();
        } catch (error) {
          throw new GenesysAuthError(
            "invalid_config",
            "The `assertion` function failed; no token was requested.",
            {
              cause: plainError(error, context.redact),
              hint: "The assertion provider must answer the user's SAML assertion, base64 encoded, from your identity provider.",
            },
          );
        }
        if (typeof assertion !== "string" || assertion.trim() === "") {
          throw new GenesysAuthError(
            "invalid_config",
            "The `assertion` function answered something that is not a non-empty string.",
            {
              hint: "Return the SAML assertion base64 encoded (the SAMLResponse's Assertion), as a string.",
            },
          );
        }
        const form = {
          grant_type: "urn:ietf:params:oauth:grant-type:saml2-bearer",
          orgName: o.orgName,
          assertion,
        };
        // An assertion may be one-time-use: retried after a 429 only; the next getToken() asks for a new one.
        return postToken(
          settings,
          { grant: "saml2_bearer", form, client, retryRateLimitsOnly: true },
          context,
        );
      },
    },
  });
  return publicAuth(engine);
}
