/**
 * Issuing and revoking the mock's tokens: access tokens (client or user), refresh tokens, and
 * whole authorizations ("families": one code and every token descending from it).
 *
 * @module
 */

import { bytesToBase64Url } from "../encoding.ts";
import type { MockUser } from "./bodies.ts";
import type { MockClient, MockState } from "./types.ts";

/** A random, URL-safe identifier with `bytes` bytes of entropy. */
export function randomId(bytes: number): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** What a successful token request answers (the JSON body). */
export interface TokenAnswer {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

/** Issues an access token to `client` (for `user`, when given) and counts it. */
export function issueAccessToken(
  state: MockState,
  client: MockClient,
  grant: { user?: MockUser; scopes: string[] | undefined; family?: string },
): TokenAnswer {
  const accessToken = randomId(48);
  state.tokens.set(accessToken, {
    expiresAt: state.now() + client.lifetimeSeconds * 1000,
    revoked: false,
    scopes: grant.scopes,
    window: { start: state.now(), count: 0 },
    clientId: client.id,
    ...(grant.user ? { user: grant.user } : {}),
    ...(grant.family ? { family: grant.family } : {}),
  });
  state.stats.tokensIssued++;
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: client.lifetimeSeconds,
    ...(grant.scopes?.length ? { scope: grant.scopes.join(" ") } : {}),
  };
}

/** Issues a refresh token in `family`. */
export function issueRefreshToken(
  state: MockState,
  client: MockClient,
  grant: { user: MockUser; scopes: string[] | undefined; family: string },
): string {
  const refreshToken = randomId(48);
  const lifetime = state.config.refreshTokenLifetimeMs;
  state.refreshTokens.set(refreshToken, {
    clientId: client.id,
    user: grant.user,
    scopes: grant.scopes,
    family: grant.family,
    state: "active",
    expiresAt: lifetime === undefined ? undefined : state.now() + lifetime,
  });
  return refreshToken;
}

/** Revokes every access and refresh token of `family`. */
export function revokeFamily(state: MockState, family: string): void {
  for (const token of state.tokens.values()) if (token.family === family) token.revoked = true;
  for (const refresh of state.refreshTokens.values()) {
    if (refresh.family === family && refresh.state === "active") refresh.state = "revoked";
  }
}

/** Marks the still-usable refresh tokens of `userId` (or everyone's) as `to`. */
export function endRefreshTokens(
  state: MockState,
  userId: string | undefined,
  to: "revoked" | "expired",
): void {
  for (const refresh of state.refreshTokens.values()) {
    if ((userId === undefined || refresh.user.id === userId) && refresh.state === "active")
      refresh.state = to;
  }
}
