/**
 * What a grant is to the token engine: how to obtain a token or renew one, and what the engine gives
 * it to do so (redaction, retry events, the store, and the end of a session whose token was refused).
 *
 * @module
 */
import type { GenesysAuthError } from "../errors.ts";
import type { Redact } from "../redact.ts";
import type { RetryListener } from "../retry.ts";
import type { TokenEntry } from "./entry.ts";

/** What a grant is given to request a token. */
export interface GrantContext {
  /** Redacts every credential the engine knows from server text. */
  readonly redact: Redact;
  /** Reports a retry as an event. */
  readonly onRetry: RetryListener;
  /** The stored entry now (null: none; undefined: no store, or it could not be read). */
  stored(): Promise<TokenEntry | null | undefined>;
  /** Ends the session after Genesys refused its refresh token: answers the `login_required` error to throw. */
  refused(cause: unknown): Promise<GenesysAuthError>;
}

/** How one grant obtains or renews a token; the engine does the rest. */
export interface TokenGrant {
  /** Gets a new token from nothing (client credentials, SAML2 bearer). */
  obtain?(context: GrantContext): Promise<TokenEntry>;
  /**
   * Renews from the previous entry's refresh token (a signed-in user on a server). With a lock, only
   * its holder renews and waiters never renew without it: a refresh token may be single-use.
   */
  renew?(previous: TokenEntry & { refreshToken: string }, context: GrantContext): Promise<TokenEntry>;
}
