/**
 * `createClient`: a ky instance for the Genesys Cloud platform API that authenticates every
 * request, replays once after a 401, backs off on 429/5xx with the shared retry policy, pauses the
 * whole client while a `Retry-After` is pending, and turns failures into self-explaining errors.
 *
 * @module
 */
import ky, {
  type AfterResponseHook,
  type BeforeRequestHook,
  type KyInstance,
  type Options,
  TimeoutError,
} from "ky";
import { enrichHttpError } from "./client/errors.ts";
import { createThrottle } from "./client/throttle.ts";
import type { RetryPolicy } from "./config.ts";
import { IDEMPOTENT_METHODS, kyRetryOptions } from "./retry.ts";
import type { GenesysAuth } from "./token/auth.ts";

/** Options of {@link createClient}: ky's options (but `prefixUrl`, which is `auth.apiUrl`) plus `auth`. */
export interface CreateClientOptions extends Omit<Options, "prefixUrl" | "retry" | "timeout"> {
  /** Where tokens come from. */
  auth: GenesysAuth;
  /** Retry policy for 429 (any method) and 5xx (idempotent methods). Defaults: 3 retries, 60 s cap. */
  retry?: RetryPolicy;
  /** Timeout of each attempt in ms (default 10 000); the error names the URL and the time. */
  timeout?: number;
}

const authOfClient = new WeakMap<KyInstance, GenesysAuth>();

/** The auth a client made by {@link createClient} uses. */
export function authOf(api: KyInstance): GenesysAuth | undefined {
  return authOfClient.get(api);
}

/**
 * Creates a ky instance whose `prefixUrl` is `auth.apiUrl`:
 * `await api.get("api/v2/organizations/me").json()`.
 */
export function createClient(options: CreateClientOptions): KyInstance {
  const { auth, retry, timeout = 10_000, hooks = {}, fetch: userFetch, ...kyOptions } = options;
  // Called as a plain function: workerd refuses a fetch invoked as a method of another object.
  const baseFetch = (input: RequestInfo | URL, init?: RequestInit) =>
    userFetch ? userFetch(input, init) : globalThis.fetch(input, init);
  const settings = { limit: retry?.limit ?? 3, maxRetryAfterSeconds: retry?.maxRetryAfterSeconds ?? 60 };
  const throttle = createThrottle();
  const policy = kyRetryOptions(
    settings,
    IDEMPOTENT_METHODS,
    (method) => IDEMPOTENT_METHODS.includes(method),
    (_attempt, delayMs, status) => {
      if (status === 429) throttle.hold(delayMs);
    },
  );
  /** The bearer each outgoing request is to carry (kept off ky's request objects, so errors never hold it). */
  const bearerOf = new WeakMap<Request, string>();
  /** The token each request (by its ky context) last used, and which requests were replayed. */
  const usedToken = new WeakMap<object, string>();
  const replayed = new WeakSet<object>();

  const authorize: BeforeRequestHook = async (request, normalized) => {
    const pause = throttle.wait(request.signal);
    if (pause !== undefined) await pause;
    const { accessToken } = await auth.getToken({ signal: request.signal });
    bearerOf.set(request, accessToken);
    usedToken.set(normalized.context, accessToken);
  };

  const replayAfter401: AfterResponseHook = async (_request, normalized, response, state) => {
    if (response.status !== 401) return;
    const context = normalized.context;
    if (replayed.has(context) || state.retryCount >= (normalized.retry.limit ?? settings.limit)) return;
    replayed.add(context);
    await auth.invalidate(usedToken.get(context));
    return ky.retry({ delay: 0, code: "GENESYS_TOKEN_REPLAY" });
  };

  const authorizedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const headers = new Headers(request.headers);
    // A user hook that replaced the request after ours: fetch the (cached) token here instead.
    const bearer = bearerOf.get(request) ?? (await auth.getToken({ signal: request.signal })).accessToken;
    headers.set("authorization", `Bearer ${bearer}`);
    const timer = new AbortController();
    const id = setTimeout(() => timer.abort(), timeout);
    try {
      return await baseFetch(
        new Request(request, { headers, signal: AbortSignal.any([request.signal, timer.signal]) }),
        init,
      );
    } catch (error) {
      if (!timer.signal.aborted || request.signal.aborted) throw error;
      const timedOut = new TimeoutError(request);
      timedOut.message = `${request.method} ${request.url} timed out after ${timeout} ms`;
      throw timedOut;
    } finally {
      clearTimeout(id);
    }
  };

  const api = ky.create({
    ...kyOptions,
    prefixUrl: auth.apiUrl,
    timeout: false,
    fetch: authorizedFetch,
    retry: policy.retry,
    hooks: {
      ...hooks,
      beforeRequest: [authorize, ...(hooks.beforeRequest ?? [])],
      afterResponse: [replayAfter401, policy.afterResponse, ...(hooks.afterResponse ?? [])],
      beforeRetry: [policy.beforeRetry, ...(hooks.beforeRetry ?? [])],
      beforeError: [
        (error) => enrichHttpError(error, settings.maxRetryAfterSeconds),
        ...(hooks.beforeError ?? []),
      ],
    },
  });
  authOfClient.set(api, auth);
  return api;
}
