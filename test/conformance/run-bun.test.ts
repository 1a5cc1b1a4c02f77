// The conformance suite in Bun (`npx bun test test/conformance/run-bun.test.ts`), against the built package.
import { test } from "bun:test";
import { cases } from "./cases.ts";

for (const c of cases) test(c.name, () => c.run());
