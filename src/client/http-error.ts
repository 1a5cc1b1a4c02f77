/**
 * Makes ky's `HTTPError` explain a Genesys failure: the platform error body (read within 64 KB),
 * the correlation id, a hint, a one-line message — with no `Authorization` header anywhere on it and
 * every credential the server echoed redacted, in its fields and in its inspect output.
 *
 * @module
 */
import type { HTTPError } from "ky";
import { readFailure } from "../failure.ts";
import { DENO_INSPECT, INSPECT, type Redact, redactDeep } from "../redact.ts";
import { isRedirect, readLimited } from "../transport.ts";
import { REFUSAL_WINDOW_MS } from "./fetch.ts";

/** The platform API error body Genesys sends (unknown fields kept). */
export interface GenesysApiError {
  message?: string;
  code?: string;
  status?: number;
  messageWithParams?: string;
  messageParams?: Record<string, unknown>;
  contextId?: string;
  entityId?: string;
  entityName?: string;
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors?: unknown[];
  [key: string]: unknown;
}

/** Fields `createClient` adds to ky's `HTTPError`. */
export interface GenesysErrorFields {
  /** The HTTP status (also `error.response.status`). */
  status?: number;
  /** Genesys' error code, e.g. `"not.found"`, `"bad.credentials"`. */
  code?: string;
  /** Genesys' error body, when it sent JSON (credentials it echoed are redacted). */
  genesys?: GenesysApiError;
  /** `ININ-Correlation-Id` (or the body's `contextId`): quote it to Genesys support. */
  correlationId?: string;
  /** What to check. */
  hint?: string;
  /** For 429: the wait Genesys asked for, in seconds. */
  retryAfterSeconds?: number;
}

/** ky's `HTTPError` as `createClient` enriches it. */
export type GenesysHTTPError = HTTPError & GenesysErrorFields;

/** Marks the errors {@link enrichHttpError} enriched, across realms and copies of the SDK. */
const ENRICHED = Symbol.for("genesys-cloud-auth.http-error");

/**
 * True when `error` is an `HTTPError` of a Genesys API call made through `createClient` (enriched
 * with `status`, `code`, `genesys`, `correlationId`, `hint`). Works across realms and bundled copies,
 * like ky's `isHTTPError`.
 */
export function isGenesysHTTPError(error: unknown): error is GenesysHTTPError {
  return typeof error === "object" && error !== null && (error as { [ENRICHED]?: true })[ENRICHED] === true;
}

const REDIRECT_HINT =
  "The API answered with a redirect. The client never follows one: it would carry the bearer token, or answer with a body that is not Genesys'. If the answer is a download link, read error.response.headers.get('location') and fetch it without the token.";

const HINTS: Readonly<Record<number, string>> = {
  401: `Genesys refused the token even after a fresh one was fetched. Check that apiUrl and loginUrl are in the same region (a token works only in the region that issued it), that the OAuth client still exists and is active, and the organization's idle-token timeout (an idle token ends early). For ${REFUSAL_WINDOW_MS / 1000} s this client sends the same token again instead of fetching a new one per call.`,
  403: "The OAuth client's roles lack a permission this call needs: in Admin > Integrations > OAuth > your client > Roles, grant a role with the permission named in the message (and the division it applies to).",
  404: "The resource does not exist, or is in a division the OAuth client's roles do not cover.",
  429: "Genesys allows 300 requests per minute per token: slow down, spread calls over time, or share the client instead of creating many.",
};

/** `/api/v2/users/42?x=1` from a full URL (hosts are the same for every call of a client). */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

/**
 * Rewrites `error` in place: removes the `Authorization` header, then adds the Genesys body,
 * correlation id, hint and a message like
 * `GET /api/v2/users/42 → 404 not.found: The user could not be found (correlation id …)`.
 * Server text passes through `redact` and is clipped; the body is read within 64 KB.
 */
export async function enrichHttpError(
  error: HTTPError,
  maxRetryAfterSeconds: number,
  redact: Redact,
): Promise<GenesysHTTPError> {
  error.request.headers.delete("authorization");
  const enriched = error as GenesysHTTPError;
  const { response, request } = error;
  // The body is read here, within 64 KB, and the error keeps that copy: reading a clone instead would
  // leave the original unread under a deadline that errors it later, where nobody listens.
  const text = await readLimited(response).catch(() => "");
  if (response.status >= 200 && response.status <= 599) {
    const kept = new Response(text === "" ? null : text, response); // (an opaque redirect has no body)
    Object.defineProperty(kept, "url", { value: response.url });
    Object.defineProperty(enriched, "response", {
      value: kept,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  const failure = readFailure(response.status, response.headers, text, redact, maxRetryAfterSeconds);
  const { correlationId, said: serverSaid, retryAfterSeconds } = failure;
  const body = failure.json === undefined ? undefined : (redactDeep(failure.json, redact) as GenesysApiError);
  const code = serverSaid(body?.code);
  enriched.status = response.status;
  if (body !== undefined) enriched.genesys = body;
  if (code !== undefined) enriched.code = code;
  if (correlationId) enriched.correlationId = correlationId;
  const hint = isRedirect(response) ? REDIRECT_HINT : HINTS[response.status];
  if (hint !== undefined) enriched.hint = hint;
  if (retryAfterSeconds !== undefined) enriched.retryAfterSeconds = retryAfterSeconds;
  const said = serverSaid(body?.message) ?? serverSaid(response.statusText);
  const suffix = correlationId ? ` (correlation id ${correlationId})` : "";
  enriched.message = `${request.method} ${pathOf(request.url)} → ${response.status}${code ? ` ${code}` : ""}${said ? `: ${said}` : ""}${failure.waitText}${suffix}`;
  // ky's stack starts with its own message, which quotes the server's status text: replace that line.
  const stack = enriched.stack ?? "";
  const frames = stack.indexOf("\n    at ");
  enriched.stack = `${enriched.name}: ${enriched.message}${frames === -1 ? "" : redact(stack.slice(frames))}`;
  Object.defineProperty(enriched, ENRICHED, { value: true });
  // inspect() would show the raw response (headers a server may have filled with an echo): show ours.
  const view = () => describe(enriched);
  Object.defineProperty(enriched, INSPECT, { value: view, configurable: true });
  Object.defineProperty(enriched, DENO_INSPECT, { value: view, configurable: true });
  return enriched;
}

/** What `util.inspect` shows of an enriched error: its stack and the Genesys fields, nothing raw. */
function describe(error: GenesysHTTPError): string {
  const fields = {
    status: error.status,
    code: error.code,
    correlationId: error.correlationId,
    hint: error.hint,
  };
  return `${error.stack}\n${JSON.stringify(fields, null, 2)}`;
}
