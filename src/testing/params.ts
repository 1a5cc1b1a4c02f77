/**
 * Hostile-input-proof reading of what clients send the mock: bounded bodies, form and query
 * parameters (capped, duplicates refused, kept in a `Map` so `__proto__` is just a name), Basic
 * credentials, and text safe to quote back in an error description.
 *
 * @module
 */

/** Limits on what the mock accepts before answering an error. */
export const LIMITS = {
  /** Bytes of a token request body (a SAML assertion fits comfortably). */
  body: 64 * 1024,
  /** Characters of an authorize or logout query string. */
  query: 8 * 1024,
  /** Parameters in one form or query. */
  params: 64,
} as const;

/** Parsed parameters, or why they were refused. */
export type ParsedParams =
  | { ok: true; params: Map<string, string> }
  | { ok: false; error: "too_large" | "too_many" | "duplicate"; description: string };

/**
 * Parses `application/x-www-form-urlencoded` text (a body or a query string without `?`). Refuses
 * text longer than `maxLength`, more than {@link LIMITS.params} parameters, and a parameter given
 * twice (RFC 6749 §3.1: "parameters MUST NOT be included more than once"). Empty names are skipped.
 * Never throws.
 */
export function parseParams(text: string, maxLength: number): ParsedParams {
  if (text.length > maxLength) {
    return { ok: false, error: "too_large", description: `the request is larger than ${maxLength} bytes` };
  }
  const params = new Map<string, string>();
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (name === "") continue;
    if (++count > LIMITS.params) {
      return {
        ok: false,
        error: "too_many",
        description: `the request has more than ${LIMITS.params} parameters`,
      };
    }
    if (params.has(name)) {
      return {
        ok: false,
        error: "duplicate",
        description: `parameter ${quote(name)} is included more than once`,
      };
    }
    params.set(name, value);
  }
  return { ok: true, params };
}

/**
 * Reads a request body as UTF-8 text, at most `limit` bytes: `undefined` when it is larger (the
 * rest is not read). Malformed UTF-8 becomes U+FFFD.
 */
export async function readBoundedText(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** Decodes `Authorization: Basic` into id and secret (raw UTF-8, as Genesys' SDKs send it), or undefined. */
export function basicCredentials(header: string | null): [id: string, secret: string] | undefined {
  const value = header?.trim() ?? "";
  if (value.length > 8192) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value);
  if (!match) return undefined;
  try {
    const bytes = Uint8Array.from(atob(match[1] as string), (c) => c.charCodeAt(0));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const colon = text.indexOf(":");
    return colon === -1 ? undefined : [text.slice(0, colon), text.slice(colon + 1)];
  } catch {
    return undefined;
  }
}

/**
 * `value` shortened for an error description: at most 64 characters, control characters, quotes
 * and backslashes replaced. Only ever used on values that are not secrets (grant types, scopes,
 * parameter names).
 */
export function clip(value: string): string {
  return `${value.slice(0, 64).replace(/[\p{Cc}"\\]/gu, "?")}${value.length > 64 ? "…" : ""}`;
}

/** {@link clip}ped and in double quotes. */
export function quote(value: string): string {
  return `"${clip(value)}"`;
}
