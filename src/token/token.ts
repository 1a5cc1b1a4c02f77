/**
 * The access token handed to callers. The token string is a private field behind a getter, so
 * `JSON.stringify`, `util.inspect`, `console.log` and spreading never reveal it.
 *
 * @module
 */
import { DENO_INSPECT, INSPECT, REDACTED } from "../redact.ts";

/** A client-credentials access token, as `getToken()` returns it. */
export interface AccessToken {
  /** The bearer token, for `Authorization: Bearer <accessToken>`. */
  readonly accessToken: string;
  /** Always `"bearer"`. */
  readonly tokenType: "bearer";
  /** When the token expires, in epoch milliseconds (local clock). */
  readonly expiresAt: number;
  /** The scopes granted, from the response's `scope`, when Genesys returned one. */
  readonly scopes?: readonly string[];
}

/** An {@link AccessToken} whose secret part cannot be serialised or inspected by accident. */
export class BearerToken implements AccessToken {
  readonly #value: string;
  readonly tokenType = "bearer" as const;
  readonly expiresAt: number;
  readonly scopes?: readonly string[];

  constructor(value: string, expiresAt: number, scopes?: readonly string[]) {
    this.#value = value;
    this.expiresAt = expiresAt;
    if (scopes !== undefined) this.scopes = scopes;
    Object.freeze(this);
  }

  /** The bearer token string. */
  get accessToken(): string {
    return this.#value;
  }

  /** Serialises without the token. */
  toJSON(): Record<string, unknown> {
    return {
      accessToken: REDACTED,
      tokenType: this.tokenType,
      expiresAt: this.expiresAt,
      scopes: this.scopes,
    };
  }

  /** A description without the token. */
  toString(): string {
    return `[AccessToken bearer, expires ${new Date(this.expiresAt).toISOString()}]`;
  }

  [INSPECT](): string {
    return this.toString();
  }

  [DENO_INSPECT](): string {
    return this.toString();
  }
}
