/**
 * What every valibot check of untrusted input shares: inputs are read through their own properties
 * only and schemas carry no prototype (a polluted `Object.prototype` is never read as an option, a
 * field of a token response or a stored entry), the option checks several entry points use, and the
 * `invalid_config` error that names the option without quoting its value.
 *
 * @module
 */
import * as v from "valibot";
import { GenesysAuthError } from "./errors.ts";

/**
 * A copy of `value`'s own enumerable properties on an object without a prototype, so that a
 * property it lacks reads as `undefined` even when `Object.prototype` has been polluted. Anything but
 * a plain object (an array, a function, a primitive) is returned as it is. A property whose getter
 * throws (or a Proxy that does) is an `invalid_config` naming it.
 */
export function ownProperties<T>(value: T): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  let key = "";
  try {
    for (key of Object.keys(value)) copy[key] = (value as Record<string, unknown>)[key];
  } catch {
    throw new GenesysAuthError(
      "invalid_config",
      `Option ${quoteName(key || "(its keys)")} could not be read: its getter threw.`,
      {
        hint: "Pass plain values: the options are read once, when the object is created.",
      },
    );
  }
  return copy as T;
}

/**
 * Schema entries on an object without a prototype: valibot walks them with `for…in`, which would
 * otherwise also visit an enumerable key planted on `Object.prototype`.
 */
export function shape<T extends object>(entries: T): T {
  return Object.assign(Object.create(null) as T, entries);
}

/** Validates `input`'s own properties; on success answers that own-property copy (no prototype). */
export function parseOwn<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
): { ok: true; value: v.InferOutput<TSchema> } | { ok: false; issues: readonly v.BaseIssue<unknown>[] } {
  const own = ownProperties(input);
  const result = v.safeParse(schema, own);
  return result.success
    ? { ok: true, value: own as v.InferOutput<TSchema> }
    : { ok: false, issues: result.issues };
}

/** The dotted path of the value a valibot issue is about (`retry.limit`), or undefined at the top. */
export function issuePath(issue: v.BaseIssue<unknown>): string | undefined {
  return issue.path?.map((item) => String(item.key)).join(".");
}

/**
 * A name, in quotes, when it is short printable ASCII; otherwise a neutral description. Names may
 * be echoed (they help find a typo); anything that could be a secret pasted in the wrong place may not.
 */
export function quoteName(name: string): string {
  return name.length <= 40 && /^[\w$.-]+$/.test(name) ? `"${name}"` : "(an unusual name, not shown)";
}

/**
 * Turns the first valibot issue into an `invalid_config` error naming the option. The input is
 * never quoted, so a misplaced secret cannot leak through the message.
 */
export function configError(issues: readonly v.BaseIssue<unknown>[], what: string): GenesysAuthError {
  const issue = issues[0] as v.BaseIssue<unknown>;
  const path = issuePath(issue);
  return new GenesysAuthError(
    "invalid_config",
    `Invalid ${path ? `${what} ${quoteName(path)}` : `${what}s`}: ${issue.message}.`,
  );
}

/**
 * Validates an options object (own properties only, also those of the nested objects named in
 * `nested`) and answers the own-property copy, or throws `invalid_config` naming the option.
 */
export function checkOptions<T>(schema: v.GenericSchema, options: T, what: string, nested: string[] = []): T {
  const own = ownProperties(options) as Record<string, unknown>;
  if (typeof own === "object" && own !== null) {
    for (const key of nested) if (key in own) own[key] = ownProperties(own[key]);
  }
  const result = v.safeParse(schema, own);
  if (!result.success) throw configError(result.issues, what);
  return own as T;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** True for a loopback host name as a URL spells it: 127.0.0.0/8, localhost, [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * True when `url` is https, or http to a loopback host (127.0.0.0/8, localhost, [::1]), and carries
 * no fragment, credentials or — unless `query` — query.
 */
function isWebUrl(url: unknown, query: boolean): boolean {
  if (typeof url !== "string") return false;
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === "https:" || (parsed.protocol === "http:" && LOOPBACK.test(parsed.hostname))) &&
      !url.includes("#") &&
      (query || !url.includes("?")) &&
      parsed.username === "" &&
      parsed.password === ""
    );
  } catch {
    return false;
  }
}

