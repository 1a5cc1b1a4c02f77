/**
 * `createClient`: a ky instance for the Genesys Cloud platform API that authenticates every
 * request, replays once after a 401, backs off on 429/5xx with the shared retry policy, pauses the
 * whole client while a `Retry-After` is pending, and turns failures into self-explaining errors.
 *
 * The bearer is added in the fetch layer, on the request being sent only: ky's own request objects
 * (and so every error) never hold the token. The hot path has no hooks, so responses are not cloned.
 *
 * @module
 */
import ky, { type KyInstance, type Options, TimeoutError } from "ky";
import * as v from "valibot";
import { enrichHttpError } from "./client/errors.ts";
import { createThrottle } from "./client/throttle.ts";
import { configError, type RetryPolicy, retryPolicySchema, timeoutSchema } from "./config.ts";
import { backoffMs, IDEMPOTENT_METHODS, kyRetryOptions, tagWithMethod } from "./retry.ts";
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

/** What createClient checks itself; the other options are ky's to judge. */
const clientOptionsSchema = v.looseObject(
  {
    auth: v.custom<GenesysAuth>(
      (a) =>
        typeof a === "object" &&
        a !== null &&
        typeof (a as GenesysAuth).getToken === "function" &&
        typeof (a as GenesysAuth).apiUrl === "string",
      "must be the object createAuth() returns",
    ),
    retry: v.optional(retryPolicySchema),
    timeout: v.optional(timeoutSchema),
    fetch: v.optional(v.custom<typeof fetch>((f) => typeof f === "function", "must be a fetch function")),
  },
  (issue) =>
    issue.path?.length
      ? "is missing: pass the object createAuth() returns"
      : "must be an object: createClient({ auth, ...kyOptions })",
);

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
  const checked = v.safeParse(clientOptionsSchema, options);
  if (!checked.success) throw configError(checked.issues, "createClient option");
  const { auth, retry, timeout = 10_000, hooks = {}, fetch: userFetch, ...kyOptions } = options;
  const settings = { limit: retry?.limit ?? 3, maxRetryAfterSeconds: retry?.maxRetryAfterSeconds ?? 60 };
  const throttle = createThrottle();
  const idempotent = (method: string) => IDEMPOTENT_METHODS.includes(method);
  const retryOptions = kyRetryOptions(settings, idempotent, (attempt, delayMs, status) => {
    if (status === 429) throttle.hold(delayMs ?? backoffMs(attempt));
  });

  /** Sends `request` once with `bearer`, timing out after `timeout` ms; the header is removed afterwards. */
  const send = async (request: Request, bearer: string, init: RequestInit | undefined): Promise<Response> => {
    const controller = new AbortController(); // aborted by the caller's signal or by the timeout
    const onAbort = () => controller.abort(request.signal.reason);
    request.signal.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    request.headers.set("authorization", `Bearer ${bearer}`);
    try {
      const sendInit = { ...init, signal: controller.signal };
      // Called as a plain function: workerd refuses a fetch invoked as a method of another object.
      return await (userFetch ? userFetch(request, sendInit) : globalThis.fetch(request, sendInit));
    } catch (error) {
      if (timedOut) {
        const timeoutError = new TimeoutError(request);
        timeoutError.message = `${request.method} ${request.url} timed out after ${timeout} ms`;
        throw timeoutError;
      }
      throw tagWithMethod(error, request.method);
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener("abort", onAbort);
      request.headers.delete("authorization");
    }
  };

  /** ky's fetch: waits out a pending Retry-After, adds the bearer, and replays once after a 401. */
  const authorizedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const pause = throttle.wait(request.signal);
    if (pause !== undefined) await pause;
    const first = (await auth.getToken({ signal: request.signal })).accessToken;
    const replayable = request.body === null ? request : request.clone(); // a body can be sent only once
    const response = await send(request, first, init);
    if (response.status !== 401) return response;
    // The token was refused (revoked, expired early, idle timeout): drop it if still current, retry once.
    await response.body?.cancel();
    await auth.invalidate(first);
    const second = (await auth.getToken({ signal: request.signal })).accessToken;
    return send(replayable, second, init);
  };

  const api = ky.create({
    ...kyOptions,
    prefixUrl: auth.apiUrl,
    timeout: false,
    fetch: authorizedFetch,
    retry: retryOptions,
    hooks: {
      ...hooks,
      beforeError: [
        (error) => enrichHttpError(error, settings.maxRetryAfterSeconds),
        ...(hooks.beforeError ?? []),
      ],
    },
  });
  authOfClient.set(api, auth);
  return api;
}
