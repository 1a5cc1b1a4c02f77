import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs, decideRetry, parseRetryAfter } from "../../src/retry.ts";

const settings = { limit: 3, maxRetryAfterSeconds: 60 };
const NOW = Date.parse("2026-11-24T12:00:00Z");

describe("parseRetryAfter", () => {
  it.each([
    ["120", 120],
    [" 5 ", 5],
    ["0", 0],
    ["1.5", 2],
    ["Tue, 24 Nov 2026 12:00:30 GMT", 30],
    ["Tue, 24 Nov 2026 11:00:00 GMT", 0],
    ["Tuesday, 24-Nov-26 12:01:00 GMT", 60],
  ])("%j → %j", (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it.each([null, undefined, "", "-5", "soon", "1e3", "0x10", "Infinity", "12 seconds"])(
    "%j → undefined",
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );

  it("property: whole seconds round-trip; HTTP dates give the distance; garbage is undefined", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), (n) => {
        expect(parseRetryAfter(String(n), NOW)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (delta) => {
        const date = new Date(NOW + delta * 1000).toUTCString();
        expect(parseRetryAfter(date, NOW)).toBe(Math.max(0, delta));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        const seconds = parseRetryAfter(text, NOW);
        if (seconds !== undefined) expect(Number.isInteger(seconds) && seconds >= 0).toBe(true);
      }),
    );
  });
});

describe("decideRetry", () => {
  it("retries 429 for any method, honouring Retry-After", () => {
    expect(decideRetry(429, "2", 0, false, settings, NOW)).toEqual({ retry: true, retryAfterSeconds: 2 });
  });

  it("gives up at once past the cap, reporting the wait", () => {
    expect(decideRetry(429, "3600", 0, true, settings, NOW)).toEqual({
      retry: false,
      retryAfterSeconds: 3600,
    });
  });

  it("retries 5xx only when the request may be repeated", () => {
    expect(decideRetry(503, null, 0, true, settings, NOW).retry).toBe(true);
    expect(decideRetry(503, null, 0, false, settings, NOW).retry).toBe(false);
    expect(decideRetry(500, null, 0, true, settings, NOW).retry).toBe(true);
    expect(decideRetry(501, null, 0, true, settings, NOW).retry).toBe(false);
  });

  it("never retries other statuses or past the limit", () => {
    for (const status of [400, 401, 403, 404, 409])
      expect(decideRetry(status, "1", 0, true, settings, NOW).retry).toBe(false);
    expect(decideRetry(429, "1", 3, true, settings, NOW)).toEqual({ retry: false, retryAfterSeconds: 1 });
  });

  it("property: unreadable Retry-After values mean backoff; readable ones are obeyed up to the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.oneof(fc.string(), fc.nat(200).map(String)),
        (count, header) => {
          const verdict = decideRetry(429, header, count, true, { limit: 10, maxRetryAfterSeconds: 60 }, NOW);
          const seconds = parseRetryAfter(header, NOW);
          expect(verdict.retryAfterSeconds).toBe(seconds);
          expect(verdict.retry).toBe(seconds === undefined || seconds <= 60);
        },
      ),
    );
    expect(backoffMs(1)).toBe(500);
    expect(backoffMs(3)).toBe(2000);
    expect(backoffMs(20)).toBe(30_000);
  });
});
