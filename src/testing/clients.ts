/**
 * The mock's OAuth clients: built from the options with their defaults, looked up by id (a `Map`,
 * so any string is just a key), and authenticated the way Genesys' login host does.
 *
 * @module
 */

import type { MockGenesysOptions } from "./options.ts";
import { basicCredentials } from "./params.ts";
import type { MockClient } from "./types.ts";

/** The SAML2 bearer grant type. */
export const SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer";

/** Default lifetime of access tokens (Genesys' 24 h default, minus the second it reports). */
const DEFAULT_LIFETIME = 86399;

function checkRedirectUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new RangeError("a redirect URI must be an absolute URL");
  }
  if (url.hash !== "" || uri.includes("#")) throw new RangeError("a redirect URI has no fragment");
}

/** The mock's clients, keyed by id. Throws a `RangeError` for two clients with the same id. */
export function resolveClients(options: MockGenesysOptions): Map<string, MockClient> {
  const lifetime = options.tokenLifetimeSeconds ?? DEFAULT_LIFETIME;
  const pkce = options.pkceClient ?? {};
  const code = options.codeClient ?? {};
  const saml2 = options.saml2Client ?? {};
  const list: MockClient[] = [
    {
      id: options.clientId ?? "mock-client-id",
      secret: options.clientSecret ?? "mock-client-secret",
      kind: "client-credentials",
      name: "Mock client credentials client",
      grantTypes: [...(options.grantTypes ?? ["client_credentials"])],
      redirectUris: [],
      lifetimeSeconds: lifetime,
    },
    {
      id: pkce.id ?? "mock-pkce-client-id",
      secret: undefined,
      kind: "pkce",
      name: "Mock PKCE code client",
      grantTypes: [...(pkce.grantTypes ?? ["authorization_code"])],
      redirectUris: [...(pkce.redirectUris ?? ["http://localhost:8080/callback"])],
      lifetimeSeconds: pkce.tokenLifetimeSeconds ?? lifetime,
    },
    {
      id: code.id ?? "mock-code-client-id",
      secret: code.secret ?? "mock-code-client-secret",
      kind: "code",
      name: "Mock code client",
      grantTypes: [...(code.grantTypes ?? ["authorization_code", "refresh_token"])],
      redirectUris: [...(code.redirectUris ?? ["http://localhost:3000/callback"])],
      lifetimeSeconds: code.tokenLifetimeSeconds ?? lifetime,
    },
    {
      id: saml2.id ?? "mock-saml2-client-id",
      secret: saml2.secret ?? "mock-saml2-client-secret",
      kind: "saml2-bearer",
      name: "Mock SAML2 bearer client",
      grantTypes: [...(saml2.grantTypes ?? [SAML2_BEARER])],
      redirectUris: [],
      lifetimeSeconds: saml2.tokenLifetimeSeconds ?? lifetime,
    },
  ];
  const clients = new Map<string, MockClient>();
  for (const client of list) {
    if (clients.has(client.id)) throw new RangeError(`two mock OAuth clients share the id ${client.id}`);
    if (client.id === "") throw new RangeError("a mock OAuth client id must not be empty");
    for (const uri of client.redirectUris) checkRedirectUri(uri);
    clients.set(client.id, client);
  }
  return clients;
}

/** Registers one more exact redirect URI on a code client. */
export function addRedirectUri(clients: Map<string, MockClient>, clientId: string, uri: string): void {
  const client = clients.get(clientId);
  if (client === undefined || (client.kind !== "code" && client.kind !== "pkce")) {
    throw new RangeError("redirect URIs belong to the mock's code clients (pkceClient, codeClient)");
  }
  checkRedirectUri(uri);
  if (!client.redirectUris.includes(uri)) client.redirectUris.push(uri);
}

/** The outcome of client authentication: the client, or an OAuth error to answer. */
export type ClientAuth =
  | { ok: true; client: MockClient }
  | { ok: false; status: number; error: string; description: string };

const refused = (status: number, error: string, description: string): ClientAuth => ({
  ok: false,
  status,
  error,
  description,
});

/**
 * Authenticates the client of a token request.
 * - `"basic"`: `Authorization: Basic` only (code exchange by a confidential client, refresh, SAML2).
 * - `"basic-or-body"`: Basic, else `client_id` + `client_secret` in the form (client credentials).
 * - `"code"`: Basic for a confidential client; a public (PKCE) client sends `client_id` in the form
 *   and no `Authorization` header.
 */
export function authenticateClient(
  clients: Map<string, MockClient>,
  authorization: string | null,
  form: Map<string, string>,
  mode: "basic" | "basic-or-body" | "code",
): ClientAuth {
  const basic = basicCredentials(authorization);
  if (basic !== undefined) {
    const client = clients.get(basic[0]);
    if (client === undefined) return refused(400, "invalid_client", "client not found");
    if (client.secret === undefined) {
      return refused(
        401,
        "invalid_client",
        "this client is PKCE-enabled and has no secret: send client_id in the form, without Basic authentication",
      );
    }
    return basic[1] === client.secret
      ? { ok: true, client }
      : refused(401, "invalid_client", "authentication failed");
  }
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  const required = refused(401, "invalid_client", "client authentication required");
  if (id === undefined || mode === "basic") return required;
  if (mode === "basic-or-body" && secret === undefined) return required;
  const client = clients.get(id);
  if (client === undefined) return refused(400, "invalid_client", "client not found");
  if (mode === "code") return client.secret === undefined ? { ok: true, client } : required;
  if (client.secret === undefined) return refused(401, "invalid_client", "authentication failed");
  return secret === client.secret
    ? { ok: true, client }
    : refused(401, "invalid_client", "authentication failed");
}
