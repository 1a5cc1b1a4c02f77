/**
 * The token entry: the token, when it was requested, and — for signed-in users — the refresh token
 * that renews it. The same entry is cached in memory and kept in a shared store, where its own
 * expiry travels with it (a backend's TTL is only a cleanup hint); anything read back is validated.
 *
 * @module
 */
import * as v from "valibot";
import { parseOwn, shape, valid } from "../validation.ts";
import { BearerToken } from "./token.ts";

/** A token, when it was requested, and what renews it. */
export interface TokenEntry {
  readonly token: BearerToken;
  /** When the successful request was sent (epoch ms): the token cannot be older. */
  readonly issuedAt: number;
  /** The refresh token (user grants of confidential clients only). Never leaves the engine and the store. */
  readonly refreshToken?: string;
}

const moment = valid<number>((x) => typeof x === "number" && Number.isFinite(x) && x >= 0, "");
const nonEmpty = valid<string>((x) => typeof x === "string" && x !== "", "");

const entrySchema = v.looseObject(
  shape({
    v: valid<1>((x) => x === 1, ""),
    t: nonEmpty,
    i: moment,
    e: moment,
    s: v.optional(valid<string[]>((x) => Array.isArray(x) && x.every((s) => typeof s === "string"), "")),
    r: v.optional(nonEmpty),
  }),
);

/** Serialises an entry (plaintext; the store layer encrypts it). */
export function serializeEntry(entry: TokenEntry): string {
  const { token, issuedAt, refreshToken } = entry;
  return JSON.stringify({
    v: 1,
    t: token.accessToken,
    i: issuedAt,
    e: token.expiresAt,
    ...(token.scopes ? { s: token.scopes } : {}),
    ...(refreshToken ? { r: refreshToken } : {}),
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
  const result = parseOwn(entrySchema, json);
  if (!result.ok || result.value.e <= result.value.i) return undefined;
  const { t, i, e, s, r } = result.value;
  return { token: new BearerToken(t, e, s), issuedAt: i, ...(r ? { refreshToken: r } : {}) };
}

/**
 * When an entry should be refreshed: `marginMs` before expiry, but never earlier than half-way
 * through its lifetime.
 */
export function refreshAtOf(entry: TokenEntry, marginMs: number): number {
  const lifetime = entry.token.expiresAt - entry.issuedAt;
  return entry.token.expiresAt - Math.min(marginMs, lifetime / 2);
}
