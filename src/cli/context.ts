/**
 * What every CLI command receives, and the exit codes it answers.
 *
 * @module
 */
import type { Output } from "./output.ts";

/** Exit codes: 0 success, 1 Genesys or network failure, 2 usage, 3 configuration, 130 cancelled (Ctrl-C). */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 3, interrupted: 130 } as const;

/** A failure of the CLI itself (a busy port, a cancelled sign-in): its message, a hint, an exit code. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    /** What to do about it. */
    readonly hint?: string,
    /** The exit code to answer. */
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

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
  /** More help, printed after the summary. */
  details?: string;
  flags: Record<string, { type: "string" | "boolean"; short?: string; description: string }>;
  run(context: CommandContext): Promise<number>;
}

/** The flags of every command that talks to Genesys as a public client (no secret): where, and which client. */
export const PUBLIC_CLIENT_FLAGS: Command["flags"] = {
  "env-file": { type: "string", description: "load variables from this .env file (the environment wins)" },
  region: { type: "string", description: "region: eu-west-1, mypurecloud.ie or https://api.mypurecloud.ie" },
  "client-id": { type: "string", description: "the OAuth client id (else GENESYS_CLIENT_ID, …)" },
};

/** The flags of every command that talks to Genesys. */
export const CONNECTION_FLAGS: Command["flags"] = {
  ...PUBLIC_CLIENT_FLAGS,
  "client-secret-stdin": { type: "boolean", description: "read the client secret from standard input" },
};
