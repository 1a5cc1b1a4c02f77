/** `revoke`: revokes a token (DELETE /api/v2/tokens/me). */
import { createAuth, createClient, revokeToken } from "../../index.ts";
import { stripControls as plain } from "../../redact.ts";
import { connectionOptions, readStdin } from "../config.ts";
import { CONNECTION_FLAGS, type Command, EXIT } from "../context.ts";

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
    if (given) {
      // Revoke the given token: DELETE with it as the bearer (no token of the SDK's is involved).
      const response = await fetch(`${auth.apiUrl}/api/v2/tokens/me`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${given}` },
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
        output.err(
          plain(`revoke failed: ${response.status} ${body.code ?? ""} ${body.message ?? ""}`.trim()),
        );
        return EXIT.failure;
      }
      output.out("revoked the given token");
    } else {
      await revokeToken(createClient({ auth }));
      output.out(
        "revoked a freshly issued token (pass a token with GENESYS_ACCESS_TOKEN or --token-stdin to revoke yours)",
      );
    }
    return EXIT.ok;
  },
};
