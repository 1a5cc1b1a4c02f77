/**
 * `logout`: revokes the token `login` kept (`DELETE /api/v2/tokens/me`, best effort) and deletes its
 * file — also a file that cannot be used (damaged, foreign, too open), without revoking. Prints the
 * Genesys logout address that ends the browser's session as well.
 */
import { createClient } from "../../client/create.ts";
import { revokeToken } from "../../client/helpers.ts";
import { logoutUrl } from "../../grants/authorization-code.ts";
import { stripControls } from "../../redact.ts";
import type { TokenEntry } from "../../token/entry.ts";
import { type Command, EXIT, PUBLIC_CLIENT_FLAGS } from "../context.ts";
import { readSignIn, removeSignIn } from "../token-file.ts";
import { userAuth, userSignIn } from "../user.ts";

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The `logout` command: revokes and deletes the token `login` kept. */
export const logoutCommand: Command = {
  summary: "revoke the signed-in user's token and delete it (see login)",
  usage: "genesys-cloud-auth logout",
  details: [
    "Revokes the token `login` kept (best effort) and deletes its file. The browser stays signed in to",
    "Genesys Cloud until you open the logout address it prints.",
  ].join("\n"),
  flags: PUBLIC_CLIENT_FLAGS,
  async run(context) {
    const { output } = context;
    const { settings, target, path } = await userSignIn(context);
    let entry: TokenEntry | undefined;
    try {
      entry = await readSignIn(path, target);
    } catch (error) {
      output.err(
        output.yellow(stripControls(`warning: ${message(error)} It is deleted without revoking anything.`)),
      );
    }
    if (entry !== undefined && entry.token.expiresAt > settings.now()) {
      try {
        await revokeToken(createClient({ auth: await userAuth(settings, entry), retry: { limit: 0 } }));
        output.out("Revoked the token.");
      } catch (error) {
        const until = new Date(entry.token.expiresAt).toISOString();
        output.err(
          output.yellow(
            stripControls(
              `warning: the token could not be revoked (${message(error)}); it works until ${until}.`,
            ),
          ),
        );
      }
    }
    if (!(await removeSignIn(path))) {
      output.out(`No one is signed in with this client in ${target.region} (no ${path}).`);
      return EXIT.ok;
    }
    output.out(`Deleted ${path}.`);
    output.out(
      `To end the browser's Genesys Cloud session too, open: ${logoutUrl(settings.loginUrl, target.clientId)}`,
    );
    return EXIT.ok;
  },
};
