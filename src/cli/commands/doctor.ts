/**
 * `doctor`: diagnoses the common failures for real — variables (blank, trailing spaces, which naming
 * family), region resolution, DNS of the login host, the token request (mapped to a fix), the region
 * that actually knows a "client not found" client, and an API call. Exit 0 only when a token was
 * obtained and an API call worked.
 */
import { createClient } from "../../client/create.ts";
import { getOrganization } from "../../client/helpers.ts";
import type { GenesysHTTPError } from "../../client/http-error.ts";
import { ENV_FAMILIES, ENV_VARIABLES } from "../../env.ts";
import type { GenesysAuthError } from "../../errors.ts";
import { createAuth } from "../../grants/client-credentials.ts";
import { oneLine, redactorOf, stripControls } from "../../redact.ts";
import { REGIONS, resolveRegion } from "../../regions.ts";
import { isUnknownClient } from "../../token/oauth-error.ts";
import { isAllowedBaseUrl, isLoopbackHost } from "../../validation.ts";
import { connectionOptions } from "../config.ts";
import { CliError, CONNECTION_FLAGS, type Command, type CommandContext, EXIT } from "../context.ts";

/**
 * Test hook: a JSON object of region id → loopback login URL, replacing the real login hosts in the
 * region scan. Anything but loopback addresses is refused.
 */
const REGION_HOSTS_VARIABLE = "GENESYS_CLI_REGION_LOGIN_URLS";

/**
 * What the region scan sends as the secret. Not the real one: each region only has to tell "client
 * not found" from "authentication failed", and the real secret goes to one region, the configured one.
 */
const SCAN_SECRET = "genesys-cloud-auth-doctor-region-scan";

/** A Genesys OAuth client id: a UUID. */
const CLIENT_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a non-secret variable holds what it should — a client id a UUID, a region a region, the
 * others something short without URL credentials, query or fragment: only then is its value shown,
 * so a secret pasted into the wrong variable (or a URL with a password) is never printed.
 */
