/**
 * PKCE (RFC 7636) checks of the mock: the shape of challenges and verifiers, and S256.
 *
 * @module
 */
import { bytesToBase64Url } from "../encoding.ts";

/** A code verifier: 43-128 characters of `[A-Za-z0-9-._~]` (RFC 7636 §4.1). */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge: base64url of a SHA-256 digest, unpadded (43 characters). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Why a challenge is malformed for its method, or undefined when it is well formed. */
export function challengeProblem(challenge: string, method: "S256" | "plain"): string | undefined {
  if (method === "S256") {
    return S256_CHALLENGE.test(challenge)
      ? undefined
      : "code_challenge must be the unpadded base64url SHA-256 of the verifier (43 characters)";
  }
  return VERIFIER.test(challenge) ? undefined : "code_challenge must be 43-128 characters of [A-Za-z0-9-._~]";
}

/** Why `verifier` does not answer `challenge`, or undefined when it does. */
export async function verifierProblem(
  verifier: string,
  challenge: string,
  method: "S256" | "plain",
): Promise<string | undefined> {
  if (!VERIFIER.test(verifier)) return "code_verifier must be 43-128 characters of [A-Za-z0-9-._~]";
  const computed =
    method === "plain"
      ? verifier
      : bytesToBase64Url(
          new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
        );
  return computed === challenge ? undefined : "code_verifier does not match the code_challenge";
}
