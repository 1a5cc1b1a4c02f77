// Load: 10,000 API calls at concurrency 200 through one client over real loopback HTTP, while the
// mock answers 429 to a fifth of the calls and the token is revoked twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, createClient } from "../../src/index.ts";
import { createMockGenesys, type ServedMock, serveMockGenesys } from "../../src/testing/index.ts";

const mock = createMockGenesys();
let served: ServedMock;
beforeAll(async () => {
  served = await serveMockGenesys(mock);
});
afterAll(() => served.close());

describe("load", () => {
  it("10,000 calls, 20 % answered 429, two revocations → all succeed, 3 token POSTs, always a bearer", async () => {
    let seed = 42; // deterministic chaos
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    mock.failRandomly("api", { status: 429, retryAfter: 0 }, 0.2, random);
    const auth = createAuth({
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
      loginUrl: served.url,
      apiUrl: served.url,
    });
    const api = createClient({ auth, retry: { limit: 10 } });
    const total = 10_000;
    let next = 0;
    let succeeded = 0;
    const revokeAt = new Set([3_333, 6_666]);
    // Requests by the revocation they started after. A request may meet one revocation (one replay
    // fixes it); before revoking again, the requests that met the previous one must have finished —
    // otherwise their replay could meet the next revocation, and a second 401 surfaces by design.
    const live: Array<Set<Promise<unknown>>> = [new Set(), new Set(), new Set()];
    let epoch = 0;
    const worker = async () => {
      while (next < total) {
        const n = next++;
        if (revokeAt.has(n)) {
          await Promise.all(live[epoch - 1] ?? []);
          mock.revokeAllTokens();
          epoch++;
        }
        const call = api.get("api/v2/organizations/me").json();
        const mine = live[epoch] as Set<Promise<unknown>>;
        mine.add(call);
        await call;
        mine.delete(call);
        succeeded++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 200 }, worker));
    console.log(
      `load: ${succeeded}/${total} ok in ${(performance.now() - started).toFixed(0)} ms; ${mock.stats.rateLimited} answered 429; ${mock.stats.apiUnauthorized} answered 401; ${mock.stats.tokenRequests} token POSTs`,
    );
    expect(succeeded).toBe(total);
    expect(mock.stats.tokenRequests).toBe(3);
    expect(mock.stats.apiRequestsWithoutBearer).toBe(0);
    expect(mock.stats.rateLimited).toBeGreaterThan(1_500);
  }, 120_000);
});
