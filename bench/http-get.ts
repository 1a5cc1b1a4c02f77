/**
 * 2. An authenticated GET against the mock served on 127.0.0.1 by another process: raw `fetch` with a
 * fixed header vs ky alone vs `createClient` vs the official purecloud-platform-client-v2 (its gateway
 * setting pointed at the mock).
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import ky from "ky";
import { startProcess } from "../scripts/lib/process.ts";
import { createAuth, createClient } from "../src/index.ts";
import { markdownTable, median } from "./lib.ts";

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

/** Starts the mock in its own process (bench/serve-mock.mjs), so this process measures only clients. */
export async function mockProcess(): Promise<{
  url: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<unknown>;
}> {
  const child = startProcess(process.execPath, [fileURLToPath(new URL("serve-mock.mjs", import.meta.url))]);
  const info = JSON.parse(await child.waitFor("\n")) as {
    url: string;
    clientId: string;
    clientSecret: string;
  };
  return { ...info, stop: () => child.stop() };
}

/** Times each call of each contender, interleaved call by call so drift hits all alike. */
async function interleaved(
  calls: Record<string, () => Promise<unknown>>,
  iterations: number,
  warmup: number,
) {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((name) => [name, []]));
  for (let i = 0; i < warmup + iterations; i++) {
    for (const [name, call] of Object.entries(calls)) {
      const started = performance.now();
      await call();
      if (i >= warmup) samples[name]?.push((performance.now() - started) * 1000);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

export async function benchHttpGet(iterations = 3_000): Promise<string> {
  const mock = await mockProcess();
  try {
    const auth = createAuth({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      loginUrl: mock.url,
      apiUrl: mock.url,
    });
    const api = createClient({ auth });
    const { accessToken } = await auth.getToken();
    const url = `${mock.url}/api/v2/organizations/me`;
    const headers = { authorization: `Bearer ${accessToken}` };
    const official = await officialSdk(Number(new URL(mock.url).port), mock.clientId, mock.clientSecret);
    const bare = ky.create({ prefixUrl: mock.url, headers, retry: 0, timeout: false });
    const results = await interleaved(
      {
        "raw fetch + fixed header": () => fetch(url, { headers }).then((r) => r.json()),
        "ky alone (fixed header, no retry)": () => bare.get("api/v2/organizations/me").json(),
        "genesys-cloud-auth createClient": () => api.get("api/v2/organizations/me").json(),
        ...(typeof official === "function" ? { "purecloud-platform-client-v2": official } : {}),
      },
      iterations,
      300,
    );
    const raw = results["raw fetch + fixed header"] as number;
    const rows = Object.entries(results).map(([name, us]) => [
      name,
      us.toFixed(1),
      `${((us / raw - 1) * 100).toFixed(1)} %`,
    ]);
    if (typeof official === "string") rows.push(["purecloud-platform-client-v2", "—", official]);
    return markdownTable(
      [
        `authenticated GET over loopback (${iterations} interleaved calls each)`,
        "µs/call (median)",
        "overhead vs raw fetch",
      ],
      rows,
    );
  } finally {
    await mock.stop();
  }
}
