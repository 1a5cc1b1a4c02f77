/**
 * CLI configuration: environment (any naming family), `--env-file` (Node's own loader), and flags.
 * The secret comes only from the environment or standard input, never from a flag (flags end up in
 * shell history and process listings).
 *
 * @module
 */
import { ENV_VARIABLES, type EnvOptions, type EnvRecord, fromEnv, publicClientFromEnv } from "../env.ts";

/** Flags shared by the commands that talk to Genesys. */
export interface ConnectionFlags {
  "env-file"?: string;
  region?: string;
  "client-id"?: string;
  "client-secret-stdin"?: boolean;
}

/** A usage mistake: exit code 2, with the command's help. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Loads `path` into `env` with Node's own parser (`util.parseEnv`, Node >= 20.12; Bun and Deno provide it too). */
async function loadEnvFile(path: string, env: Record<string, string | undefined>): Promise<void> {
  const [{ readFile }, util] = await Promise.all([import("node:fs/promises"), import("node:util")]);
  const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;
  if (typeof parseEnv !== "function") {
    throw new UsageError("--env-file needs Node >= 20.12 (util.parseEnv); export the variables instead.");
  }
  let content: string;
  try {
    content = await readFile(path, "utf8");
  } catch {
    throw new UsageError(`--env-file: cannot read ${path}`);
  }
  for (const [name, value] of Object.entries(parseEnv(content))) env[name] ??= value; // the real environment wins
}

/** Reads standard input to the end (for the secret). */
export async function readStdin(stdin: AsyncIterable<unknown>): Promise<string> {
  let text = "";
  for await (const chunk of stdin) text += String(chunk);
  return text.trim();
}

/**
 * The environment with `--env-file` loaded and the flags applied: a flag replaces every family's
 * variable for its option, so that they cannot disagree.
 */
async function withFlags(
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
  stdin?: AsyncIterable<unknown>,
): Promise<EnvRecord> {
  if (flags["env-file"] !== undefined) await loadEnvFile(flags["env-file"], env);
  const merged: Record<string, string | undefined> = { ...env };
  const replace = (option: keyof typeof ENV_VARIABLES, value: string) => {
    for (const name of ENV_VARIABLES[option]) delete merged[name];
    merged[ENV_VARIABLES[option][0]] = value;
  };
  if (flags["client-id"] !== undefined) replace("clientId", flags["client-id"]);
  if (flags.region !== undefined) replace("region", flags.region);
  if (flags["client-secret-stdin"] && stdin) replace("clientSecret", await readStdin(stdin));
  return merged as EnvRecord;
}

/** createAuth options from the environment and flags (flags win). */
export async function connectionOptions(
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
  stdin: AsyncIterable<unknown>,
): Promise<EnvOptions> {
  return fromEnv(await withFlags(flags, env, stdin));
}

/** A public (PKCE) client's options from the environment and flags: no secret needed, none read. */
export async function publicClientOptions(
  flags: Omit<ConnectionFlags, "client-secret-stdin">,
  env: Record<string, string | undefined>,
): Promise<Omit<EnvOptions, "clientSecret">> {
  return publicClientFromEnv(await withFlags(flags, env));
}
