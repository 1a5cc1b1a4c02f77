/**
 * Redaction of credentials from server text before it reaches an error, an event or a log: servers
 * echo requests, so an error body may hold the client secret, its Basic value, a form-encoded copy of
 * it, or a bearer token. Also strips terminal control sequences for printing, and escapes text for HTML.
 *
 * @module
 */
import { bytesToBase64, bytesToBase64Url } from "./encoding.ts";

/** What replaces a credential. */
export const REDACTED = "[redacted]";

/** Replaces every known credential in `text` with {@link REDACTED}. */
export type Redact = (text: string) => string;

/** Where an auth exposes its redaction to the API client (non-enumerable: never serialised). */
export const REDACT = Symbol.for("genesys-cloud-auth.redact");

/** Where Node's `util.inspect` looks for an object's own view of itself. */
export const INSPECT = Symbol.for("nodejs.util.inspect.custom");
/** Where Deno's inspection looks for it. */
export const DENO_INSPECT = Symbol.for("Deno.customInspect");

/** The redactor an auth of this SDK carries under {@link REDACT}, if `holder` is one. */
export function redactorOf(holder: unknown): Redact | undefined {
  return (holder as { [REDACT]?: Redact } | undefined)?.[REDACT];
}

/** Shorter values are not redacted: they would blank ordinary words out of messages. */
const MIN_LENGTH = 6;

/**
 * `value` and the encodings a server may echo it in: percent-encoded and form-encoded (with upper or
 * lower case hex digits), and base64 / base64url.
 */
function spellings(value: string): string[] {
  const percent = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
  const bytes = new TextEncoder().encode(value);
  const base64 = bytesToBase64(bytes).replace(/=+$/, "");
  return [...new Set([value, percent, form, lower(percent), lower(form), base64, bytesToBase64Url(bytes)])];
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

/** Line breaks of every kind, as a run. */
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/**
 * Server text on one line (a planted line break cannot forge a log line or a CLI check), cut to
 * `max` characters, for messages.
 */
export function clip(text: string, max = 300): string {
  const line = text.replace(LINE_BREAKS, " ");
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** ANSI escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and two-character escapes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;
/** C0 and C1 control characters but newline and tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Invisible format characters: zero-width ones, bidirectional overrides and isolates, the BOM. */
const INVISIBLES = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `text` without terminal control sequences (ANSI CSI/OSC escapes, C0 and C1 controls but newline and
 * tab) and invisible format characters: server text printed by the CLI cannot move the cursor,
 * retitle the window, hide lines or show itself reordered.
 */
export function stripControls(text: string): string {
  return text.replace(ESCAPES, "").replace(CONTROLS, "").replace(INVISIBLES, "");
}

/** {@link stripControls}, on one line (tabs too): for a field a server chose (an organization's or user's name). */
export function oneLine(text: string): string {
  return stripControls(text.replace(LINE_BREAKS, " ").replace(/\t/g, " "));
}
