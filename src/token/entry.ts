/**
 * The token entry kept in a shared store: its own expiry travels with it (a backend's TTL is only a
 * cleanup hint), and anything read back is validated before use.
 *
 * @module
 */
import * as v from "valibot";
import { BearerToken } from "./token.ts";

/** A token and the moments that govern its refresh. */
export interface TokenEntry {
  readonly token: BearerToken;
  /** When it was requested (epoch ms). */
  readonly issuedAt: number;
}

const entrySchema = v.looseObject({
  v: v.picklist([1]),
  t: v.pipe(v.string(), v.minLength(1)),
  i: v.pipe(v.number(), v.finite(), v.minValue(0)),
  e: v.pipe(v.number(), v.finite(), v.minValue(0)),
  s: v.optional(v.array(v.string())),
});

/** Serialises an entry (plaintext; the store layer encrypts it). */
export function serializeEntry(entry: TokenEntry): string {
  const { token, issuedAt } = entry;
  return JSON.stringify({
    v: 1,
    t: token.accessToken,
    i: issuedAt,
    e: token.expiresAt,
    ...(token.scopes ? { s: token.scopes } : {}),
  });
}

/** Parses and validates a serialised entry; `undefined` for anything malformed or inconsistent. */
export function parseEntry(text: string): TokenEntry | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = v.safeParse(entrySchema, json);
  if (!result.success || result.output.e <= result.output.i) return undefined;
  const { t, i, e, s } = result.output;
  return { token: new BearerToken(t, e, s), issuedAt: i };
}

/**
 * When an entry should be refreshed: `marginMs` before expiry, but never earlier than half-way
 * through its lifetime.
 */
export function refreshAtOf(entry: TokenEntry, marginMs: number): number {
  const lifetime = entry.token.expiresAt - entry.issuedAt;
  return entry.token.expiresAt - Math.min(marginMs, lifetime / 2);
}
