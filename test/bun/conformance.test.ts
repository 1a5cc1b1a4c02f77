// The conformance suite in Bun (`npx bun test test/bun`), against the built package.
import { test } from "bun:test";
import { cases } from "../conformance/cases.ts";

for (const c of cases) test(c.name, () => c.run());
