/**
 * `POST /oauth/token`: reads the form (bounded, duplicates refused), then runs the grant it names —
 * `client_credentials`, `authorization_code` (single-use codes bound to client, redirect URI and PKCE
 * challenge), `refresh_token` (rotation) and the SAML2 bearer grant. Errors are Genesys' OAuth error
 * bodies; descriptions never quote a secret, a code, a token or an assertion.
 *
 * @module
 */
import { genesysResponse, oauthErrorBody } from "./bodies.ts";
import { authenticateClient, SAML2_BEARER } from "./clients.ts";
import { clip, LIMITS, parseParams, readBoundedText } from "./params.ts";
import { verifierProblem } from "./pkce.ts";
import { samlAssertionUser } from "./saml.ts";
import { issueAccessToken, issueRefreshToken, revokeFamily, type TokenAnswer } from "./tokens.ts";
import type { MockClient, MockState } from "./types.ts";

/** A token request whose form was read: its parameters and `grant_type`. */
export interface TokenRequest {
  form: Map<string, string>;
  grant: string | undefined;
}

/** The grants the mock's token endpoint knows. */
const GRANTS = ["client_credentials", "authorization_code", "refresh_token", SAML2_BEARER];

const oauthError = (status: number, error: string, description: string, correlationId: string) =>
  genesysResponse(status, oauthErrorBody(error, description), correlationId);

/** Reads a token request's form, or answers why it cannot be read. */
export async function readTokenRequest(
  request: Request,
  correlationId: string,
): Promise<TokenRequest | Response> {
  if (request.method !== "POST") {
    const response = oauthError(405, "invalid_request", "method not allowed", correlationId);
    response.headers.set("allow", "POST");
    return response;
  }
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    return oauthError(
      400,
      "invalid_request",
      "the token request must be application/x-www-form-urlencoded",
      correlationId,
    );
  }
  const text = await readBoundedText(request, LIMITS.body);
  if (text === undefined) {
    return oauthError(
      413,
      "invalid_request",
      `the request body is larger than ${LIMITS.body} bytes`,
      correlationId,
    );
  }
  const parsed = parseParams(text, LIMITS.body);
  if (!parsed.ok) return oauthError(400, "invalid_request", parsed.description, correlationId);
  return { form: parsed.params, grant: parsed.params.get("grant_type") };
}

/** Answers a token request. */
export async function handleToken(
  request: Request,
  { form, grant }: TokenRequest,
  correlationId: string,
  state: MockState,
): Promise<Response> {
  const fail = (status: number, error: string, description: string) =>
    oauthError(status, error, description, correlationId);
  if (grant === undefined) return fail(400, "invalid_request", "grant_type is required");
  if (!GRANTS.includes(grant)) {
    return fail(400, "unsupported_grant_type", `grant type ${clip(grant)} is not supported`);
  }
  const mode =
    grant === "client_credentials" ? "basic-or-body" : grant === "authorization_code" ? "code" : "basic";
  const auth = authenticateClient(state.clients, request.headers.get("authorization"), form, mode);
  if (!auth.ok) return fail(auth.status, auth.error, auth.description);
  const client = auth.client;
  if (!client.grantTypes.includes(grant)) {
    return fail(400, "unauthorized_client", "grant type not authorized for this client");
  }
  const answer =
    grant === "client_credentials"
      ? clientCredentials(client, form, state)
      : grant === "authorization_code"
        ? await authorizationCode(client, form, state)
        : grant === "refresh_token"
          ? refresh(client, form, state)
          : saml2Bearer(client, form, state);
  if ("error" in answer) return fail(400, answer.error, answer.description);
  return genesysResponse(200, answer, correlationId, { "cache-control": "no-store", pragma: "no-cache" });
}

type GrantResult = TokenAnswer | { error: string; description: string };
const invalidGrant = (description: string) => ({ error: "invalid_grant", description });

/** The requested scopes, or the `invalid_scope` error for the first one not allowed. */
function requestedScopes(
  form: Map<string, string>,
  state: MockState,
): string[] | undefined | { error: string; description: string } {
  const scopes = form.get("scope")?.split(" ").filter(Boolean);
  const allowed = state.config.allowedScopes;
  const refused = scopes?.find((s) => allowed !== undefined && !allowed.includes(s));
  return refused === undefined
    ? scopes
    : { error: "invalid_scope", description: `invalid scope: ${clip(refused)}` };
}

