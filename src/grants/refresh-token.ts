/**
 * Renewing a signed-in user's token with the refresh token grant, with the rules for spending a
 * token that may be single-use (Genesys rotates them): retried only after a 429; after an ambiguous
 * failure (a timeout, a 5xx, a lost answer) the token may be spent, so the store is read again —
 * another instance may have renewed — and one more attempt is allowed; a refusal (`invalid_grant`)
 * ends the session unless another instance renewed meanwhile.
 *
 * @module
 */
import type { GenesysAuthError } from "../errors.ts";
import type { TokenEntry } from "../token/entry.ts";
import type { GrantContext, TokenGrant } from "../token/grant.ts";
import type { Settings } from "../token/options.ts";
import { type ClientAuth, postToken } from "../token/request.ts";

/** Failures after which a spent refresh token may or may not have been used by Genesys. */
const AMBIGUOUS = new Set(["timeout", "network_error", "server_error"]);

/** The renewal of a refresh-token grant for `client` (a confidential client: Basic authentication). */
export function refreshGrant(settings: Settings, client: ClientAuth): Required<Pick<TokenGrant, "renew">> {
  const once = (refreshToken: string, context: GrantContext) =>
    postToken(
      settings,
      {
        grant: "refresh_token",
        form: { grant_type: "refresh_token", refresh_token: refreshToken },
        client,
        retryRateLimitsOnly: true,
      },
      context,
    );

  /** The stored entry when it is newer than `previous`, with another refresh token: another instance renewed. */
  const renewedElsewhere = async (previous: TokenEntry, context: GrantContext) => {
    const stored = await context.stored();
    return stored?.refreshToken !== undefined &&
      stored.refreshToken !== previous.refreshToken &&
      stored.issuedAt > previous.issuedAt
      ? stored
      : undefined;
  };

  const renew = async (
    previous: TokenEntry & { refreshToken: string },
    context: GrantContext,
    again = false,
  ): Promise<TokenEntry> => {
    try {
      const entry = await once(previous.refreshToken, context);
      // Genesys may answer without a new refresh token: the old one stays valid then.
      return entry.refreshToken === undefined ? { ...entry, refreshToken: previous.refreshToken } : entry;
    } catch (error) {
      const code = (error as GenesysAuthError).code;
      if (AMBIGUOUS.has(code) && !again) {
        return (await renewedElsewhere(previous, context)) ?? renew(previous, context, true);
      }
      if (code !== "invalid_grant") throw error;
      const other = await renewedElsewhere(previous, context);
      if (other !== undefined) return other;
      throw await context.refused(error);
    }
  };
  return { renew: (previous, context) => renew(previous, context) };
}
