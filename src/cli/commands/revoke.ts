/** `revoke`: revokes a token (DELETE /api/v2/tokens/me). */
import { createClient } from "../../client/create.ts";
import { revokeToken } from "../../client/helpers.ts";
import { createAuth } from "../../grants/client-credentials.ts";
import type { GenesysAuth } from "../../token/auth.ts";
import { BearerToken } from "../../token/token.ts";
import { connectionOptions, readStdin } from "../config.ts";
import { CONNECTION_FLAGS, type Command, EXIT } from "../context.ts";

/** An auth that always answers `token` (a token the user gave us): nothing to refresh, nothing to drop. */
function givenToken(token: string, on: GenesysAuth): GenesysAuth {
  const bearer = new BearerToken(token, Number.MAX_SAFE_INTEGER);
  return {
    getToken: async () => bearer,
    invalidate: async () => {},
    apiUrl: on.apiUrl,
    loginUrl: on.loginUrl,
    region: on.region,
  };
}

export const revokeCommand: Command = {
  summary: "revoke a token: the one in GENESYS_ACCESS_TOKEN or on stdin (--token-stdin), else a fresh one",
  usage: "genesys-cloud-auth revoke [--token-stdin]",
  flags: {
    ...CONNECTION_FLAGS,
    "token-stdin": { type: "boolean", description: "read the token to revoke from standard input" },
  },
  async run({ flags, env, stdin, output }) {
    const options = await connectionOptions(flags, env, stdin);
    const given = flags["token-stdin"] ? await readStdin(stdin) : env.GENESYS_ACCESS_TOKEN?.trim();
    const auth = createAuth(options);
    // Through the API client either way: origin check, no redirects, a deadline, errors explained.
    await revokeToken(createClient({ auth: given ? givenToken(given, auth) : auth, retry: { limit: 0 } }));
    output.out(
      given
        ? "revoked the given token"
        : "revoked a freshly issued token (pass a token with GENESYS_ACCESS_TOKEN or --token-stdin to revoke yours)",
    );
    return EXIT.ok;
  },
};
