/**
 * The at-rest envelope for entries in shared stores: AES-256-GCM with a key derived by
 * HKDF-SHA-256 from the client secret (or a given key), the cache key as associated data, written
 * as `v1.<iv>.<ciphertext>` in base64url. Web Crypto only, so it runs on every runtime.
 *
 * @module
 */

import { bytesToBase64Url, fromBase64Url } from "./encoding.ts";

const VERSION = "v1";
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HKDF_SALT = encoder.encode("genesys-cloud-auth/token-cache");
const HKDF_INFO = encoder.encode("aes-256-gcm v1");

/**
 * The AES-256-GCM key for the envelope. A string (the client secret or a user passphrase) or an
 * HKDF `CryptoKey` is stretched with HKDF-SHA-256; an AES-GCM `CryptoKey` is used as it is.
 */
export async function deriveEnvelopeKey(material: string | CryptoKey): Promise<CryptoKey> {
  if (typeof material !== "string" && material.algorithm.name === "AES-GCM") return material;
  const base =
    typeof material === "string"
      ? await crypto.subtle.importKey("raw", encoder.encode(material), "HKDF", false, ["deriveKey"])
      : material;
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: HKDF_SALT, info: HKDF_INFO },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Encrypts `plaintext`, binding it to `associatedData` (the cache key). */
export async function sealEnvelope(
  key: CryptoKey,
  plaintext: string,
  associatedData: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(associatedData) },
    key,
    encoder.encode(plaintext),
  );
  return `${VERSION}.${bytesToBase64Url(iv)}.${bytesToBase64Url(new Uint8Array(ciphertext))}`;
}

/**
 * Decrypts an envelope made by {@link sealEnvelope} with the same key and associated data.
 * Answers `undefined` for anything else: a malformed, tampered or foreign envelope.
 */
export async function openEnvelope(
  key: CryptoKey,
  envelope: string,
  associatedData: string,
): Promise<string | undefined> {
  const parts = envelope.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const iv = fromBase64Url(parts[1] as string);
  const ciphertext = fromBase64Url(parts[2] as string);
  if (iv?.length !== 12 || ciphertext === undefined || ciphertext.length < 16) return undefined;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(associatedData) },
      key,
      ciphertext,
    );
    return decoder.decode(plaintext);
  } catch {
    return undefined;
  }
}

/** Hex SHA-256 of `text` (cache-key suffixes; never applied to a secret). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** An HMAC-SHA-256 key made from `secret`, to sign with {@link hmacBase64Url}. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

/** Unpadded base64url HMAC-SHA-256 of `data` under `key` (a secret, or a key from {@link hmacKey}). */
export async function hmacBase64Url(key: string | CryptoKey, data: string): Promise<string> {
  const signing = typeof key === "string" ? await hmacKey(key) : key;
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", signing, encoder.encode(data))));
}
