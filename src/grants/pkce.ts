/**
 * The random values of a sign-in, made with Web Crypto: the PKCE code verifier and its S256
 * challenge (RFC 7636), the `state` that ties a redirect back to the sign-in that started it, and
 * server session ids. Every value carries at least 128 bits of randomness.
 *
 * @module
 */
import { bytesToBase64Url } from "../encoding.ts";

/** `bytes` random bytes, base64url without padding. */
export function randomToken(bytes: number): string {
  return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * A code verifier: 64 random bytes as 86 base64url characters, all of them unreserved
 * (`[A-Za-z0-9-_]`, within RFC 7636's 43–128 characters of `[A-Za-z0-9-._~]`).
 */
export function createVerifier(): string {
  return randomToken(64);
}

/** The S256 code challenge of `verifier`: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return bytesToBase64Url(new Uint8Array(digest));
}

/** A `state` for the wire: 24 random bytes (192 bits), base64url. */
export function createState(): string {
  return randomToken(24);
}