function plausible(name: string, value: string): boolean {
  if (value.length > 120 || stripControls(value) !== value || /[@?#]/.test(value)) return false;
  if ((ENV_VARIABLES.clientId as readonly string[]).includes(name)) return CLIENT_ID_SHAPE.test(value);
  if (!(ENV_VARIABLES.region as readonly string[]).includes(name)) return true;
  try {
    resolveRegion(value);
    return true;
  } catch {
    return false;
  }
}

/** Checks the raw variables before anything trims them. */
function checkVariables({ env, output }: CommandContext): void {
  const family = ENV_FAMILIES[ENV_VARIABLES.clientId.findIndex((name) => env[name] !== undefined)];
  output.out(`${output.bold("Variables")}  naming family: ${family ?? output.yellow("none found")}`);
  for (const name of Object.values(ENV_VARIABLES).flat()) {
    const value = env[name];
    if (value === undefined) continue;
    const shown =
      name.includes("SECRET") || !plausible(name, value)
        ? `(${value.length} characters)`
        : JSON.stringify(value);
    const problems = [
      value.trim() === "" ? "blank" : "",
      value !== value.trim() ? "leading/trailing whitespace (trimmed by the SDK; fix the source)" : "",
    ].filter(Boolean);
    output.out(
      `  ${problems.length ? output.yellow("!") : output.green("✔")} ${name} = ${shown}${problems.length ? `  ${output.yellow(problems.join(", "))}` : ""}`,
    );
  }
}

/** Which login hosts to try when the client is unknown: the hook's, or every known region's. */
function scanTargets(env: Record<string, string | undefined>): Array<[string, string]> {
  const hook = env[REGION_HOSTS_VARIABLE];
  if (hook) {
    let targets: Array<[string, unknown]> | undefined;
    try {
      const parsed: unknown = JSON.parse(hook);
      if (typeof parsed === "object" && parsed !== null) targets = Object.entries(parsed);
    } catch {}
    const loopback = (url: unknown) =>
      typeof url === "string" && isAllowedBaseUrl(url) && isLoopbackHost(new URL(url).hostname);
    if (!targets?.every(([, url]) => loopback(url))) {
      throw new CliError(
        `${REGION_HOSTS_VARIABLE} must be a JSON object of region id → loopback login URL (a test hook).`,
        `Unset ${REGION_HOSTS_VARIABLE}: doctor then asks every region's real login host.`,
        EXIT.config,
      );
    }
    return targets as Array<[string, string]>;
  }
  return Object.values(REGIONS).map((r) => [r.id, `https://login.${r.domain}`]);
}

/** Asks every region's login host concurrently (3 s each) whether it knows the client. */
async function findClientRegion(context: CommandContext, clientId: string): Promise<string[]> {
  const targets = scanTargets(context.env);
  const answers = await Promise.all(
    targets.map(async ([id, loginUrl]) => {
      const auth = createAuth({
        clientId,
        clientSecret: SCAN_SECRET,
        loginUrl,
        timeoutMs: 3_000,
        retry: { limit: 0 },
      });
      try {
        await auth.getToken();
        return undefined; // a host that issues a token for a made-up secret is not telling the truth
      } catch (error) {
        const e = error as GenesysAuthError;
        return (e.code === "invalid_client" && !isUnknownClient(e)) || e.code === "unauthorized_client"
          ? id
          : undefined;
      }
    }),
  );
  return answers.filter((a): a is string => a !== undefined);
}

async function lookup(host: string): Promise<string> {
  if (/^(localhost|\d+\.\d+\.\d+\.\d+|\[.*\])$/.test(host)) return host;
  const dns = await import("node:dns/promises");
  return (await dns.lookup(host)).address;
}

export const doctorCommand: Command = {
  summary: "diagnose credentials, region, connectivity, the token request and an API call",
  usage: "genesys-cloud-auth doctor",
  flags: CONNECTION_FLAGS,
  async run(context) {
    const { output, env } = context;
    const fail = (label: string, detail: string, hint?: string) => {
      output.out(`${output.red("✘")} ${label}: ${oneLine(detail)}`);
      if (hint) output.out(`  ${output.dim("fix:")} ${stripControls(hint)}`);
    };
    checkVariables(context);
    let options: Awaited<ReturnType<typeof connectionOptions>>;
    try {
      options = await connectionOptions(context.flags, env, context.stdin);
    } catch (error) {
      const e = error as GenesysAuthError;
      fail("Configuration", e.message, e.hint);
      return EXIT.config;
    }
    try {
      const region = resolveRegion(options.region);
      output.out(
        `${output.green("✔")} Region ${region.id}: login ${options.loginUrl ?? region.loginUrl}, API ${options.apiUrl ?? region.apiUrl}`,
      );
    } catch (error) {
      fail("Region", (error as GenesysAuthError).message, (error as GenesysAuthError).hint);
      return EXIT.config;
    }
    const auth = createAuth({ ...options, retry: { limit: 1 } });
    output.hide(redactorOf(auth));
    const loginHost = new URL(auth.loginUrl).hostname;
    try {
      const address = await output.step(`resolving ${loginHost}`, () => lookup(loginHost));
      output.out(`${output.green("✔")} DNS ${loginHost} → ${address}`);
    } catch (error) {
      fail(
        `DNS ${loginHost}`,
        String((error as Error).message),
        "Check the region's spelling, DNS, and any proxy or firewall between you and Genesys Cloud.",
      );
      return EXIT.failure;
    }
    try {
      const token = await output.step("requesting a token", () => auth.getToken());
      output.out(`${output.green("✔")} Token issued (expires ${new Date(token.expiresAt).toISOString()})`);
    } catch (error) {
      const e = error as GenesysAuthError;
      fail(`Token request (${e.code ?? "error"})`, e.message, e.hint);
      if (isUnknownClient(e)) {
        const found = await output.step("asking every region's login host for this client", () =>
          findClientRegion(context, options.clientId),
        );
        output.out(
          found.length > 0
            ? `  ${output.yellow("→")} the client is known in: ${found.join(", ")}. Set GENESYS_REGION accordingly.`
            : `  ${output.yellow("→")} no region knows this client id: check it in Admin > Integrations > OAuth.`,
        );
      }
      return EXIT.failure;
    }
    try {
      const org = await output.step("calling GET /api/v2/organizations/me", () =>
        getOrganization(createClient({ auth })),
      );
      output.out(`${output.green("✔")} API call: ${oneLine(`organization "${org.name}" (${org.id})`)}`);
    } catch (error) {
      const e = error as GenesysHTTPError;
      fail("API call", e.message, e.hint);
      return EXIT.failure;
    }
    output.out(output.green("All checks passed."));
    return EXIT.ok;
  },
};
