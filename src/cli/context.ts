/**
 * What every CLI command receives, and the exit codes it answers.
 *
 * @module
 */
import type { Output } from "./output.ts";

/** Exit codes: 0 success, 1 Genesys or network failure, 2 usage, 3 configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 3 } as const;

/** A command's inputs. */
export interface CommandContext {
  /** Parsed flags (strings and booleans). */
  flags: Record<string, string | boolean | undefined>;
  /** Positional arguments after the command name. */
  args: string[];
  /** The environment (mutable: `--env-file` adds to it). */
  env: Record<string, string | undefined>;
  /** Standard input (for `--client-secret-stdin`). */
  stdin: AsyncIterable<unknown>;
  output: Output;
}

/** A command: its help text, its flags, and what it does. */
export interface Command {
  summary: string;
  usage: string;
  flags: Record<string, { type: "string" | "boolean"; short?: string; description: string }>;
  run(context: CommandContext): Promise<number>;
}

/** The flags of every command that talks to Genesys. */
export const CONNECTION_FLAGS: Command["flags"] = {
  "env-file": { type: "string", description: "load variables from this .env file (the environment wins)" },
  region: { type: "string", description: "region: eu-west-1, mypurecloud.ie or https://api.mypurecloud.ie" },
  "client-id": { type: "string", description: "the OAuth client id (else GENESYS_CLIENT_ID, …)" },
  "client-secret-stdin": { type: "boolean", description: "read the client secret from standard input" },
};
