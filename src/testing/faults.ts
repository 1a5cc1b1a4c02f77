/**
 * Scripted failures for the mock: what the next requests to the login host or the API answer
 * instead of the normal response.
 *
 * @module
 */
import { apiErrorBody, defaultOauthError, genesysResponse, oauthErrorBody } from "./bodies.ts";
import { errorPage } from "./html.ts";
import type { MockStats } from "./types.ts";

/**
 * Which side of the mock a fault applies to: `"token"` (`POST /oauth/token`, any grant unless the
 * fault names one), `"authorize"` (`GET /oauth/authorize`) or `"api"` (`/api/...`).
 */
export type MockTarget = "token" | "authorize" | "api";

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
  /**
   * For token faults: the OAuth `error` of the answer (e.g. `"invalid_grant"`; status 400 unless
   * given). For authorize
   * faults (without `status`): the `error` the browser is sent back with — `{ error: "access_denied" }`
   * is the user refusing consent — after the client and redirect URI are validated.
   */
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
  /**
   * For token faults: only requests with this `grant_type` (e.g. `"refresh_token"`), so a test can
   * fail refreshes alone. Requests of other grants pass untouched and leave the fault pending.
   */
  grant?: string;
  /**
   * Processes the request first — a code or refresh token is spent, a token issued or revoked — and
   * only then answers as the fault says: an answer lost on its way back (with `networkError`), or a
   * 5xx after the work was done.
   */
  afterProcessing?: boolean;
}

/** What a fault is matched against. */
export interface FaultContext {
  path: string;
  grant?: string | undefined;
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

  /** Takes the first fault that applies to the request, if any. */
  take(request: FaultContext): MockFault | undefined {
    const index = this.#items.findIndex(({ fault }) => matches(fault, request));
    if (index === -1) {
      return this.#random.find((r) => matches(r.fault, request) && r.random() < r.probability)?.fault;
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

function matches(fault: MockFault, request: FaultContext): boolean {
  if (fault.grant !== undefined && fault.grant !== request.grant) return false;
  const filter = fault.path;
  if (filter === undefined) return true;
  return typeof filter === "string" ? request.path.startsWith(filter) : filter.test(request.path);
}

/**
 * The answer a fault scripts, or undefined when it scripts none (only a delay, a dropped
 * connection, or an authorize refusal sent back on the redirect).
 */
export function faultResponse(
  target: MockTarget,
  fault: MockFault,
  correlationId: string,
  stats: MockStats,
): Response | undefined {
  const oauthOnly = target === "token" && fault.error !== undefined;
  if (fault.status === undefined && fault.body === undefined && !oauthOnly) return undefined;
  const status = fault.status ?? (fault.body === undefined ? 400 : 200);
  const retryAfter = fault.retryAfter === undefined ? (status === 429 ? 1 : undefined) : fault.retryAfter;
  const headers: Record<string, string> = { ...fault.headers };
  if (retryAfter !== undefined && retryAfter !== null) headers["retry-after"] = String(retryAfter);
  if (status === 429) stats.rateLimited++;
  let body = fault.body;
  if (body === undefined && target === "authorize") {
    const page = errorPage(
      status,
      fault.description ?? `The login service answered ${status}.`,
      correlationId,
    );
    for (const [name, value] of Object.entries(headers)) page.headers.set(name, value);
    return page;
  }
  if (body === undefined && target === "token" && status !== 429 && status < 500) {
    const [error, description] = defaultOauthError(status);
    body = oauthErrorBody(fault.error ?? error, fault.description ?? description);
  } else if (body === undefined && status >= 400) {
    const seconds = typeof retryAfter === "number" ? retryAfter : undefined;
    body = apiErrorBody(status, correlationId, {
      ...(fault.code ? { code: fault.code } : {}),
      ...(fault.description ? { message: fault.description } : {}),
      ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
    });
  }
  if (status === 401 && target === "api") stats.apiUnauthorized++;
  return genesysResponse(status, body, correlationId, headers);
}

/** Thrown by the mock's handler to make the transport drop the connection. */
export class MockNetworkError extends TypeError {
  constructor() {
    super("fetch failed (mock Genesys Cloud dropped the connection)");
    this.name = "TypeError";
  }
}
