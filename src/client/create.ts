/**
 * `createClient`: a ky instance for the Genesys Cloud platform API that authenticates every request
 * (see the fetch layer), backs off on 429/5xx with the shared retry policy, pauses the whole client
 * while a `Retry-After` is pending, and turns failures into self-explaining errors. The hot path has
 * no hooks, so responses are not cloned.
 *
 * @module
 */
import ky, { type KyInstance, type Options } from "ky";
import * as v from "valibot";
import { DEFAULTS } from "../defaults.ts";
import { type Redact, redactor, redactorOf } from "../redact.ts";
import { backoffMs, IDEMPOTENT_METHODS, kyRetryOptions, retrySettingsOf } from "../retry.ts";
import type { GenesysAuth } from "../token/auth.ts";
import type { RetryPolicy } from "../token/options.ts";
import { UNINHERITED, unboundFetch } from "../transport.ts";
import { checkOptions, fn, retryPolicySchema, shape, timeoutSchema, valid } from "../validation.ts";
import { authorizedFetch } from "./fetch.ts";
import { enrichHttpError } from "./http-error.ts";
import { createThrottle } from "./throttle.ts";

/** Options of {@link createClient}: ky's options (but `prefixUrl`, which is `auth.apiUrl`) plus `auth`. */
export interface CreateClientOptions extends Omit<Options, "prefixUrl" | "retry" | "timeout"> {
  /** Where tokens come from: any auth of this SDK (createAuth, createBrowserAuth, flow.session(id), …). */
  auth: GenesysAuth;
  /** Retry policy for 429 (any method) and 5xx (idempotent methods). Defaults: 3 retries, 60 s cap. */
  retry?: RetryPolicy;
  /** Timeout of each attempt in ms, response body included (default 10 000); the error names the URL and the time. */
  timeout?: number;
}

/** Where an auth comes from, for messages. */
const AUTHS =
  "the object createAuth() returns (or createBrowserAuth(), flow.session(id), createSaml2BearerAuth())";

/** What createClient checks itself; the other options are ky's to judge. */
const clientOptionsSchema = v.looseObject(
  shape({
    auth: valid<GenesysAuth>(
      (a) =>
        typeof a === "object" &&
        a !== null &&
        typeof (a as GenesysAuth).getToken === "function" &&
        typeof (a as GenesysAuth).apiUrl === "string",
      `must be ${AUTHS}`,
    ),
    retry: v.optional(retryPolicySchema),
    timeout: v.optional(timeoutSchema),
    fetch: v.optional(fn("a fetch function")),
  }),
  (issue) =>
    issue.path?.length
      ? `is missing: pass ${AUTHS}`
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
  const own = checkOptions(clientOptionsSchema, options, "createClient option", ["retry"]);
  const { auth, retry, timeout = DEFAULTS.timeoutMs, hooks = {}, fetch: userFetch, ...kyOptions } = own;
  const settings = retrySettingsOf(retry);
  const throttle = createThrottle();
  const retryOptions = kyRetryOptions(
    settings,
    (method) => IDEMPOTENT_METHODS.includes(method),
    (attempt, delayMs, status) => {
      if (status === 429) throttle.hold(delayMs ?? backoffMs(attempt));
    },
  );
  // What the API may echo back: the auth's secrets and tokens, and the bearers this client sent.
  const sent: string[] = [];
  const authRedact = redactorOf(auth);
  const ownRedact = redactor(() => sent);
  const redact: Redact = authRedact ? (text) => ownRedact(authRedact(text)) : ownRedact;

  const api = ky.create({
    ...UNINHERITED,
    ...kyOptions,
    prefixUrl: auth.apiUrl,
    timeout: false, // the transport's deadline covers each attempt, body included
    redirect: "manual",
    fetch: authorizedFetch({ auth, send: unboundFetch(userFetch), timeoutMs: timeout, throttle, sent }),
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
