/**
 * `fromEnv`: createAuth options from environment variables, in any of the three naming families
 * the Genesys ecosystem uses.
 *
 * @module
 */

import { GenesysAuthError } from "./errors.ts";
import { resolveRegion } from "./regions.ts";
import { isAllowedBaseUrl } from "./validation.ts";

/**
 * The naming families, in order of precedence: family `i` names the client id
 * `ENV_VARIABLES.clientId[i]` (the region family of the tutorial adds `GENESYS_ENV_URL`).
 */
export const ENV_FAMILIES = [
  "tutorial / GENESYS_*",
  "Genesys examples / GENESYS_CLOUD_*",
  "Genesys CLI & Terraform / GENESYSCLOUD_*",
] as const;

/** The environment variables read for each option, in order of precedence. */
export const ENV_VARIABLES = {
  clientId: ["GENESYS_CLIENT_ID", "GENESYS_CLOUD_CLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_ID"],
  clientSecret: ["GENESYS_CLIENT_SECRET", "GENESYS_CLOUD_CLIENT_SECRET", "GENESYSCLOUD_OAUTHCLIENT_SECRET"],
  region: ["GENESYS_REGION", "GENESYS_CLOUD_REGION", "GENESYSCLOUD_REGION", "GENESYS_ENV_URL"],
  loginUrl: ["GENESYS_LOGIN_URL"],
  apiUrl: ["GENESYS_API_URL"],
  scopes: ["GENESYS_SCOPES"],
} as const satisfies Record<string, readonly string[]>;

/** The options `fromEnv` fills: spread them into createAuth (or createCodeFlow, createSaml2BearerAuth). */
export interface EnvOptions {
  /** The OAuth client's id. */
  clientId: string;
  /** The OAuth client's secret. */
  clientSecret: string;
  /** The region, as the variable gave it. */
  region?: string;
  /** `GENESYS_LOGIN_URL`. */
  loginUrl?: string;
  /** `GENESYS_API_URL`. */
  apiUrl?: string;
  /** `GENESYS_SCOPES`, split on spaces and commas. */
  scopes?: string[];
}

/** An environment: `process.env`, `Deno.env.toObject()`, a Worker's `env`, or any record. */
export type EnvRecord = Readonly<Record<string, unknown>>;

/** The environment of this runtime when none is given: `process.env`, else Deno's, else empty. */
function defaultEnv(): EnvRecord {
  const g = globalThis as {
    process?: { env?: EnvRecord };
    Deno?: { env?: { toObject(): EnvRecord } };
  };
  if (g.process?.env) return g.process.env;
  try {
    return g.Deno?.env?.toObject() ?? {};
  } catch {
    return {}; // Deno without --allow-env: behave as an empty environment
  }
}

/** Whether two variables agree: regions agree when they name the same region in any spelling. */
function sameValue(option: keyof typeof ENV_VARIABLES, a: string, b: string): boolean {
  if (a === b) return true;
  if (option !== "region") return false;
  try {
    return resolveRegion(a).id === resolveRegion(b).id;
  } catch {
    return false;
  }
}

/**
 * Reads one option: the first variable of its family that is set. Values are trimmed (a trailing
 * space or `\r` from a .env file is never part of a credential); a set but blank value is an error,
 * and so are two families that disagree.
 */
function read(env: EnvRecord, option: keyof typeof ENV_VARIABLES): string | undefined {
  let found: { name: string; value: string } | undefined;
  for (const name of ENV_VARIABLES[option]) {
    const raw = Object.hasOwn(env, name) ? env[name] : undefined; // never an inherited variable
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== "string") {
      throw new GenesysAuthError("invalid_config", `Environment variable ${name} must be a string.`);
    }
    const value = raw.trim();
    if (value === "") {
      throw new GenesysAuthError("invalid_config", `Environment variable ${name} is set but empty.`, {
        hint: `Set ${name} to the OAuth client's ${option === "region" ? "region" : "value"}, or unset it.`,
      });
    }
    if (found === undefined) found = { name, value };
    else if (!sameValue(option, found.value, value)) {
      // Values are never quoted: a secret may sit in the wrong variable.
      throw new GenesysAuthError(
        "invalid_config",
        `Environment variables ${found.name} and ${name} are both set, with different values.`,
        { hint: `Keep one naming family; ${found.name} would win, which may not be what you meant.` },
      );
    }
  }
  return found?.value;
}

