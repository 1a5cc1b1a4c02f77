/** 3. Cold start: 10,000 concurrent authenticated requests through one client → token POSTs and time. */
import { createAuth, createClient } from "../src/index.ts";
import { createMockGenesys } from "../src/testing/index.ts";
import { markdownTable } from "./lib.ts";

export async function benchColdStart(requests = 10_000): Promise<string> {
  const mock = createMockGenesys();
  mock.failNext("token", { delayMs: 50 }); // a realistic token round trip, during which everyone piles up
  const auth = createAuth({ clientId: mock.clientId, clientSecret: mock.clientSecret, fetch: mock.fetch });
  const api = createClient({ auth, fetch: mock.fetch });
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: requests }, () => api.get("api/v2/organizations/me").json()),
  );
  const ms = performance.now() - started;
  const ok = results.filter((r) => r.status === "fulfilled").length;
  return markdownTable(
    ["cold start (in-process mock)", "value"],
    [
      ["concurrent authenticated requests", requests],
      ["succeeded", ok],
      ["token POSTs", mock.stats.tokenRequests],
      ["API requests without a bearer", mock.stats.apiRequestsWithoutBearer],
      ["total time", `${ms.toFixed(0)} ms`],
    ],
  );
}
