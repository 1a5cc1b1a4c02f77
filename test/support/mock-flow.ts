/** Helpers that drive the mock's sign-in endpoints the way a browser and an app would. */
import { bytesToBase64 } from "../../src/encoding.ts";
import type { MockGenesys } from "../../src/testing/index.ts";

/** The base URL in-process requests use (mock.fetch answers any host). */
export const LOGIN = "https://login.mypurecloud.com";

const UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A PKCE pair: a random verifier of `length` (43-128) characters of [A-Za-z0-9-._~], and its S256 challenge. */
export async function pkcePair(length = 128): Promise<{ verifier: string; challenge: string }> {
  const random = crypto.getRandomValues(new Uint8Array(length));
  const verifier = Array.from(random, (b) => UNRESERVED[b % UNRESERVED.length]).join("");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** `Authorization: Basic` for id and secret (raw UTF-8, as Genesys' SDKs send it). */
export function basic(id: string, secret: string): string {
  return `Basic ${bytesToBase64(new TextEncoder().encode(`${id}:${secret}`))}`;
}

/** GETs `/oauth/authorize` with `params`; `location` is the parsed redirect, if any. */
export async function authorize(
  mock: Pick<MockGenesys, "fetch">,
  params: Record<string, string>,
  base = LOGIN,
): Promise<{ response: Response; location: URL | undefined; query: URLSearchParams }> {
  const response = await mock.fetch(`${base}/oauth/authorize?${new URLSearchParams(params)}`, {
    redirect: "manual",
  });
  const header = response.headers.get("location");
  const location = header === null ? undefined : new URL(header);
  return { response, location, query: location?.searchParams ?? new URLSearchParams() };
}

/** POSTs a form to `/oauth/token`; `json` is the parsed body. */
export async function token(
  mock: Pick<MockGenesys, "fetch">,
  form: Record<string, string>,
  authorization?: string,
  base = LOGIN,
): Promise<{ status: number; json: Record<string, unknown>; response: Response }> {
  const response = await mock.fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(form),
  });
  const json = (await response.clone().json()) as Record<string, unknown>;
  return { status: response.status, json, response };
}

/** Calls the API with `accessToken`. */
export async function api(
  mock: Pick<MockGenesys, "fetch">,
  path: string,
  accessToken: string,
  method = "GET",
  base = LOGIN,
): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const response = await mock.fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** Signs in with the PKCE client: authorize (S256) then exchange. */
export async function signInPkce(mock: MockGenesys, extra: Record<string, string> = {}) {
  const { verifier, challenge } = await pkcePair();
  const { query } = await authorize(mock, {
    client_id: mock.pkceClient.id,
    response_type: "code",
    redirect_uri: mock.pkceClient.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s",
    ...extra,
  });
  const code = query.get("code") ?? "";
  const exchanged = await token(mock, {
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    client_id: mock.pkceClient.id,
    redirect_uri: mock.pkceClient.redirectUri,
  });
  return { code, verifier, ...exchanged };
}

/** Signs in with the confidential code client (no PKCE): authorize then exchange with Basic. */
export async function signInCode(mock: MockGenesys, extra: Record<string, string> = {}) {
  const { query } = await authorize(mock, {
    client_id: mock.codeClient.id,
    response_type: "code",
    redirect_uri: mock.codeClient.redirectUri,
    ...extra,
  });
  const code = query.get("code") ?? "";
  const exchanged = await token(
    mock,
    { grant_type: "authorization_code", code, redirect_uri: mock.codeClient.redirectUri },
    basic(mock.codeClient.id, mock.codeClient.secret),
  );
  return { code, ...exchanged };
}

/** A refresh with the code client's Basic credentials. */
export function refresh(mock: MockGenesys, refreshToken: string) {
  return token(
    mock,
    { grant_type: "refresh_token", refresh_token: refreshToken },
    basic(mock.codeClient.id, mock.codeClient.secret),
  );
}
