/**
 * One HTTP exchange that carries a credential: redirects are never followed (a 3xx comes back as it
 * is), one deadline covers the whole exchange — headers and body — and bodies are read within a size
 * limit. The token request and the API client both send through {@link exchange}.
 *
 * @module
 */
import { TimeoutError } from "ky";
import { GenesysAuthError, plainError } from "./errors.ts";
import { unrefTimer } from "./wait.ts";

/** The most of a body read to explain a failure, or to parse a token response. */
const BODY_LIMIT = 64 * 1024;

/** What {@link exchange} does with the response body. */
export interface ExchangeOptions {
  /** The deadline of the whole exchange, in ms. */
  readonly timeoutMs: number;
  /**
   * `"buffer"`: read the body (at most {@link BODY_LIMIT} bytes) before answering, inside the deadline.
   * `"stream"`: answer at the headers and keep the deadline armed until the body has been read.
   */
  readonly body: "buffer" | "stream";
}

/**
 * Own `undefined`s (and ky's defaults) for the ky and fetch options that would otherwise be read from
 * a polluted `Object.prototype`: how bodies are parsed, whether errors throw, cookies, referrer.
 */
export const UNINHERITED = {
  parseJson: undefined,
  stringifyJson: undefined,
  onDownloadProgress: undefined,
  onUploadProgress: undefined,
  throwHttpErrors: true,
  credentials: undefined,
  mode: undefined,
  referrer: undefined,
  referrerPolicy: undefined,
  integrity: undefined,
  keepalive: undefined,
  cache: undefined,
} as const;

/** Whether `response` is a redirect: a 3xx, or the browser's opaque answer to `redirect: "manual"`. */
export function isRedirect(response: Response): boolean {
  return (response.status >= 300 && response.status < 400) || response.type === "opaqueredirect";
}

/** A fetch signature that takes what ky and the SDK pass. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * `userFetch`, or the runtime's fetch when there is none, always called as a plain function:
 * workerd refuses a fetch invoked as a method of another object.
 */
export function unboundFetch(userFetch?: Fetch): Fetch {
  return userFetch ? (input, init) => userFetch(input, init) : (input, init) => globalThis.fetch(input, init);
}

/** Where fetch wrappers note the method of a request that got no response (see {@link methodOf}). */
const METHOD = Symbol.for("genesys-cloud-auth.method");

/**
 * Notes `method` on a transport error (a lost connection has no response to tell it), so the retry
 * policy knows whether the request may be repeated. Only the method is kept: never the request, whose
 * headers may hold credentials.
 */
function tagWithMethod<E>(error: E, method: string): E {
  if (typeof error === "object" && error !== null && !(METHOD in error)) {
    Object.defineProperty(error, METHOD, { value: method, enumerable: false, configurable: true });
  }
  return error;
}

/** The method of the request a transport error or ky `TimeoutError` belongs to, when known. */
export function methodOf(error: unknown): string | undefined {
  const tagged = (error as Record<symbol, unknown>)?.[METHOD];
  if (typeof tagged === "string") return tagged;
  const request = (error as { request?: { method?: unknown } })?.request; // ky's TimeoutError
  return typeof request?.method === "string" ? request.method : undefined;
}

/** Where {@link exchange} leaves, on a streamed response, the function that disarms its deadline. */
const DISARM = Symbol.for("genesys-cloud-auth.disarm");

/**
 * Reads at most `limit` bytes of `response`'s body as text, then cancels the rest, and disarms the
 * deadline {@link exchange} keeps on it (the body is done with).
 */
export async function readLimited(response: Response, limit = BODY_LIMIT): Promise<string> {
  try {
    return await readPrefix(response, limit);
  } finally {
    (response as { [DISARM]?: () => void })[DISARM]?.();
  }
}

async function readPrefix(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return "";
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    text += decoder.decode(value.byteLength > room ? value.subarray(0, room) : value, { stream: true });
    size += value.byteLength;
    if (size >= limit) {
      // Not awaited: cancelling one branch of a cloned body settles only once the other is cancelled too.
      reader.cancel().catch(() => undefined);
      break;
    }
  }
  return text + decoder.decode();
}

/** The error of a request that ran out of time, naming it (never its headers). */
function timeoutError(request: Request, ms: number): TimeoutError {
  const error = new TimeoutError(request);
  error.message = `${request.method} ${request.url} timed out after ${ms} ms`;
  return error;
}

/**
 * Sends `request` once through `fetch` with `redirect: "manual"` and a deadline of
 * `options.timeoutMs` over headers and body. The caller's abort (the request's signal) ends it too.
 *
 * @throws ky's `TimeoutError` when the deadline passes; `GenesysAuthError` when the fetch function
 *   followed a redirect although told not to; the fetch's own error (tagged with the method) otherwise.
 */
export async function exchange(
  fetch: Fetch,
  request: Request,
  init: RequestInit | undefined,
  options: ExchangeOptions,
): Promise<Response> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(request.signal.reason);
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener("abort", onAbort, { once: true });
  let timedOut: TimeoutError | undefined;
  const timer = setTimeout(() => {
    timedOut = timeoutError(request, options.timeoutMs);
    controller.abort(timedOut);
  }, options.timeoutMs);
  unrefTimer(timer);
  const done = () => {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", onAbort);
  };
  let response: Response;
  try {
    response = await fetch(request, { ...init, signal: controller.signal, redirect: "manual" });
    if (response.redirected) {
      throw new GenesysAuthError(
        "invalid_config",
        `${request.method} ${request.url} was redirected by the fetch function although the SDK asked it not to follow redirects; the answer was refused.`,
        {
          hint: 'The `fetch` passed to the SDK ignores `redirect: "manual"`. Credentials must never follow a redirect: pass a fetch that honours the option (the runtime\'s own fetch does).',
        },
      );
    }
    if (options.body === "buffer" && response.body !== null) {
      const text = await readLimited(response);
      done();
      return new Response(response.status === 204 || response.status === 304 ? null : text, response);
    }
  } catch (error) {
    done();
    // The SDK's own refusal is final, a caller's abort its own; anything else is a lost exchange the
    // retry policy may repeat, passed on as a plain copy: a custom fetch's error may carry the request,
    // its credential included.
    if (timedOut) throw timedOut;
    if (error instanceof GenesysAuthError || request.signal.aborted) throw error;
    throw tagWithMethod(plainError(error), request.method);
  }
  if (response.body === null) {
    done();
    return response;
  }
  // The deadline stays armed while the caller reads the body: reading it through a body method
  // disarms it at the end; a caller streaming `response.body` itself reads under the deadline.
  // (Cheaper than re-streaming the body, which would cost a third of a loopback round trip.)
  const target = response as unknown as Record<string | symbol, unknown>;
  Object.defineProperty(target, DISARM, { value: done });
  for (const name of BODY_METHODS) {
    const read = target[name];
    if (typeof read === "function")
      target[name] = () => (read.call(response) as Promise<unknown>).finally(done);
  }
  return response;
}

/** The methods that read a whole body. */
const BODY_METHODS = ["arrayBuffer", "blob", "bytes", "formData", "json", "text"] as const;
