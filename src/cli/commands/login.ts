/**
 * `login`: signs a person in with the authorization code grant and S256 PKCE of a public client (no
 * secret), through a loopback redirect to `http://localhost:<port>/callback`, and keeps their token in
 * a private file (see `token-file.ts`). Answers from the browser whose `state` is not this sign-in's
 * (a stale tab, a forged request) are refused and the wait goes on; the first answer that matches
 * ends it, whatever it says.
 */
import { createClient } from "../../client/create.ts";
import { getOrganization, getUser } from "../../client/helpers.ts";
import { GenesysAuthError } from "../../errors.ts";
import {
  authorizeUrl,
  codeOf,
  exchangeCode,
  isCallback,
  readCallback,
} from "../../grants/authorization-code.ts";
import { challengeOf, createState, createVerifier } from "../../grants/pkce.ts";
import { oneLine, redactor, redactorOf, stripControls } from "../../redact.ts";
import type { TokenEntry } from "../../token/entry.ts";
import { UsageError } from "../config.ts";
import { CliError, type Command, type CommandContext, EXIT, PUBLIC_CLIENT_FLAGS } from "../context.ts";
import { type CallbackAnswer, listenForCallback } from "../loopback.ts";
import { openBrowser } from "../open-browser.ts";
import type { Output } from "../output.ts";
import { writeSignIn } from "../token-file.ts";
import { type UserSignIn, userAuth, userSignIn } from "../user.ts";

/** The loopback port when `--port` is not given: fixed, since the redirect URI is registered exactly. */
const DEFAULT_PORT = 8765;
/** How long to wait for the browser, in seconds, when `--timeout` is not given. */
const DEFAULT_TIMEOUT_SECONDS = 300;