/** A base URL (paths are appended to it): https, or http to a loopback host; no query, fragment or credentials. */
export function isAllowedBaseUrl(url: string): boolean {
  return isWebUrl(url, false);
}

/** A value `test` accepts, else the issue `message`. */
export const valid = <T>(test: (x: unknown) => boolean, message: string) =>
  v.custom<T>((x) => {
    try {
      return test(x);
    } catch {
      return false; // a getter or a Proxy that throws is not a valid value
    }
  }, message);

/** An OAuth client's id or secret: a non-blank string without surrounding whitespace. */
export const credential = (what: string) =>
  v.pipe(
    v.string(`must be a string (the OAuth client's ${what})`),
    v.check((s) => s.trim() !== "", "must not be empty or blank"),
    v.check(
      (s) => s.trim() === s,
      "has leading or trailing whitespace (often copied from the admin UI or a .env file): remove it",
    ),
  );

/**
 * A redirect URI: an absolute https URL, or http to a loopback host (a local app or the CLI), without
 * a fragment or credentials (a query is allowed: Genesys compares the whole URI as registered).
 */
export const redirectUri = valid<string>(
  (x) => isWebUrl(x, true),
  "must be the redirect URI registered on the OAuth client: an https:// URL, or http:// to a loopback host, without a fragment",
);

/** `loginUrl` and `apiUrl`. */
export const baseUrl = valid<string>(
  (x) => isWebUrl(x, false),
  "must be an https:// URL, or http:// to a loopback host (localhost, 127.0.0.1, [::1]) only, without a query, fragment or credentials",
);

/** A number (of `unit`s). */
const numberOf = (unit: string) => valid<number>((x) => typeof x === "number", `must be a number of ${unit}`);

/** A whole number from `min` to `max`. */
export const wholeNumber = (unit: string, min: number, max: number) =>
  v.pipe(
    numberOf(unit),
    v.check((x: number) => Number.isInteger(x), `must be a whole number of ${unit}`),
    v.check((x) => x >= min, `must be >= ${min}`),
    v.check((x) => x <= max, `must be <= ${max}`),
  );

/** A finite number of seconds, at least 0. */
export const seconds = v.pipe(
  numberOf("seconds"),
  v.check((x: number) => Number.isFinite(x), "must be finite"),
  v.check((x) => x >= 0, "must be >= 0"),
);

/** A function. */
export const fn = (what: string) =>
  valid<(...args: never[]) => unknown>((x) => typeof x === "function", `must be ${what}`);

/** An object with every method in `names`. */
export const withMethods = <T>(message: string, ...names: string[]) =>
  valid<T>(
    (x) =>
      typeof x === "object" &&
      x !== null &&
      names.every((name) => typeof (x as Record<string, unknown>)[name] === "function"),
    message,
  );

/** A string. */
export const text = (message: string) => valid<string>((x) => typeof x === "string", message);

/** `true` or `false`. */
export const flag = valid<boolean>((x) => typeof x === "boolean", "must be true or false");

/** Scope names: an array of non-empty strings without spaces. */
export const scopeList = v.array(
  valid<string>(
    (x) => typeof x === "string" && /^\S+$/.test(x),
    'must be non-empty strings without spaces, e.g. ["users:readonly"]',
  ),
  "must be an array of strings",
);

/** The `retry` option of the token engine and of createClient. */
export const retryPolicySchema = v.strictObject(
  shape({
    limit: v.optional(wholeNumber("retries", 0, 10)),
    maxRetryAfterSeconds: v.optional(seconds),
  }),
  (issue) => `has an unknown key ${quoteName(String(issue.input))} (known: limit, maxRetryAfterSeconds)`,
);

/** A per-attempt timeout in milliseconds. */
export const timeoutSchema = wholeNumber("milliseconds", 1, 2_147_483_647);

/**
 * A strict options object: an unknown key is named (when short and ASCII) with the list of known ones.
 */
export function optionsObject<T extends Record<string, v.GenericSchema>>(entries: T, what: string) {
  const known = Object.keys(entries).join(", ");
  return v.strictObject(shape(entries), (issue) =>
    issue.expected === "never" ? `is not a ${what} (known: ${known})` : `must be an object of ${what}s`,
  );
}
