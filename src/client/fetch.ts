/**
 * The API client's fetch layer, under ky: the bearer goes on the request being sent — and only to
 * `auth.apiUrl`'s origin — and is removed again; a pending `Retry-After` is waited out; a 401 drops
 * the token and replays the request once with a fresh one, unless a fresh token was just refused too
 * (no token storm). Every attempt goes through the credential transport: no redirects, one deadline
 * over headers and body.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import type { GenesysAuth } from "../token/auth.ts";
import { exchange, type Fetch } from "../transport.ts";
import { monotonic } from "../wait.ts";
import type { Throttle } from "./throttle.ts";

/** After a fresh token was refused too, further 401s with it do not fetch another for this long. */
export const REFUSAL_WINDOW_MS = 30_000;
/** How many recently sent bearers are still redacted from error bodies. */
const REMEMBERED_BEARERS = 4;

/** What the fetch layer works with. */
export interface FetchLayerOptions {
  readonly auth: GenesysAuth;
  /** The fetch to send with (called as a plain function). */
  readonly send: Fetch;
  /** The deadline of each attempt, body included. */
  readonly timeoutMs: number;
  readonly throttle: Throttle;
  /** Receives the bearers sent, most recent first (for redaction). */
  readonly sent: string[];
}

/** ky's `fetch` for a client: see the module comment. */
export function authorizedFetch(options: FetchLayerOptions): Fetch {
  const { auth, send, timeoutMs, throttle, sent } = options;
  const apiOrigin = new URL(auth.apiUrl).origin;
  const apiPrefix = `${apiOrigin}/`;

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
      return await exchange(send, request, init, { timeoutMs, body: "stream" });
    } finally {
      request.headers.delete("authorization");
    }
  };

  /** The token a fresh fetch gave that the API refused as well, and when (monotonic ms). */
  let refusedFresh: { token: string; at: number } | undefined;

  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (!request.url.startsWith(apiPrefix)) {
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
}