/** The variable that provided `option` (for messages). */
function sourceOf(env: EnvRecord, option: keyof typeof ENV_VARIABLES): string {
  return ENV_VARIABLES[option].find((name) => Object.hasOwn(env, name)) ?? ENV_VARIABLES[option][0];
}

/** Checks the non-secret values early, so that the error names the variable rather than the option. */
function validate(env: EnvRecord, options: Omit<EnvOptions, "clientId" | "clientSecret">): void {
  if (options.region !== undefined) {
    try {
      resolveRegion(options.region);
    } catch (error) {
      const cause = error as GenesysAuthError;
      throw new GenesysAuthError("invalid_config", `${sourceOf(env, "region")}: ${cause.message}`, {
        hint: cause.hint,
      });
    }
  }
  for (const option of ["loginUrl", "apiUrl"] as const) {
    const url = options[option];
    if (url !== undefined && !isAllowedBaseUrl(url)) {
      throw new GenesysAuthError(
        "invalid_config",
        `${sourceOf(env, option)} must be an https:// URL, or http:// to a loopback host (localhost, 127.0.0.1, [::1]), without a query, fragment or credentials.`,
      );
    }
  }
}

/** Refuses anything but an object of variables. */
function checkRecord(env: unknown): asserts env is EnvRecord {
  if (typeof env !== "object" || env === null) {
    throw new GenesysAuthError("invalid_config", "fromEnv(env): env must be an object of variables.", {
      hint: "Pass process.env, Deno.env.toObject() or a Worker's env — or nothing, to read this runtime's environment.",
    });
  }
}

/** Reads a credential that must be set; `where` tells the admin which OAuth client to look at. */
function required(env: EnvRecord, option: "clientId" | "clientSecret", where: string): string {
  const value = read(env, option);
  if (value !== undefined) return value;
  const [first, ...others] = ENV_VARIABLES[option];
  throw new GenesysAuthError(
    "invalid_config",
    `Environment variable ${first} is not set (also looked for ${others.join(", ")}).`,
    {
      hint: `Set ${first} to the OAuth client's ${option === "clientId" ? "client id" : "client secret"} (Admin > Integrations > OAuth > ${where}).`,
    },
  );
}

/** The options besides the credentials: region, host overrides and scopes, checked. */
function connection(env: EnvRecord): Omit<EnvOptions, "clientId" | "clientSecret"> {
  const options: Omit<EnvOptions, "clientId" | "clientSecret"> = {};
  const region = read(env, "region");
  const loginUrl = read(env, "loginUrl");
  const apiUrl = read(env, "apiUrl");
  const scopes = read(env, "scopes");
  if (region !== undefined) options.region = region;
  if (loginUrl !== undefined) options.loginUrl = loginUrl;
  if (apiUrl !== undefined) options.apiUrl = apiUrl;
  if (scopes !== undefined) options.scopes = scopes.split(/[\s,]+/).filter(Boolean);
  validate(env, options);
  return options;
}

/**
 * Builds createAuth options from environment variables. Reads the tutorial's `GENESYS_*`
 * (`GENESYS_ENV_URL` as the region), the Genesys CLI/Terraform `GENESYSCLOUD_*` and the Genesys
 * examples' `GENESYS_CLOUD_*` families, plus `GENESYS_LOGIN_URL`, `GENESYS_API_URL` and
 * `GENESYS_SCOPES` (space- or comma-separated).
 *
 * @param env Defaults to `process.env` (Node, Bun) or `Deno.env.toObject()`.
 * @throws {GenesysAuthError} `invalid_config` naming the variable that is missing, blank or conflicting.
 */
export function fromEnv(env: EnvRecord = defaultEnv()): EnvOptions {
  checkRecord(env);
  const where = "your Client Credentials client";
  const clientId = required(env, "clientId", where);
  const clientSecret = required(env, "clientSecret", where);
  return { clientId, clientSecret, ...connection(env) };
}

/**
 * The options of a public (PKCE) client from environment variables: what {@link fromEnv} reads but
 * the secret, which is neither required nor read (a user's sign-in from the CLI needs none).
 *
 * @throws {GenesysAuthError} `invalid_config` naming the variable that is missing, blank or conflicting.
 */
export function publicClientFromEnv(env: EnvRecord): Omit<EnvOptions, "clientSecret"> {
  checkRecord(env);
  const clientId = required(env, "clientId", "your PKCE-enabled Code Authorization client");
  return { clientId, ...connection(env) };
}
