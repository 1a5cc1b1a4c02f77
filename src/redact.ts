/**
 * Redaction of credentials from server text before it reaches an error, an event or a log: servers
 * echo requests, so an error body may hold the client secret, its Basic value, a form-encoded copy of
 * it, or a bearer token. Also strips terminal control sequences for printing, and escapes text for HTML.
 *
 * @module
 */

/** What replaces a credential. */
export const REDACTED = "[redacted]";

/** Replaces every known credential in `text` with {@link REDACTED}. */
export type Redact = (text: string) => string;

/** Where an auth exposes its redaction to the API client (non-enumerable: never serialised). */
export const REDACT = Symbol.for("genesys-cloud-auth.redact");

/** Shorter values are not redacted: they would blank ordinary words out of messages. */
const MIN_LENGTH = 8;

/** `value` and the encodings a server may echo it in: percent-encoded and form-encoded. */
function spellings(value: string): string[] {
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  return [...new Set([value, encodeURIComponent(value), form])];
}

/**
 * A {@link Redact} for the values `sources()` yields when it runs (so tokens obtained later are
 * covered too). Longer spellings are replaced first, so a value inside another is never half-redacted.
 */
export function redactor(sources: () => Iterable<string | undefined>): Redact {
  return (text) => {
    const found: string[] = [];
    for (const value of sources()) {
      if (value !== undefined && value.length >= MIN_LENGTH) found.push(...spellings(value));
    }
    found.sort((a, b) => b.length - a.length);
    let out = text;
    for (const value of found) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  };
}

/** A copy of a parsed JSON value with every string redacted (objects and arrays walked to a depth of 20). */
export function redactDeep<T>(value: T, redact: Redact, depth = 0): T {
  if (typeof value === "string") return redact(value) as T;
  if (typeof value !== "object" || value === null || depth > 20) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[redact(key)] = redactDeep(item, redact, depth + 1);
  return copy as T;
}

/** Server text cut to `max` characters, for messages. */
export function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** ANSI escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and two-character escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;
/** C0 and C1 control characters but newline and tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` without terminal control sequences (ANSI CSI/OSC escapes, C0 and C1 controls but newline and
 * tab): server text printed by the CLI cannot move the cursor, retitle the window or hide lines.
 */
export function stripControls(text: string): string {
  return text.replace(ESCAPES, "").replace(CONTROLS, "");
}
