/**
 * `createClient`: a ky instance for the Genesys Cloud platform API that authenticates every
 * request, replays once after a 401, backs off on 429/5xx with the shared retry policy, pauses the
 * whole client while a `Retry-After` is pending, and turns failures into self-explaining errors.
 *
 * The bearer is added in the fetch layer, on the request being sent only, and only to `auth.apiUrl`'s
 * origin: ky's own request objects (and so every error) never hold the token, a request to another
 * origin is refused, and no redirect is followed. The hot path has no hooks, so responses are not cloned.
 *
 * @module
 */
import ky, { type KyInstance, type Options } from "ky";
import * as v from "valibot";
import { enrichHttpError } from "./client/errors.ts";
import { createThrottle } from "./client/throttle.ts";
import { configError, type RetryPolicy, retryPolicySchema, timeoutSchema } from "./config.ts";
import { GenesysAuthError } from "./errors.ts";
import { REDACT, type Redact, redactor } from "./redact.ts";
import { backoffMs, IDEMPOTENT_METHODS, kyRetryOptions } from "./retry.ts";
import type { GenesysAuth } from "./token/auth.ts";
import { exchange } from "./transport.ts";
import { ownProperties, shape } from "./validation.ts";
import { monotonic } from "./wait.ts";

/** Options of {@link createClient}: ky's options (but `prefixUrl`, which is `auth.apiUrl`) plus `auth`. */
export interface CreateClientOptions extends Omit<Options, "prefixUrl" | "retry" | "timeout"> {
  /** Where tokens come from. */
  auth: GenesysAuth;
  /** Retry policy for 429 (any method) and 5xx (idempotent methods). Defaults: 3 retries, 60 s cap. */
  retry?: RetryPolicy;
  /** Timeout of each attempt in ms, response body included (default 10 000); the error names the URL and the time. */
  timeout?: number;
}

/** What createClient checks itself; the other options are ky's to judge. */
const clientOptionsSchema = v.looseObject(
  shape({
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
  }),
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

/** After a fresh token was refused too, further 401s with it do not fetch another for this long. */
const REFUSAL_WINDOW_MS = 30_000;
/** How many recently sent bearers are still redacted from error bodies. */
const REMEMBERED_BEARERS = 4;

/**
 * Creates a ky instance whose `prefixUrl` is `auth.apiUrl`:
 * `await api.get("api/v2/organizations/me").json()`.
 */
export function createClient(options: CreateClientOptions): KyInstance {
  const own = ownProperties(options);
  if (typeof own === "object" && own !== null && "retry" in own) own.retry = ownProperties(own.retry);
  const checked = v.safeParse(clientOptionsSchema, own);
  if (!checked.success) throw configError(checked.issues, "createClient option");
  const { auth, retry, timeout = 10_000, hooks = {}, fetch: userFetch, ...kyOptions } = own;
  const settings = { limit: retry?.limit ?? 3, maxRetryAfterSeconds: retry?.maxRetryAfterSeconds ?? 60 };
  const throttle = createThrottle();
  const idempotent = (method: string) => IDEMPOTENT_METHODS.includes(method);
  const retryOptions = kyRetryOptions(settings, idempotent, (attempt, delayMs, status) => {
    if (status === 429) throttle.hold(delayMs ?? backoffMs(attempt));
  });
  const apiOrigin = new URL(auth.apiUrl).origin;
  // Called as a plain function: workerd refuses a fetch invoked as a method of another object.
  const send = (request: Request, init: RequestInit) =>
    userFetch ? userFetch(request, init) : globalThis.fetch(request, init);

  // What the API may echo back: the auth's secrets and tokens, and the bearers this client sent.
  const sent: string[] = [];
  const authRedact = (auth as { [REDACT]?: Redact })[REDACT];
  const ownRedact = redactor(() => sent);
  const redact: Redact = authRedact ? (text) => ownRedact(authRedact(text)) : ownRedact;

  /** Sends `request` once with `bearer`; the header is removed again once the response headers are in. */
  const sendWith = async (
    request: Request,
    bearer: string,
    init: RequestInit | undefined,
  ): Promise<Response> => {
    if (sent[0] !== bearer) {
      sent.unshift(bearer);
      sent.length = Math.min(sent.length, REMEMBERED_BEARERS);
    }
    request.headers.set("authorization", `Bearer ${bearer}`);
    try {
      return await exchange(send, request, init, { timeoutMs: timeout, body: "stream" });
    } finally {
      request.headers.delete("authorization");
    }
  };

  /** The token a fresh fetch gave that the API refused as well, and when (monotonic ms). */
  let refusedFresh: { token: string; at: number } | undefined;

  /** ky's fetch: checks the origin, waits out a pending Retry-After, adds the bearer, replays once after a 401. */
  const authorizedFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (!request.url.startsWith(`${apiOrigin}/`)) {
      throw new GenesysAuthError(
        "invalid_config",
        `createClient sends its bearer token only to ${apiOrigin}; a ${request.method} to another origin was refused.`,
        {
          hint: "Call other hosts with a plain fetch or ky instance; the Genesys API lives at auth.apiUrl. A `nextUri`/`selfUri` from Genesys is a path on the same host: pass it without the host.",
        },
      );
    }
    const pause = throttle.wait(request.signal);
    if (pause !== undefined) await pause;
    const first = (await auth.getToken({ signal: request.signal })).accessToken;
    const replayable = request.body === null ? request : request.clone(); // a body can be sent only once
    const response = await sendWith(request, first, init);
    if (response.status !== 401) return response;
    // The token was refused (revoked, expired early, idle timeout): drop it if still current, retry once —
    // unless this very token was fresh when the API refused it a moment ago (a region mismatch, a
    // deleted client): then another token would be refused too, and fetching one per call is a storm.
    if (refusedFresh?.token === first && monotonic() - refusedFresh.at < REFUSAL_WINDOW_MS) return response;
    await response.body?.cancel();
    await auth.invalidate(first);
    const second = (await auth.getToken({ signal: request.signal })).accessToken;
    const replayed = await sendWith(replayable, second, init);
    if (replayed.status === 401) refusedFresh = { token: second, at: monotonic() };
    return replayed;
  };

  const api = ky.create({
    ...kyOptions,
    prefixUrl: auth.apiUrl,
    timeout: false, // the transport's deadline covers each attempt, body included
    redirect: "manual",
    fetch: authorizedFetch,
    retry: retryOptions,
    hooks: {
      ...hooks,
      beforeError: [
        (error) => enrichHttpError(error, settings.maxRetryAfterSeconds, redact),
        ...(hooks.beforeError ?? []),
      ],
    },
  });
  authOfClient.set(api, auth);
  return api;
}
