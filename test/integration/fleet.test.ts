// Proof of the point: 16 separate processes sharing one store + lock, 20 API calls each.
import { describe, expect, it } from "vitest";
import { runFleet } from "../../bench/fleet/run.ts";

describe("a fleet of 16 processes × 20 API calls", () => {
  it.each([
    ["redis", 1],
    ["deno-kv-node", 1],
    ["deno", 1],
    ["memory", 16],
  ] as const)(
    "sharing %s → %i token POST(s)",
    async (backend, expected) => {
      const result = await runFleet(backend, 16, 20);
      console.log(
        `fleet ${backend}: ${result.tokenPosts} token POSTs for ${result.apiCalls} API calls in ${result.ms} ms`,
      );
      expect(result.apiCalls).toBe(320);
      expect(result.tokenPosts).toBe(expected);
    },
    60_000,
  );
});
