/**
 * 2. An authenticated GET against the mock served on 127.0.0.1: raw `fetch` with a fixed header vs
 * `createClient` vs the official purecloud-platform-client-v2 (its gateway setting pointed at the mock).
 */
import { createRequire } from "node:module";
import { createAuth, createClient } from "../src/index.ts";
import { createMockGenesys, serveMockGenesys } from "../src/testing/index.ts";
import { markdownTable, paired } from "./lib.ts";

interface OfficialSdk {
  ApiClient: {
    instance: {
      config: { gateway?: unknown; logger: { setLogLevel?(level: string): void; logLevel?: string } };
      loginClientCredentialsGrant(id: string, secret: string): Promise<unknown>;
    };
  };
  OrganizationApi: new () => { getOrganizationsMe(): Promise<{ name: string }> };
}

/** The official SDK on the mock, or why it cannot run. */
async function officialSdk(
  port: number,
  id: string,
  secret: string,
): Promise<(() => Promise<unknown>) | string> {
  try {
    const sdk = createRequire(import.meta.url)("purecloud-platform-client-v2") as OfficialSdk;
    const client = sdk.ApiClient.instance;
    client.config.gateway = { protocol: "http", host: "127.0.0.1", port };
    await client.loginClientCredentialsGrant(id, secret);
    const api = new sdk.OrganizationApi();
    if ((await api.getOrganizationsMe()).name !== "Mock Org") return "answered something else";
    return () => api.getOrganizationsMe();
  } catch (error) {
    return `could not be run against the mock: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export async function benchHttpGet(): Promise<string> {
  const mock = createMockGenesys();
  const served = await serveMockGenesys(mock);
  try {
    const auth = createAuth({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      loginUrl: served.url,
      apiUrl: served.url,
    });
    const api = createClient({ auth });
    const { accessToken } = await auth.getToken();
    const url = `${served.url}/api/v2/organizations/me`;
    const headers = { authorization: `Bearer ${accessToken}` };
    const official = await officialSdk(served.port, mock.clientId, mock.clientSecret);
    const calls: Record<string, () => Promise<unknown>> = {
      "raw fetch + fixed header": () => fetch(url, { headers }).then((r) => r.json()),
      "genesys-cloud-auth createClient": () => api.get("api/v2/organizations/me").json(),
      ...(typeof official === "function" ? { "purecloud-platform-client-v2": official } : {}),
    };
    const n = 1_000;
    const timed = (fn: () => Promise<unknown>) => async () => {
      const started = performance.now();
      for (let i = 0; i < n; i++) await fn();
      return ((performance.now() - started) * 1000) / n;
    };
    for (const fn of Object.values(calls)) await timed(fn)(); // warm-up: connections, JIT
    const results = await paired(
      Object.fromEntries(Object.entries(calls).map(([name, fn]) => [name, timed(fn)])),
      7,
      "raw fetch + fixed header",
    );
    const rows = Object.entries(results).map(([name, r]) => [
      name,
      r.median.toFixed(1),
      `${((r.ratio - 1) * 100).toFixed(1)} %`,
    ]);
    if (typeof official === "string") rows.push(["purecloud-platform-client-v2", "—", official]);
    return markdownTable(
      ["authenticated GET over loopback", "µs/call (median of 7)", "overhead vs raw fetch"],
      rows,
    );
  } finally {
    await served.close();
  }
}
