/** `token`: prints the access token, for `curl -H "Authorization: Bearer $(genesys-cloud-auth token)"`. */
import { createAuth } from "../../grants/client-credentials.ts";
import { connectionOptions } from "../config.ts";
import { CONNECTION_FLAGS, type Command, EXIT } from "../context.ts";

export const tokenCommand: Command = {
  summary: "print an access token (only the token; --json for expiry and region)",
  usage: "genesys-cloud-auth token [--json]",
  flags: {
    ...CONNECTION_FLAGS,
    json: { type: "boolean", description: "print {accessToken, expiresAt, region}" },
  },
  async run({ flags, env, stdin, output }) {
    const auth = createAuth(await connectionOptions(flags, env, stdin));
    const token = await auth.getToken();
    output.out(
      flags.json
        ? JSON.stringify({
            accessToken: token.accessToken,
            expiresAt: new Date(token.expiresAt).toISOString(),
            region: auth.region,
          })
        : token.accessToken,
    );
    return EXIT.ok;
  },
};
