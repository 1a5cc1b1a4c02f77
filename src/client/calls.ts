/**
 * Typed helpers for the calls a client-credentials integration makes first. Each response is
 * validated with valibot (unknown fields are kept); the ky instance stays the main interface.
 *
 * @module
 */
import type { KyInstance } from "ky";
import * as v from "valibot";
import { authOf } from "../client.ts";
import { GenesysAuthError } from "../errors.ts";

const entityRef = v.looseObject({
  id: v.string(),
  name: v.optional(v.string()),
  selfUri: v.optional(v.string()),
});

const organizationSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  domain: v.optional(v.string()),
  state: v.optional(v.string()),
  thirdPartyOrgName: v.optional(v.string()),
  selfUri: v.optional(v.string()),
});

const tokenInfoSchema = v.looseObject({
  organization: v.optional(entityRef),
  homeOrganization: v.optional(entityRef),
  authorizedScope: v.optional(v.array(v.string())),
  OAuthClient: v.optional(
    v.looseObject({
      id: v.string(),
      name: v.optional(v.string()),
      organization: v.optional(v.looseObject({ id: v.string() })),
    }),
  ),
});

const userSchema = v.looseObject({
  id: v.string(),
  name: v.optional(v.string()),
  email: v.optional(v.string()),
  state: v.optional(v.string()),
  division: v.optional(entityRef),
  version: v.optional(v.number()),
  selfUri: v.optional(v.string()),
});

/** `GET /api/v2/organizations/me`. */
export type Organization = v.InferOutput<typeof organizationSchema>;
/** `GET /api/v2/tokens/me`. */
export type TokenInfo = v.InferOutput<typeof tokenInfoSchema>;
/** `GET /api/v2/users/{id}`. */
export type User = v.InferOutput<typeof userSchema>;

async function validated<S extends v.GenericSchema>(schema: S, what: string, body: Promise<unknown>) {
  const result = v.safeParse(schema, await body);
  if (result.success) return result.output as v.InferOutput<S>;
  const issue = result.issues[0];
  const field = issue.path?.map((item) => String(item.key)).join(".") ?? "body";
  throw new GenesysAuthError(
    "invalid_response",
    `${what} answered an unexpected body: "${field}" ${issue.message}.`,
  );
}

/** The organization of the OAuth client (needs no permission: the simplest "it works" call). */
export function getOrganization(api: KyInstance): Promise<Organization> {
  return validated(
    organizationSchema,
    "GET /api/v2/organizations/me",
    api.get("api/v2/organizations/me").json(),
  );
}

/** What Genesys knows of the calling token: organization, OAuth client, authorized scopes. */
export function getTokenInfo(api: KyInstance): Promise<TokenInfo> {
  return validated(
    tokenInfoSchema,
    "GET /api/v2/tokens/me",
    api.get("api/v2/tokens/me", { searchParams: { preserveIdleTTL: "true" } }).json(),
  );
}

/** A user by id; a 404 `not.found` is thrown as ky's `HTTPError`. */
export function getUser(api: KyInstance, id: string): Promise<User> {
  if (typeof id !== "string" || id.trim() === "") {
    return Promise.reject(
      new GenesysAuthError("invalid_config", "getUser(): the user id must be a non-empty string."),
    );
  }
  return validated(
    userSchema,
    "GET /api/v2/users/{id}",
    api.get(`api/v2/users/${encodeURIComponent(id)}`).json(),
  );
}

/** Revokes the calling token (`DELETE /api/v2/tokens/me`) and drops it from the client's cache. */
export async function revokeToken(api: KyInstance): Promise<void> {
  await api.delete("api/v2/tokens/me");
  await authOf(api)?.invalidate();
}
