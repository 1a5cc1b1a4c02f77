/**
 * Sign-out's revocation: `DELETE /api/v2/tokens/me` with the user's current token, best effort (a
 * failure or a timeout never keeps the user signed in), through the credential transport.
 *
 * @module
 */
import type { TokenEngine } from "../token/engine.ts";
import type { Settings } from "../token/options.ts";
import { exchange } from "../transport.ts";

/** Revokes the access token `engine` holds, if it holds one that has not expired. */
export async function revokeWith(engine: TokenEngine, settings: Settings): Promise<void> {
  try {
    const entry = await engine.held();
    if (entry === undefined || entry.token.expiresAt <= settings.now()) return;
    const request = new Request(`${settings.apiUrl}/api/v2/tokens/me`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${entry.token.accessToken}` },
    });
    await exchange(settings.fetch, request, undefined, { timeoutMs: settings.timeoutMs, body: "buffer" });
  } catch {
    // best effort: the session is forgotten either way
  }
}