function clientCredentials(client: MockClient, form: Map<string, string>, state: MockState): GrantResult {
  const scopes = requestedScopes(form, state);
  if (scopes !== undefined && !Array.isArray(scopes)) return scopes;
  state.stats.clientCredentialsGrants++;
  return issueAccessToken(state, client, { scopes });
}

async function authorizationCode(
  client: MockClient,
  form: Map<string, string>,
  state: MockState,
): Promise<GrantResult> {
  const code = form.get("code");
  if (code === undefined) return { error: "invalid_request", description: "code is required" };
  const issued = state.codes.get(code);
  if (issued === undefined) return invalidGrant("invalid authorization code");
  if (issued.clientId !== client.id)
    return invalidGrant("the authorization code was issued to another client");
  if (issued.spent) {
    state.stats.codeReuseRefused++;
    if (state.config.revokeTokensOnCodeReuse) revokeFamily(state, issued.family);
    return invalidGrant("the authorization code has already been used");
  }
  issued.spent = true; // before any await: one presentation only, whatever its outcome
  if (state.now() - issued.issuedAt >= state.config.codeLifetimeMs) {
    return invalidGrant("the authorization code has expired");
  }
  const redirectUri = form.get("redirect_uri");
  if (redirectUri === undefined) {
    return invalidGrant("redirect_uri is required: send the one of the authorization request");
  }
  if (redirectUri !== issued.redirectUri) {
    return invalidGrant("redirect_uri does not match the one of the authorization request");
  }
  const verifier = form.get("code_verifier");
  if (issued.challenge !== undefined && issued.challengeMethod !== undefined) {
    if (verifier === undefined) return invalidGrant("code_verifier is required (PKCE)");
    const problem = await verifierProblem(verifier, issued.challenge, issued.challengeMethod);
    if (problem !== undefined) return invalidGrant(problem);
  } else if (verifier !== undefined) {
    return invalidGrant("code_verifier sent, but the authorization request had no code_challenge");
  }
  const grant = { user: issued.user, scopes: issued.scopes, family: issued.family };
  const answer = issueAccessToken(state, client, grant);
  state.stats.codeExchanges++;
  if (refreshTokensFor(client, state)) answer.refresh_token = issueRefreshToken(state, client, grant);
  return answer;
}

/** Whether `client` gets refresh tokens: confidential code clients with the grant, unless turned off. */
function refreshTokensFor(client: MockClient, state: MockState): boolean {
  return (
    client.secret !== undefined &&
    client.grantTypes.includes("refresh_token") &&
    state.config.refreshTokens !== "none"
  );
}

function refresh(client: MockClient, form: Map<string, string>, state: MockState): GrantResult {
  const token = form.get("refresh_token");
  if (token === undefined) return { error: "invalid_request", description: "refresh_token is required" };
  const issued = state.refreshTokens.get(token);
  if (issued === undefined || issued.clientId !== client.id) return invalidGrant("invalid refresh token");
  if (issued.state === "active" && issued.expiresAt !== undefined && state.now() >= issued.expiresAt) {
    issued.state = "expired";
  }
  if (issued.state === "rotated") {
    state.stats.refreshReuseRefused++;
    if (state.config.revokeTokensOnRefreshReuse) revokeFamily(state, issued.family);
    return invalidGrant("the refresh token has already been used");
  }
  if (issued.state === "revoked") return invalidGrant("the refresh token has been revoked");
  if (issued.state === "expired") return invalidGrant("the refresh token has expired");
  const grant = { user: issued.user, scopes: issued.scopes, family: issued.family };
  const answer = issueAccessToken(state, client, grant);
  state.stats.refreshes++;
  if (state.config.refreshTokens === "rotate") {
    issued.state = "rotated";
    answer.refresh_token = issueRefreshToken(state, client, grant);
  }
  return answer;
}

function saml2Bearer(client: MockClient, form: Map<string, string>, state: MockState): GrantResult {
  const orgName = form.get("orgName");
  if (orgName === undefined) return { error: "invalid_request", description: "orgName is required" };
  if (orgName !== state.orgName) return invalidGrant("orgName names no organization this client belongs to");
  const assertion = form.get("assertion");
  if (assertion === undefined) return { error: "invalid_request", description: "assertion is required" };
  const found = samlAssertionUser(assertion, state.users, state.now());
  if ("problem" in found) return invalidGrant(found.problem);
  const scopes = requestedScopes(form, state);
  if (scopes !== undefined && !Array.isArray(scopes)) return scopes;
  state.stats.saml2Grants++;
  return issueAccessToken(state, client, { user: found.user, scopes });
}
