/**
 * Scripted failures for the mock: what the next requests to the login host or the API answer
 * instead of the normal response.
 *
 * @module
 */

/** Which side of the mock a fault applies to. */
export type MockTarget = "token" | "api";

/**
 * One scripted failure. Combine freely: `{ delayMs: 2000 }` is a slow but normal answer,
 * `{ status: 429, retryAfter: 3 }` a rate limit, `{ status: 200, body: "<html>" }` a broken proxy,
 * `{ networkError: true }` a dropped connection.
 */
export interface MockFault {
  /** HTTP status to answer with; the body defaults to Genesys' own body for that status. */
  status?: number;
  /** `Retry-After` value (seconds or an HTTP date); for 429 it defaults to 1. `null` sends none. */
  retryAfter?: number | string | null;
  /** Replaces the body: a string is sent as is (HTML when it starts with `<`), anything else as JSON. */
  body?: unknown;
  /** For token faults: the OAuth `error` and `description` (e.g. `"unauthorized_client"`). */
  error?: string;
  /** The OAuth `description` or the API `message`. */
  description?: string;
  /** For API faults: the Genesys `code` (e.g. `"bad.credentials"`). */
  code?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Waits this long before answering (aborts with the request's signal). */
  delayMs?: number;
  /** Drops the connection instead of answering (`fetch` rejects with a TypeError). */
  networkError?: boolean;
  /** For API faults: only requests whose path matches (a prefix string or a RegExp). */
  path?: string | RegExp;
}

/** A queue of scripted faults for one target, plus faults that strike at random. */
export class FaultQueue {
  #items: Array<{ fault: MockFault; remaining: number }> = [];
  #random: Array<{ fault: MockFault; probability: number; random: () => number }> = [];

  /** Makes `fault` strike each matching request with `probability` (0-1), until cleared. */
  sometimes(fault: MockFault, probability: number, random: () => number): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError("probability must be between 0 and 1");
    this.#random.push({ fault, probability, random });
  }

  /** Adds `fault` for the next `times` matching requests. */
  push(fault: MockFault, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError("times must be a whole number >= 1");
    this.#items.push({ fault, remaining: times });
  }

  /** Takes the first fault that applies to `path`, if any. */
  take(path: string): MockFault | undefined {
    const index = this.#items.findIndex(({ fault }) => matches(fault.path, path));
    if (index === -1) {
      return this.#random.find((r) => matches(r.fault.path, path) && r.random() < r.probability)?.fault;
    }
    const item = this.#items[index] as { fault: MockFault; remaining: number };
    item.remaining--;
    if (item.remaining === 0) this.#items.splice(index, 1);
    return item.fault;
  }

  /** Number of scripted answers left. */
  get pending(): number {
    return this.#items.reduce((sum, item) => sum + item.remaining, 0);
  }

  /** Drops every scripted and random fault. */
  clear(): void {
    this.#items = [];
    this.#random = [];
  }
}

function matches(filter: string | RegExp | undefined, path: string): boolean {
  if (filter === undefined) return true;
  return typeof filter === "string" ? path.startsWith(filter) : filter.test(path);
}

/** Thrown by the mock's handler to make the transport drop the connection. */
export class MockNetworkError extends TypeError {
  constructor() {
    super("fetch failed (mock Genesys Cloud dropped the connection)");
    this.name = "TypeError";
  }
}
