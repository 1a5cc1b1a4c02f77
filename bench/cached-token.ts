/**
 * 1. The cached `getToken()`: ours vs @badgateway/oauth2-client's cached path vs the tutorial's logic
 * ported as-is (a class that checks its expiry with a 5-minute margin on every call).
 */
import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";
import { createAuth } from "../src/index.ts";
import { createMockGenesys } from "../src/testing/index.ts";
import { markdownTable, nsPerCall, paired } from "./lib.ts";

/** The Python tutorial's token logic, ported line by line. */
class TutorialAuth {
  #token: string | null = null;
  #expiresAt = 0;
  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    readonly loginUrl: string,
    readonly fetchFn: typeof fetch,
  ) {}
  async getToken(): Promise<string> {
    if (this.#token && Date.now() < this.#expiresAt - 300_000) return this.#token;
    const response = await this.fetchFn(`${this.loginUrl}/oauth/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${btoa(`${this.clientId}:${this.clientSecret}`)}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    const data = (await response.json()) as { access_token: string; expires_in: number };
    this.#token = data.access_token;
    this.#expiresAt = Date.now() + data.expires_in * 1000;
    return this.#token;
  }
}

export async function benchCachedToken(): Promise<string> {
  const mock = createMockGenesys();
  const url = "http://127.0.0.1:1";
  const ours = createAuth({
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    loginUrl: url,
    fetch: mock.fetch,
  });
  const tutorial = new TutorialAuth(mock.clientId, mock.clientSecret, url, mock.fetch);
  const client = new OAuth2Client({
    server: url,
    tokenEndpoint: "/oauth/token",
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    fetch: mock.fetch,
  });
  const badgateway = new OAuth2Fetch({
    client,
    getNewToken: () => client.clientCredentials(),
    scheduleRefresh: false,
  });
  await Promise.all([ours.getToken(), tutorial.getToken(), badgateway.getAccessToken()]);
  const n = 200_000;
  for (let i = 0; i < 3; i++) {
    await nsPerCall(() => ours.getToken(), n);
    await nsPerCall(() => tutorial.getToken(), n);
    await nsPerCall(() => badgateway.getAccessToken(), n);
  }
  const results = await paired(
    {
      "tutorial-style class": () => nsPerCall(() => tutorial.getToken(), n),
      "genesys-cloud-auth": () => nsPerCall(() => ours.getToken(), n),
      "@badgateway/oauth2-client": () => nsPerCall(() => badgateway.getAccessToken(), n),
    },
    9,
    "tutorial-style class",
  );
  return markdownTable(
    ["cached getToken()", "ns/call (median of 9)", "ratio to the tutorial class"],
    Object.entries(results).map(([name, r]) => [name, r.median.toFixed(1), r.ratio.toFixed(2)]),
  );
}
