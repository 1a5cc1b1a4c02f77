/**
 * Reading a Genesys failure, for the login host and the platform API alike: the JSON object of the
 * body, the correlation id (`ININ-Correlation-Id`, else the body's `contextId`), and the
 * `Retry-After` wait with the words that explain it — all server text redacted and clipped.
 *
 * @module
 */
import { parseJsonObject } from "./encoding.ts";
import { clip, type Redact } from "./redact.ts";
import { parseRetryAfter, RETRY_AFTER_STATUSES } from "./retry.ts";

/** What a failed response says, ready for an error. */
export interface Failure {
  /** The body's JSON object, if it was one (not redacted: pick fields through `said`). */
  readonly json: Record<string, unknown> | undefined;
  /** The correlation id, redacted and clipped. */
  readonly correlationId: string | undefined;
  /** The `Retry-After` wait in seconds (429 and 503 only). */
  readonly retryAfterSeconds: number | undefined;
  /** `; Genesys asked to wait N s…` for messages, empty when there was no wait. */
  readonly waitText: string;
  /** Server text fit for a message: a non-blank string, redacted and clipped; else undefined. */
  said(value: unknown): string | undefined;
}

/** Reads `status`, `headers` and the (already bounded) `body` of a failed response. */
export function readFailure(
  status: number,
  headers: Headers,
  body: string,
  redact: Redact,
  maxRetryAfterSeconds: number,
): Failure {
  const json = parseJsonObject(body);
  const said = (value: unknown) =>
    typeof value === "string" && value.trim() !== "" ? clip(redact(value.trim())) : undefined;
  const retryAfterSeconds = RETRY_AFTER_STATUSES.includes(status)
    ? parseRetryAfter(headers.get("retry-after"))
    : undefined;
  const waitText =
    retryAfterSeconds === undefined
      ? ""
      : retryAfterSeconds > maxRetryAfterSeconds
        ? `; Genesys asked to wait ${retryAfterSeconds} s, more than retry.maxRetryAfterSeconds (${maxRetryAfterSeconds} s), so it was not retried`
        : `; Retry-After ${retryAfterSeconds} s`;
  return {
    json,
    correlationId: said(headers.get("inin-correlation-id") ?? json?.contextId),
    retryAfterSeconds,
    waitText,
    said,
  };
}
