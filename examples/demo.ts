/**
 * The demo: get a token and call the API.
 *
 * - With GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET (or the GENESYS_CLOUD_* / GENESYSCLOUD_* families)
 *   and a region in the environment, it talks to your real Genesys Cloud org.
 * - Without them, it starts the embedded mock Genesys Cloud on 127.0.0.1 and talks to that.
 *
 * It never prints the token or the secret.
 */
import { ENV_VARIABLES } from "../src/env.ts";
import {
  type AuthEvent,
  createAuth,
  createClient,
  fromEnv,
  GenesysAuthError,
  type GenesysHTTPError,
  getOrganization,
  getTokenInfo,
  getUser,
  HTTPError,
  paginate,
} from "../src/index.ts";
import { createMockGenesys, serveMockGenesys } from "../src/testing/index.ts";

const env = process.env;
const hasCredentials = [...ENV_VARIABLES.clientId, ...ENV_VARIABLES.clientSecret].some((name) => env[name]);
const say = (line: string) => console.log(line);

function describeEvent(event: AuthEvent): string | undefined {
  switch (event.type) {
    case "refresh":
      return `requesting a token (${event.reason})`;
    case "retry":
      return `token request retry #${event.attempt}${event.delayMs === undefined ? " after a backoff" : ` in ${Math.round(event.delayMs)} ms`}${event.status ? ` after HTTP ${event.status}` : ""}`;
    case "token_fetched":
      return `token acquired in ${event.durationMs} ms, expires ${new Date(event.expiresAt).toISOString()}`;
    default:
      return undefined;
  }
}

async function main(): Promise<void> {
  let options = hasCredentials ? fromEnv(env) : undefined;
  let stop = async () => {};
  if (options === undefined) {
    const mock = createMockGenesys();
    const served = await serveMockGenesys(mock);
    stop = served.close;
    options = {
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      loginUrl: served.url,
      apiUrl: served.url,
    };
    say(`No Genesys credentials in the environment: using the embedded mock Genesys Cloud at ${served.url}`);
    say("(set GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET and GENESYS_REGION to use your real org)");
  } else {
    say(`Using the real Genesys Cloud with client id ${options.clientId}`);
  }
  try {
    const auth = createAuth({
      ...options,
      onEvent: (event) => {
        const line = describeEvent(event);
        if (line) say(`  · ${line}`);
      },
    });
    say(`Region ${auth.region}: login ${auth.loginUrl}, API ${auth.apiUrl}`);

    const token = await auth.getToken();
    const hours = ((token.expiresAt - Date.now()) / 3_600_000).toFixed(1);
    say(`✔ token acquired (bearer, valid for ${hours} h; never printed)`);
    const started = performance.now();
    const again = await auth.getToken();
    say(
      `✔ second getToken(): cache hit in ${(performance.now() - started).toFixed(3)} ms, same token: ${again === token}`,
    );

    const api = createClient({ auth });
    const org = await getOrganization(api);
    say(`✔ GET /api/v2/organizations/me → ${org.name} (${org.id})`);
    const info = await getTokenInfo(api);
    say(`✔ GET /api/v2/tokens/me → OAuth client "${info.OAuthClient?.name ?? "?"}"`);

    try {
      const userId =
        env.GENESYS_DEMO_USER_ID ??
        (await first(paginate<{ id: string }>(api, "api/v2/users", { pageSize: 1, maxItems: 1 })))?.id;
      if (userId === undefined) say("· no users in this organization to look up");
      else {
        const user = await getUser(api, userId);
        say(
          `✔ GET /api/v2/users/${user.id} → ${user.name ?? "(no name)"} (${user.state ?? "unknown state"})`,
        );
      }
    } catch (error) {
      if (!(error instanceof HTTPError)) throw error;
      const explained = error as GenesysHTTPError;
      say(
        `· looking up a user failed: ${explained.message}${explained.hint ? `\n  hint: ${explained.hint}` : ""}`,
      );
    }
    say("Done.");
  } finally {
    await stop();
  }
}

async function first<T>(items: AsyncIterable<T>): Promise<T | undefined> {
  for await (const item of items) return item;
  return undefined;
}

main().catch((error: unknown) => {
  if (error instanceof GenesysAuthError) {
    console.error(`✘ ${error.code}: ${error.message}\n  hint: ${error.hint}`);
    if (error.correlationId) console.error(`  correlation id: ${error.correlationId}`);
  } else {
    console.error("✘", error instanceof Error ? error.message : error);
  }
  process.exitCode = 1;
});
