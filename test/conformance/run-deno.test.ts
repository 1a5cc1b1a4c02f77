/// <reference lib="deno.ns" />
// The conformance suite in real Deno; "genesys-cloud-auth" resolves through deno.json, as for JSR users.
import { cases } from "./cases.ts";

for (const c of cases) Deno.test(`conformance: ${c.name}`, () => c.run());
