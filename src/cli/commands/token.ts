/** `token`: prints the access token, for `curl -H "Authorization: Bearer $(genesys-cloud-auth token)"`. */
import { createAuth } from "../../grants/client-credentials.ts";
import type { AccessToken } from "../../token/token.ts";
import { connectionOptions, UsageError } from "../config.ts";
import { CONNECTION_FLAGS, type Command, EXIT } from "../context.ts";
import { jsonText } from "../output.ts";
import { usableToken, userSignIn } from "../user.ts";

/** The client's token, or with `--user` the signed-in person's (no secret needed), and its region. */
async function tokenOf(context: Parameters<Command["run"]>[0]): Promise<[AccessToken, string]> {
  const { flags, env, stdin } = context;
  if (!flags.user) {
    const auth = createAuth(await connectionOptions(flags, env, stdin));
    return [await auth.getToken(), auth.region];
  }
  if (flags["client-secret-stdin"]) {
    throw new UsageError(
      "--user prints the token `login` kept: it needs no secret (drop --client-secret-stdin)",
    );
  }
  const signIn = await userSignIn(context);
  return [(await usableToken(signIn)).token, signIn.target.region];
}

/** The `token` command: a client-credentials token, or with `--user` the signed-in person's. */
export const tokenCommand: Command = {
  summary: "print an access token (only the token; --json for expiry and region)",
  usage: "genesys-cloud-auth token [--user] [--json]",
  details: [
    "Without --user: a client-credentials token (needs the client secret).",
    "With --user: the token of the person signed in with `login` for this client id and region (no",
    "secret); an expired one is refused (exit 1): run `login` again.",
  ].join("\n"),
  flags: {
    ...CONNECTION_FLAGS,
    user: { type: "boolean", description: "print the token of the person signed in with `login`" },
    json: { type: "boolean", description: "print {accessToken, expiresAt, region}" },
  },
  async run(context) {
    const [token, region] = await tokenOf(context);
    context.output.out(
      context.flags.json
        ? jsonText({
            accessToken: token.accessToken,
            expiresAt: new Date(token.expiresAt).toISOString(),
            region,
          })
        : token.accessToken,
    );
    return EXIT.ok;
  },
};
