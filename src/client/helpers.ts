/**
 * Typed helpers for the calls a client-credentials integration makes first. Each response is
 * validated with valibot (unknown fields are kept); the ky instance stays the main interface.
 *
 * @module
 */
import type { KyInstance } from "ky";
import * as v from "valibot";
import { GenesysAuthError } from "../errors.ts";
import { issuePath, shape } from "../validation.ts";
import { authOf } from "./create.ts";

/** A reference to another entity. */
export interface EntityRef {
  id: string;
  name?: string;
  selfUri?: string;
  [key: string]: unknown;
}

/** `GET /api/v2/organizations/me` (unknown fields kept). */
export interface Organization {
  id: string;
  name: string;
  domain?: string;
  state?: string;
  thirdPartyOrgName?: string;
  selfUri?: string;
  [key: string]: unknown;
}

/** `GET /api/v2/tokens/me` (unknown fields kept). */
export interface TokenInfo {
  organization?: EntityRef;
  homeOrganization?: EntityRef;
  authorizedScope?: string[];
  OAuthClient?: {
    id: string;
    name?: string;
    organization?: { id: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** `GET /api/v2/users/{id}` (unknown fields kept). */
export interface User {
  id: string;
  name?: string;
  email?: string;
  state?: string;
  division?: EntityRef;
  version?: number;
  selfUri?: string;
  [key: string]: unknown;
}

const entityRef = v.looseObject(
  shape({
    id: v.string(),
    name: v.optional(v.string()),
    selfUri: v.optional(v.string()),
  }),
);

const organizationSchema: v.GenericSchema<unknown, Organization> = v.looseObject(
  shape({
    id: v.string(),
    name: v.string(),
    domain: v.optional(v.string()),
    state: v.optional(v.string()),
    thirdPartyOrgName: v.optional(v.string()),
    selfUri: v.optional(v.string()),
  }),
);

const tokenInfoSchema: v.GenericSchema<unknown, TokenInfo> = v.looseObject(
  shape({
    organization: v.optional(entityRef),
    homeOrganization: v.optional(entityRef),
    authorizedScope: v.optional(v.array(v.string())),
    OAuthClient: v.optional(
      v.looseObject(
        shape({
          id: v.string(),
          name: v.optional(v.string()),
          organization: v.optional(v.looseObject(shape({ id: v.string() }))),
        }),
      ),
    ),
  }),
);

const userSchema: v.GenericSchema<unknown, User> = v.looseObject(
  shape({
    id: v.string(),
    name: v.optional(v.string()),
    email: v.optional(v.string()),
    state: v.optional(v.string()),
    division: v.optional(entityRef),
    version: v.optional(v.number()),
    selfUri: v.optional(v.string()),
  }),
);

async function validated<T>(
  schema: v.GenericSchema<unknown, T>,
  what: string,
  body: Promise<unknown>,
): Promise<T> {
  const result = v.safeParse(schema, await body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issuePath(issue) ?? "body";
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

/** `GET /api/v2/oauth/clients/{id}` (unknown fields kept); needs `oauth:client:view`. */
export interface OAuthClient {
  id: string;
  name?: string;
  authorizedGrantType?: string;
  roleDivisions?: Array<{ roleId: string; divisionId?: string }>;
  [key: string]: unknown;
}

const oauthClientSchema: v.GenericSchema<unknown, OAuthClient> = v.looseObject(
  shape({
    id: v.string(),
    name: v.optional(v.string()),
    authorizedGrantType: v.optional(v.string()),
    roleDivisions: v.optional(
      v.array(v.looseObject(shape({ roleId: v.string(), divisionId: v.optional(v.string()) }))),
    ),
  }),
);

/** An OAuth client's grant type and roles (no retries: a missing permission is an answer). */
export function getOAuthClient(api: KyInstance, id: string): Promise<OAuthClient> {
  return validated(
    oauthClientSchema,
    "GET /api/v2/oauth/clients/{id}",
    api.get(`api/v2/oauth/clients/${encodeURIComponent(id)}`, { retry: 0 }).json(),
  );
}

/** A role's name (`GET /api/v2/authorization/roles/{id}`); needs `authorization:role:view`. */
export function getRoleName(api: KyInstance, id: string): Promise<string | undefined> {
  return validated(
    v.looseObject(shape({ name: v.optional(v.string()) })),
    "GET /api/v2/authorization/roles/{id}",
    api.get(`api/v2/authorization/roles/${encodeURIComponent(id)}`, { retry: 0 }).json(),
  ).then((role) => role.name);
}

/** Revokes the calling token (`DELETE /api/v2/tokens/me`) and drops it from the client's cache. */
export async function revokeToken(api: KyInstance): Promise<void> {
  await api.delete("api/v2/tokens/me");
  await authOf(api)?.invalidate();
}
