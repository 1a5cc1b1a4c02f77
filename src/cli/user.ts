/**
 * The person signed in with `login`: which sign-in the flags and environment name (a public client's
 * id, the region and hosts, and so the token file), its stored token when it is still usable, and an
 * auth over a token so that the API client and its helpers can call Genesys as that person.
 *
 * @module
 */
import { GenesysAuthError } from "../errors.ts";
import { type GenesysAuth, publicAuth } from "../token/auth.ts";
import { createTokenEngine } from "../token/engine.ts";
import type { TokenEntry } from "../token/entry.ts";
import { resolveSettings, type Settings } from "../token/options.ts";
import { publicClientOptions } from "./config.ts";
import type { CommandContext } from "./context.ts";
import { readSignIn, type SignInTarget, targetOf, tokenFilePath } from "./token-file.ts";

/** A sign-in as the flags and environment name it. */
export interface UserSignIn {
  readonly settings: Settings;
  readonly target: SignInTarget;
  /** Its token file. */
  readonly path: string;
}

/** Hint for every "sign in again". */
export const LOGIN_AGAIN =
  "Run `genesys-cloud-auth login` (with the same client id and region): Genesys gives PKCE clients no refresh token, so an ended sign-in is renewed only by signing in again.";

/** The sign-in the flags and environment name (client id, region, hosts; no secret). */
export async function userSignIn({ flags, env }: Pick<CommandContext, "flags" | "env">): Promise<UserSignIn> {
  const options = await publicClientOptions(flags, env);
  const settings = resolveSettings(options, "CLI option");
  const target = targetOf(options.clientId, settings);
  return { settings, target, path: tokenFilePath(env, target) };
}

/**
 * The stored token of `signIn`, if it has not expired.
 *
 * @throws {GenesysAuthError} `login_required`: no file, an expired token, or a file that cannot be used.
 */
export async function usableToken({ settings, target, path }: UserSignIn): Promise<TokenEntry> {
  const entry = await readSignIn(path, target);
  if (entry === undefined) {
    throw new GenesysAuthError(
      "login_required",
      `No one is signed in with client ${target.clientId} in ${target.region} (no ${path}).`,
      { hint: LOGIN_AGAIN },
    );
  }
  if (entry.token.expiresAt <= settings.now()) {
    throw new GenesysAuthError(
      "login_required",
      `The signed-in user's token expired at ${new Date(entry.token.expiresAt).toISOString()}.`,
      { hint: LOGIN_AGAIN },
    );
  }
  return entry;
}

/** An auth that serves `entry` (and nothing after it expires): for `createClient` as the signed-in user. */
export async function userAuth(settings: Settings, entry: TokenEntry): Promise<GenesysAuth> {
  const engine = createTokenEngine({ settings, grant: {}, secrets: [] });
  await engine.put(entry);
  return publicAuth(engine);
}
