/**
 * 5. Bundle sizes for the same job (get a client-credentials token; call the API), minified and
 * gzipped with the same esbuild settings: ours vs the official SDK vs oauth4webapi vs
 * @badgateway/oauth2-client.
 */
import { bundleSize, FLOOR_CASES, isBuilt, SIZE_CASES } from "../scripts/size.ts";
import { markdownTable } from "./lib.ts";

const competitors: Array<{ name: string; code: string; platform?: "browser" | "node" }> = [
  {
    name: "oauth4webapi (token only)",
    code: 'import * as oauth from "oauth4webapi"; export async function token(id, secret) { const as = { issuer: "https://login.mypurecloud.com", token_endpoint: "https://login.mypurecloud.com/oauth/token" }; const client = { client_id: id }; const r = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secret), new URLSearchParams()); return oauth.processClientCredentialsResponse(as, client, r); }',
  },
  {
    name: "@badgateway/oauth2-client (token + fetch wrapper)",
    code: 'import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client"; export function make(id, secret) { const client = new OAuth2Client({ server: "https://login.mypurecloud.com", tokenEndpoint: "/oauth/token", clientId: id, clientSecret: secret }); return new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() }); }',
  },
  {
    name: "purecloud-platform-client-v2 (official SDK, whole)",
    code: 'import platformClient from "purecloud-platform-client-v2"; export default platformClient;',
    platform: "node",
  },
];

export async function benchSizes(): Promise<string> {
  const rows: Array<Array<string | number>> = [];
  for (const c of SIZE_CASES.filter(isBuilt)) {
    const { min, gzip } = await bundleSize(c.code, { external: c.external });
    rows.push([`genesys-cloud-auth — ${c.name}`, min, gzip, c.target ? `target ${c.target}` : ""]);
  }
  for (const f of FLOOR_CASES) {
    const { min, gzip } = await bundleSize(f.code);
    rows.push([`floor — ${f.name}`, min, gzip, "required parts alone, under the core + ky target"]);
  }
  for (const c of competitors) {
    try {
      const { min, gzip } = await bundleSize(c.code, { platform: c.platform ?? "browser" });
      rows.push([
        c.name,
        min,
        gzip,
        c.platform === "node" ? "bundled for node (its browser build needs a DOM)" : "",
      ]);
    } catch (error) {
      rows.push([c.name, "—", "—", `does not bundle: ${String(error).slice(0, 120)}`]);
    }
  }
  return markdownTable(["bundle (esbuild, minified, ESM)", "bytes min", "bytes min+gz", "note"], rows);
}
