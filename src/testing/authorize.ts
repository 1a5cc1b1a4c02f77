/**
 * The login host's browser endpoints: `GET /oauth/authorize` (validates the request, approves at
 * once as the mock's signed-in user, and sends the browser back with a code or an error) and
 * `GET /logout`. As RFC 6749 §4.1.2.1 requires, an unknown client or an unregistered redirect URI
 * gets an HTML error page, never a redirect.
 *
 * @module
 */
import type { MockFault } from "./faults.ts";
import { errorPage, loggedOutPage, loginPage } from "./html.ts";
import { LIMITS, parseParams } from "./params.ts";
import { challengeProblem } from "./pkce.ts";
import { endRefreshTokens, randomId } from "./tokens.ts";
import type { MockAuthorizeRequest, MockState } from "./types.ts";

/** Default `error_description` of a scripted authorize refusal. */
const REFUSALS: Record<string, string> = {
  access_denied: "The user denied the authorization request",
  server_error: "An internal error occurred",
  temporarily_unavailable: "The service is temporarily unavailable",
};

function methodNotAllowed(request: Request, correlationId: string): Response | undefined {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const response = errorPage(405, "This page answers GET requests only.", correlationId);
  response.headers.set("allow", "GET, HEAD");
  return response;
}

function parseQuery(url: URL, correlationId: string): Map<string, string> | Response {
  const parsed = parseParams(url.search.slice(1), LIMITS.query);
  if (parsed.ok) return parsed.params;
  return errorPage(
    parsed.error === "too_large" ? 414 : 400,
    `Bad request: ${parsed.description}.`,
    correlationId,
  );
}

function record(url: URL, p: Map<string, string>): MockAuthorizeRequest {
  return {
    url: url.href,
    params: Object.fromEntries(p),
    clientId: p.get("client_id"),
    responseType: p.get("response_type"),
    redirectUri: p.get("redirect_uri"),
    state: p.get("state"),
    scope: p.get("scope"),
    codeChallenge: p.get("code_challenge"),
    codeChallengeMethod: p.get("code_challenge_method"),
    org: p.get("org"),
    provider: p.get("provider"),
    target: p.get("target"),
    loginHint: p.get("login_hint"),
    prompt: p.get("prompt"),
  };
}

/** Why the authorize request is refused (an OAuth error for the redirect), or its PKCE parameters. */
function validate(
  p: Map<string, string>,
  kind: string,
  grantTypes: readonly string[],
  allowedScopes: readonly string[] | undefined,
): [error: string, description: string] | { challenge?: string; method?: "S256" | "plain" } {
  if (!grantTypes.includes("authorization_code")) {
    return ["unauthorized_client", "the authorization code grant is not enabled for this client"];
  }
  const responseType = p.get("response_type");
  if (responseType === undefined) return ["invalid_request", "response_type is required"];
  if (responseType !== "code") return ["unsupported_response_type", "response_type must be code"];
  const refusedScope = p
    .get("scope")
    ?.split(" ")
    .find((s) => s !== "" && allowedScopes !== undefined && !allowedScopes.includes(s));
  if (refusedScope !== undefined) return ["invalid_scope", "a requested scope is not allowed"];
  const challenge = p.get("code_challenge");
  const method = p.get("code_challenge_method");
  if (challenge === undefined) {
    if (method !== undefined) return ["invalid_request", "code_challenge_method without code_challenge"];
    if (kind === "pkce") {
      return ["invalid_request", "PKCE is required: send code_challenge and code_challenge_method=S256"];
    }
    return {};
  }
  const m = method ?? "plain";
  if (m !== "S256" && m !== "plain") return ["invalid_request", "code_challenge_method must be S256"];
  if (m === "plain" && kind === "pkce") {
    return ["invalid_request", "code_challenge_method must be S256 (plain is refused for public clients)"];
  }
  const problem = challengeProblem(challenge, m);
  return problem === undefined ? { challenge, method: m } : ["invalid_request", problem];
}

