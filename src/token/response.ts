/**
 * The token endpoint's success answer, validated with valibot (own properties only) and turned into
 * a {@link TokenEntry}: expiry counts from when the request was sent.
 *
 * @module
 */
import * as v from "valibot";
import { GenesysAuthError } from "../errors.ts";
import { issuePath, parseOwn, shape, valid } from "../validation.ts";
import type { TokenEntry } from "./entry.ts";
import { BearerToken } from "./token.ts";

/** Genesys' longest token lifetime is 48 h; anything past a year is not a real answer. */
const MAX_EXPIRES_IN = 365 * 24 * 3600;
/** Genesys' shortest is 300 s; a token living under 10 s would cost a request per call. */
const MIN_EXPIRES_IN = 10;

/** Visible ASCII only: a token goes into a header and may be printed in a terminal. */
const headerSafe = (x: unknown) => typeof x === "string" && /^[\x21-\x7e]+$/.test(x);

const tokenResponseSchema = v.looseObject(
  shape({
    access_token: valid<string>(headerSafe, "is empty or holds characters a bearer token cannot"),
    token_type: valid<string>(
      (x) => typeof x === "string" && x.toLowerCase() === "bearer",
      'is not "bearer"',
    ),
    expires_in: v.pipe(
      valid<number>((x) => typeof x === "number", "is not a number"),
      v.check((x) => x >= MIN_EXPIRES_IN, `is under ${MIN_EXPIRES_IN} seconds`),
      v.check((x) => x <= MAX_EXPIRES_IN, "is longer than a year"),
    ),
    scope: v.optional(valid<string>((x) => typeof x === "string", "is not a string")),
    refresh_token: v.optional(valid<string>(headerSafe, "is empty or holds characters a token cannot")),
  }),
  (issue) => (issue.path?.length ? "is missing" : "is not a JSON object"),
);

/**
 * Validates a token endpoint body and builds the entry; expiry counts from `sentAt`.
 *
 * @throws {GenesysAuthError} `invalid_token_response`, naming the field at fault (never its value).
 */
export function parseTokenResponse(body: string, url: string, sentAt: number): TokenEntry {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GenesysAuthError(
      "invalid_token_response",
      `The token endpoint ${url} answered 2xx with a body that is not JSON (${body.length} bytes read).`,
    );
  }
  const result = parseOwn(tokenResponseSchema, json);
  if (!result.ok) {
    const issue = result.issues[0] as v.BaseIssue<unknown>;
    throw new GenesysAuthError(
      "invalid_token_response",
      `The token endpoint ${url} answered without a usable token: "${issuePath(issue) ?? "body"}" ${issue.message}.`,
    );
  }
  const { access_token, expires_in, scope, refresh_token } = result.value;
  return {
    token: new BearerToken(access_token, sentAt + expires_in * 1000, scope?.split(" ").filter(Boolean)),
    issuedAt: sentAt,
    ...(refresh_token ? { refreshToken: refresh_token } : {}),
  };
}
