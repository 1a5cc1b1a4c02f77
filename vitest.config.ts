import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
    exclude: ["test/integration/deno/**"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "threads",
    globalSetup: ["test/support/global-setup.ts"],
  },
});
