import { defineConfig } from "vitest/config";

// The browser sign-in tests: real Chromium (Debian's /usr/bin/chromium through playwright-core),
// run as their own step of `npm test` (browserSignInStep in scripts/vitest.ts).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
  },
});
