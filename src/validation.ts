/**
 * What every valibot check of untrusted input shares: inputs are read through their own properties
 * only and schemas carry no prototype (a polluted `Object.prototype` is never read as an option, a
 * field of a token response or a stored entry), issue paths, and the rule for quoting a name.
 *
 * @module
 */
import * as v from "valibot";

/**
 * A copy of `value`'s own enumerable properties on an object without a prototype, so that a
 * property it lacks reads as `undefined` even when `Object.prototype` has been polluted. Anything but
 * a plain object (an array, a function, a primitive) is returned as it is.
 */
export function ownProperties<T>(value: T): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) copy[key] = (value as Record<string, unknown>)[key];
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
