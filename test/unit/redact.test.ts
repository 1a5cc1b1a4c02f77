// Redaction and printing of server text: every spelling a server may echo a credential in is
// redacted, and text made for a terminal or a log line keeps no control or invisible character.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clip, oneLine, REDACTED, redactor, stripControls } from "../../src/redact.ts";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64").replace(/=+$/, "");
const echoes: Array<[string, (secret: string) => string]> = [
  ["as is", (s) => s],
  ["percent-encoded", (s) => encodeURIComponent(s)],
  [
    "percent-encoded, lower case",
    (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  ],
  ["form-encoded", (s) => new URLSearchParams({ v: s }).toString().slice(2)],
  [
    "form-encoded, lower case",
    (s) =>
      new URLSearchParams({ v: s })
        .toString()
        .slice(2)
        .replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
  ],
  ["base64", base64],
  ["base64url", (s) => base64(s).replace(/\+/g, "-").replace(/\//g, "_")],
];

describe("redactor()", () => {
  it.each(echoes)("redacts a credential echoed %s", (_name, spell) => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 60 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          fc.pre(secret.trim().length >= 6);
          const out = redactor(() => [secret])(`${before}${spell(secret)}${after}`);
          expect(out).toContain(REDACTED);
          expect(out.includes(spell(secret))).toBe(false);
        },
      ),
    );
  });

  it("leaves values shorter than 6 characters alone (ordinary words stay readable)", () => {
    expect(redactor(() => ["abcde"])("abcde fghij")).toBe("abcde fghij");
    expect(redactor(() => ["abcdef"])("abcdef fghij")).toBe(`${REDACTED} fghij`);
  });

  it("redacts a value inside a longer one completely (longest first)", () => {
    const redact = redactor(() => ["secret-value", "my-secret-value-2"]);
    expect(redact("x my-secret-value-2 y")).toBe(`x ${REDACTED} y`);
  });
});

/** Line breaks, controls and invisible characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

describe("printing server text", () => {
  const hostile = fc
    .array(
      fc.oneof(
        fc.constantFrom("\n", "\r", "\u0085", "\u2028", "\u202e", "\u200b", "\u001b[2J", "\u009b", "\u0007"),
        fc.string({ unit: "binary", maxLength: 3 }),
      ),
    )
    .map((parts) => parts.join(""));

  it("oneLine(): no line break, control or invisible character survives", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(oneLine(text)).not.toMatch(UNPRINTABLE);
      }),
    );
  });

  it("stripControls(): keeps newlines and tabs, drops escapes, controls and invisible characters", () => {
    expect(stripControls("a\tb\nc\u001b]0;title\u0007d\u202ee\u200bf")).toBe("a\tb\ncdef");
  });

  it("clip(): one line, at most max characters and an ellipsis", () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 50 }), (text, max) => {
        const out = clip(text, max);
        expect(out).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
        expect(out.length).toBeLessThanOrEqual(max + 1);
      }),
    );
  });
});