/** Answers `GET /oauth/authorize`; `refusal` is a scripted fault whose `error` goes back on the redirect. */
export function handleAuthorize(
  request: Request,
  url: URL,
  correlationId: string,
  state: MockState,
  refusal: MockFault | undefined,
): Response {
  const page = state.config.loginPage;
  const coop: Record<string, string> = page.crossOriginOpenerPolicy
    ? { "cross-origin-opener-policy": "same-origin" }
    : {};
  const withCoop = (response: Response) => {
    for (const [name, value] of Object.entries(coop)) response.headers.set(name, value);
    return response;
  };
  const early = methodNotAllowed(request, correlationId);
  if (early) return withCoop(early);
  const p = parseQuery(url, correlationId);
  if (p instanceof Response) return withCoop(p);
  state.lastAuthorize = record(url, p);
  const clientId = p.get("client_id");
  const client = clientId === undefined ? undefined : state.clients.get(clientId);
  if (client === undefined) {
    return withCoop(errorPage(400, "Unknown client: check client_id.", correlationId));
  }
  const redirectUri = p.get("redirect_uri");
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    const message =
      redirectUri === undefined
        ? "redirect_uri is required."
        : "redirect_uri is not registered for this client (exact match required).";
    return withCoop(errorPage(400, message, correlationId));
  }
  const back = (params: Record<string, string>): Response => {
    const location = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) location.searchParams.append(name, value);
    const appState = p.get("state");
    if (appState !== undefined) location.searchParams.append("state", appState);
    if (page.mode === "html") {
      const name = state.signedInAs?.name ?? "nobody";
      return loginPage(location.href, name, page.continueAfterMs ?? 0, correlationId, coop);
    }
    return new Response(null, {
      status: 302,
      headers: {
        location: location.href,
        "cache-control": "no-store",
        "inin-correlation-id": correlationId,
        ...coop,
      },
    });
  };
  const checked = validate(p, client.kind, client.grantTypes, state.config.allowedScopes);
  if (Array.isArray(checked)) return back({ error: checked[0], error_description: checked[1] });
  if (refusal?.error !== undefined) {
    const description = refusal.description ?? REFUSALS[refusal.error] ?? "The request was refused";
    return back({ error: refusal.error, error_description: description });
  }
  const user = state.signedInAs;
  if (user === undefined) {
    return back({ error: "access_denied", error_description: "The mock's directory has no user to sign in" });
  }
  const code = randomId(32);
  const scope = p.get("scope");
  state.codes.set(code, {
    clientId: client.id,
    redirectUri,
    user,
    scopes: scope?.split(" ").filter(Boolean),
    challenge: checked.challenge,
    challengeMethod: checked.method,
    issuedAt: state.now(),
    spent: false,
    family: randomId(12),
  });
  state.stats.codesIssued++;
  state.loginSession = { user, startedAt: state.now() };
  return back({ code });
}

/**
 * Answers `GET /logout?client_id=…&redirect_uri=…`: ends the login session (and revokes the refresh
 * tokens of its user, as Genesys does when a user logs out), then redirects to `redirect_uri` when it
 * is registered on `client_id`, or shows a signed-out page when no `redirect_uri` is given.
 */
export function handleLogout(request: Request, url: URL, correlationId: string, state: MockState): Response {
  const early = methodNotAllowed(request, correlationId);
  if (early) return early;
  const p = parseQuery(url, correlationId);
  if (p instanceof Response) return p;
  const session = state.loginSession;
  if (session !== undefined) endRefreshTokens(state, session.user.id, "revoked");
  state.loginSession = undefined;
  const redirectUri = p.get("redirect_uri");
  if (redirectUri === undefined) return loggedOutPage(correlationId);
  const clientId = p.get("client_id");
  const client = clientId === undefined ? undefined : state.clients.get(clientId);
  if (client === undefined) return errorPage(400, "Unknown client: check client_id.", correlationId);
  if (!client.redirectUris.includes(redirectUri)) {
    return errorPage(
      400,
      "redirect_uri is not registered for this client (exact match required).",
      correlationId,
    );
  }
  return new Response(null, {
    status: 302,
    headers: {
      location: new URL(redirectUri).href,
      "cache-control": "no-store",
      "inin-correlation-id": correlationId,
    },
  });
}
