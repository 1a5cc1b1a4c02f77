/**
 * The CLI's dispatcher: `genesys-cloud-auth <command> [flags]`, with `--help` for every command and
 * meaningful exit codes (0 ok, 1 Genesys/network failure, 2 usage, 3 configuration).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { HTTPError } from "ky";
import { version } from "../../package.json";
import { GenesysAuthError } from "../errors.ts";
import { stripControls } from "../redact.ts";
import { quoteName } from "../validation.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { loginCommand } from "./commands/login.ts";
import { logoutCommand } from "./commands/logout.ts";
import { mockCommand } from "./commands/mock.ts";
import { revokeCommand } from "./commands/revoke.ts";
import { tokenCommand } from "./commands/token.ts";
import { whoamiCommand } from "./commands/whoami.ts";
import { UsageError } from "./config.ts";
import { CliError, type Command, EXIT } from "./context.ts";
import { createOutput, type Output } from "./output.ts";

const COMMANDS: Record<string, Command> = {
  token: tokenCommand,
  whoami: whoamiCommand,
  doctor: doctorCommand,
  revoke: revokeCommand,
  login: loginCommand,
  logout: logoutCommand,
  mock: mockCommand,
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "Usage: genesys-cloud-auth <command> [flags]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Credentials come from GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET / GENESYS_REGION (or the",
    "GENESYS_CLOUD_* and GENESYSCLOUD_OAUTHCLIENT_* families), --env-file, or flags. The secret is read",
    "only from the environment or standard input (--client-secret-stdin), never from a flag.",
    "",
    "login, logout and token --user act for a person: they need only the client id (and region) of a",
    "PKCE-enabled Code Authorization client, no secret. See `genesys-cloud-auth login --help`.",
    "",
    "Run `genesys-cloud-auth <command> --help` for a command's flags, `genesys-cloud-auth --version` for the version.",
  ].join("\n");
}

function commandHelp(command: Command): string {
  const flags = Object.entries(command.flags).map(([flag, f]) => [
    `--${flag}${f.type === "string" ? " <value>" : ""}`,
    f.description,
  ]);
  flags.push(["--help", "show this help"]);
  const width = Math.max(...flags.map(([f]) => (f as string).length));
  return [
    `Usage: ${command.usage}`,
    "",
    command.summary,
    ...(command.details === undefined ? [] : ["", command.details]),
    "",
    "Flags:",
    ...flags.map(([f, d]) => `  ${(f as string).padEnd(width)}  ${d}`),
  ].join("\n");
}

/**
 * Reports any failure in words, with its hint, and answers the exit code. Messages may quote server
 * text: terminal control sequences are stripped from everything printed here.
 */
function report(error: unknown, output: Output): number {
  const say = (text: string) => output.err(stripControls(text));
  if (error instanceof UsageError) {
    output.err(output.red(stripControls(`error: ${error.message}`)));
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    output.err(output.red(stripControls(`error: ${error.message}`)));
    if (error.hint) say(`hint: ${error.hint}`);
    return error.exitCode;
  }
  if (error instanceof GenesysAuthError) {
    output.err(output.red(stripControls(`error (${error.code}): ${error.message}`)));
    say(`hint: ${error.hint}`);
    if (error.correlationId) say(`correlation id: ${error.correlationId}`);
    return error.code === "invalid_config" ? EXIT.config : EXIT.failure;
  }
  if (error instanceof HTTPError) {
    const e = error as HTTPError & { hint?: string };
    output.err(output.red(stripControls(`error: ${e.message}`)));
    if (e.hint) say(`hint: ${e.hint}`);
    return EXIT.failure;
  }
  output.err(output.red(stripControls(`error: ${error instanceof Error ? error.message : String(error)}`)));
  return EXIT.failure;
}

/** Runs the CLI; answers the exit code. */
export async function main(
  argv: string[],
  io: {
    stdout: { write(t: string): unknown; isTTY?: boolean };
    stderr: { write(t: string): unknown };
    stdin: AsyncIterable<unknown>;
    env: Record<string, string | undefined>;
  },
): Promise<number> {
  const output = createOutput(io.stdout, io.stderr, io.env);
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-v") {
    output.out(version);
    return EXIT.ok;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    output.out(mainHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    output.err(output.red(`error: unknown command ${quoteName(name)}`)); // a long one may be a token: not shown
    output.err(mainHelp());
    return EXIT.usage;
  }
  if (rest.some((arg) => arg === "--client-secret" || arg.startsWith("--client-secret="))) {
    output.err(
      output.red(
        "error: the client secret is never taken from a flag: flags end up in shell history and in every user's process list.",
      ),
    );
    output.err(
      'hint: export GENESYS_CLIENT_SECRET, use --env-file, or pipe it: printf %s "$SECRET" | genesys-cloud-auth <command> --client-secret-stdin',
    );
    return EXIT.usage;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.flags, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    // An argument given by mistake may be a token or a secret: it is not quoted back.
    const positional = (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL";
    const message = positional
      ? `${name} takes no arguments, only flags (a token or a secret is read from stdin or the environment, never from the command line).`
      : (error as Error).message;
    output.err(output.red(stripControls(`error: ${message}`)));
    output.err(commandHelp(command));
    return EXIT.usage;
  }
  if (parsed.values.help) {
    output.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run({
      flags: parsed.values as Record<string, string | boolean | undefined>,
      args: parsed.positionals,
      env: { ...io.env },
      stdin: io.stdin,
      output,
    });
  } catch (error) {
    return report(error, output);
  }
}
