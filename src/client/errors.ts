/**
 * Makes ky's `HTTPError` explain a Genesys failure: the platform error body, the correlation id, a
 * hint, a one-line message — and no `Authorization` header anywhere on it.
 *
 * @module
 */
import type { HTTPError } from "ky";
import { parseJsonObject } from "../encoding.ts";
import { parseRetryAfter } from "../retry.ts";

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
  /** Genesys' error body, when it sent JSON. */
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

const HINTS: Readonly<Record<number, string>> = {
  401: "The token was refused even after a fresh one was fetched: check that the OAuth client is active and belongs to this region's organization.",
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
 */
export async function enrichHttpError(
  error: HTTPError,
  maxRetryAfterSeconds: number,
): Promise<GenesysHTTPError> {
  error.request.headers.delete("authorization");
  const enriched = error as GenesysHTTPError;
  const { response, request } = error;
  const text = await response
    .clone()
    .text()
    .catch(() => "");
  const body = parseJsonObject(text) as GenesysApiError | undefined;
  const correlationId =
    response.headers.get("inin-correlation-id") ??
    (typeof body?.contextId === "string" ? body.contextId : undefined);
  enriched.status = response.status;
  if (body !== undefined) enriched.genesys = body;
  if (typeof body?.code === "string") enriched.code = body.code;
  if (correlationId) enriched.correlationId = correlationId;
  const hint = HINTS[response.status];
  if (hint !== undefined) enriched.hint = hint;
  let wait = "";
  if (response.status === 429) {
    const seconds = parseRetryAfter(response.headers.get("retry-after"));
    if (seconds !== undefined) {
      enriched.retryAfterSeconds = seconds;
      wait =
        seconds > maxRetryAfterSeconds
          ? `; Genesys asked to wait ${seconds} s, more than retry.maxRetryAfterSeconds (${maxRetryAfterSeconds} s), so it was not retried`
          : `; Retry-After ${seconds} s`;
    }
  }
  const code = typeof body?.code === "string" ? ` ${body.code}` : "";
  const message =
    typeof body?.message === "string"
      ? `: ${body.message}`
      : response.statusText
        ? `: ${response.statusText}`
        : "";
  const suffix = correlationId ? ` (correlation id ${correlationId})` : "";
  enriched.message = `${request.method} ${pathOf(request.url)} → ${response.status}${code}${message}${wait}${suffix}`;
  return enriched;
}