/** A whole-number flag within `min`–`max`, or `fallback` when absent. */
function wholeFlag(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

/** The pages the browser is answered with. */
const PAGES = {
  done: {
    status: 409,
    title: "Sign-in finished",
    message: "This sign-in is already finished: close this tab.",
  },
  empty: {
    status: 400,
    title: "No sign-in answer",
    message: "This address carries neither a code nor an error: start from the address the terminal printed.",
  },
  foreign: {
    status: 400,
    title: "Not this sign-in",
    message:
      "This answer does not belong to the sign-in the terminal is waiting for (an old tab or link?). Use the address the terminal printed last.",
  },
};

/**
 * Serves the loopback redirect, sends the person to the login page and waits for the first answer
 * that belongs to this sign-in; exchanges its code (with the verifier, no secret).
 */
async function awaitSignIn(
  { settings, target }: UserSignIn,
  { port, timeoutSeconds, browser }: { port: number; timeoutSeconds: number; browser: boolean },
  output: Output,
): Promise<TokenEntry> {
  const state = createState();
  const verifier = createVerifier();
  const redact = redactor(() => [verifier]);
  let finish!: { resolve(entry: TokenEntry): void; reject(error: unknown): void };
  const outcome = new Promise<TokenEntry>((resolve, reject) => {
    finish = { resolve, reject };
  });
  outcome.catch(() => {}); // handled below; a rejection before the await is not "unhandled"
  let accepted = false;
  const failed = (error: unknown): CallbackAnswer => ({
    status: 400,
    title: "Sign-in failed",
    message: `${error instanceof Error ? error.message : String(error)} See the terminal.`,
    sent: () => finish.reject(error),
  });

  const server = await listenForCallback(port, async (url): Promise<CallbackAnswer> => {
    if (accepted) return PAGES.done;
    const callback = readCallback(url);
    if (!isCallback(callback)) return PAGES.empty;
    let code: string;
    try {
      code = codeOf(callback, state, redact);
    } catch (error) {
      if ((error as GenesysAuthError).code === "state_mismatch") {
        output.err(
          output.yellow("warning: refused an answer whose state is not this sign-in's; still waiting"),
        );
        return PAGES.foreign;
      }
      accepted = true;
      return failed(error);
    }
    accepted = true;
    try {
      const entry = await exchangeCode(
        settings,
        { code, redirectUri: server.redirectUri, verifier, client: { method: "none", id: target.clientId } },
        { redact },
      );
      return {
        status: 200,
        title: "Signed in",
        message: "You are signed in to Genesys Cloud. You can close this tab and go back to the terminal.",
        sent: () => finish.resolve(entry),
      };
    } catch (error) {
      return failed(error);
    }
  });

  const timer = setTimeout(() => {
    if (accepted) return; // the exchange has its own deadline
    finish.reject(
      new GenesysAuthError("timeout", `No sign-in came back within ${timeoutSeconds} s.`, {
        hint: "Run login again and finish signing in in the browser sooner, or give more time with --timeout <seconds>.",
      }),
    );
  }, timeoutSeconds * 1000);
  const interrupt = () => finish.reject(new CliError("Sign-in cancelled.", undefined, EXIT.interrupted));
  process.once("SIGINT", interrupt);
  try {
    const url = authorizeUrl(settings.loginUrl, {
      clientId: target.clientId,
      redirectUri: server.redirectUri,
      state,
      challenge: await challengeOf(verifier),
      scopes: settings.scopes,
    });
    if (browser && (await openBrowser(url))) {
      output.out("Opening the browser to sign in. If it does not open, visit:");
    } else {
      if (browser) output.err(output.yellow("warning: could not start a browser"));
      output.out("Open this address in a browser to sign in:");
    }
    output.out(`  ${url}`);
    output.out(
      output.dim(
        `Waiting for the sign-in on ${server.redirectUri} (up to ${timeoutSeconds} s; Ctrl-C to cancel)…`,
      ),
    );
    return await outcome;
  } finally {
    clearTimeout(timer);
    process.off("SIGINT", interrupt);
    await server.close();
  }
}

/** The `login` command: a person signs in in the browser; their token is kept in a private file. */
export const loginCommand: Command = {
  summary: "sign a person in with the browser (authorization code + PKCE) and keep their token",
  usage: "genesys-cloud-auth login [--port N] [--timeout SECONDS] [--no-browser]",
  details: [
    "Needs a Code Authorization OAuth client with PKCE enabled (a public client: no secret is used or",
    `read), on which the redirect URI http://localhost:<port>/callback (default port ${DEFAULT_PORT}) is`,
    "registered exactly. The token is kept, readable by you only, in genesys-cloud-auth/ under your",
    "config directory ($XDG_CONFIG_HOME or ~/.config; ~/Library/Application Support on macOS; %APPDATA%",
    "on Windows), one file per client and region; `token --user` prints it, `logout` revokes it.",
    "An answer whose state is not this sign-in's is refused and the wait goes on.",
  ].join("\n"),
  flags: {
    ...PUBLIC_CLIENT_FLAGS,
    port: {
      type: "string",
      description: `loopback port for the redirect (default ${DEFAULT_PORT}); register http://localhost:<port>/callback`,
    },
    timeout: {
      type: "string",
      description: `seconds to wait for the sign-in (default ${DEFAULT_TIMEOUT_SECONDS})`,
    },
    "no-browser": { type: "boolean", description: "print the sign-in address instead of opening a browser" },
  },
  async run(context: CommandContext) {
    const { flags, output } = context;
    const port = wholeFlag(flags.port, "--port", 1, 65_535, DEFAULT_PORT);
    const timeoutSeconds = wholeFlag(flags.timeout, "--timeout", 1, 86_400, DEFAULT_TIMEOUT_SECONDS);
    const signIn = await userSignIn(context);
    const entry = await awaitSignIn(signIn, { port, timeoutSeconds, browser: !flags["no-browser"] }, output);
    await writeSignIn(signIn.path, signIn.target, entry);
    const auth = await userAuth(signIn.settings, entry);
    output.hide(redactorOf(auth));
    const api = createClient({ auth, retry: { limit: 1 } });
    try {
      const [user, org] = await Promise.all([getUser(api, "me"), getOrganization(api)]);
      const who = `${user.name ?? user.id}${user.email ? ` <${user.email}>` : ""}`;
      output.out(
        output.green(
          `Signed in as ${oneLine(who)}, organization ${oneLine(org.name)} (${signIn.target.region}).`,
        ),
      );
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      output.err(
        output.yellow(stripControls(`warning: signed in, but who you are could not be read: ${why}`)),
      );
    }
    output.out(
      `Token saved in ${signIn.path}, valid until ${new Date(entry.token.expiresAt).toISOString()}.`,
    );
    output.out(output.dim("Print it with: genesys-cloud-auth token --user"));
    return EXIT.ok;
  },
};
