/**
 * The shapes of a server sign-in: what `exchange` takes and answers, and what a session id is.
 *
 * @module
 */

/** The second argument of `flow.exchange`. */
export interface ExchangeOptions {
  /** The state `authorizationUrl()` returned, as the app kept it (never taken from the callback URL). */
  state: string;
}

/** A finished sign-in. */
export interface SignedIn {
  /** The session's id: 24 random bytes, base64url. Keep it in an HttpOnly cookie; never log it. */
  readonly sessionId: string;
  /** When the access token expires (epoch ms); the session itself lives on through refreshes. */
  readonly expiresAt: number;
  /** The scopes granted, when Genesys said. */
  readonly scopes?: readonly string[];
  /** The app's own state given to `authorizationUrl({ state })`, handed back. */
  readonly appState?: string;
}

/** Whether `id` can be a session id of this SDK (22+ base64url characters): anything else is refused unread. */
export function sessionIdIsWellFormed(id: unknown): id is string {
  return typeof id === "string" && /^[A-Za-z0-9_-]{22,64}$/.test(id);
}
