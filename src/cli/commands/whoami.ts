/** `whoami`: who the credentials are — organization, region, OAuth client, grant, roles, token expiry. */
import type { KyInstance } from "ky";
import { createClient } from "../../client/create.ts";
import { getOAuthClient, getOrganization, getRoleName, getTokenInfo } from "../../client/helpers.ts";
import { createAuth } from "../../grants/client-credentials.ts";
import { oneLine as plain, redactorOf } from "../../redact.ts";
import { connectionOptions } from "../config.ts";
import { CONNECTION_FLAGS, type Command, EXIT } from "../context.ts";
import { jsonText, table } from "../output.ts";

/** The OAuth client's grant and role names; needs `oauth:client:view` (and role view for names). */
async function clientDetails(api: KyInstance, clientId: string): Promise<{ grant?: string; roles: string }> {
  try {
    const details = await getOAuthClient(api, clientId);
    const ids = [...new Set((details.roleDivisions ?? []).map((r) => r.roleId))];
    const names = await Promise.all(
      ids.map((id) =>
        getRoleName(api, id).then(
          (name) => name ?? id,
          () => id,
        ),
      ),
    );
    return {
      ...(details.authorizedGrantType ? { grant: details.authorizedGrantType } : {}),
      roles: names.join(", ") || "(none)",
    };
  } catch {
    return { roles: "(not visible: the client needs the oauth:client:view permission)" };
  }
}

export const whoamiCommand: Command = {
  summary: "show the organization, region, OAuth client, grant, roles and token expiry",
  usage: "genesys-cloud-auth whoami [--json]",
  flags: { ...CONNECTION_FLAGS, json: { type: "boolean", description: "print JSON" } },
  async run({ flags, env, stdin, output }) {
    const auth = createAuth(await connectionOptions(flags, env, stdin));
    output.hide(redactorOf(auth));
    const api = createClient({ auth });
    const [info, org, token] = await Promise.all([getTokenInfo(api), getOrganization(api), auth.getToken()]);
    const client = info.OAuthClient;
    const details = client ? await clientDetails(api, client.id) : { roles: "(unknown)" };
    const result = {
      organization: { id: org.id, name: org.name },
      region: auth.region,
      apiUrl: auth.apiUrl,
      oauthClient: client ? { id: client.id, name: client.name } : undefined,
      grantType: details.grant ?? "client_credentials",
      roles: details.roles,
      scopes: info.authorizedScope ?? [],
      tokenExpiresAt: new Date(token.expiresAt).toISOString(),
    };
    if (flags.json) {
      output.out(jsonText(result, 2));
      return EXIT.ok;
    }
    const hours = ((token.expiresAt - Date.now()) / 3_600_000).toFixed(1);
    output.out(
      table([
        ["Organization", `${output.bold(plain(org.name))} (${plain(org.id)})`],
        ["Region", `${auth.region} (${auth.apiUrl})`],
        ["OAuth client", client ? plain(`${client.name ?? "?"} (${client.id})`) : "(unknown)"],
        ["Grant type", plain(result.grantType)],
        ["Roles", plain(details.roles)],
        ["Scopes", plain(result.scopes.join(" ")) || "(none)"],
        ["Token expires", `${result.tokenExpiresAt} (in ${hours} h)`],
      ]),
    );
    return EXIT.ok;
  },
};
