// The conformance suite in a browser page, plus the guard: createAuth must refuse without
// dangerouslyAllowBrowser. The page's `?label=` names the runtime in the summary line (one line, the
// guard included). Results land on `window.__conformance`.
import { createAuth, GenesysAuthError } from "genesys-cloud-auth";
import { type Case, runCases } from "./cases.ts";

const guard: Case = {
  name: "the browser guard refuses without dangerouslyAllowBrowser",
  async run() {
    let code = "createAuth did not refuse";
    try {
      createAuth({ clientId: "id", clientSecret: "secret" });
    } catch (error) {
      code = error instanceof GenesysAuthError ? error.code : String(error);
    }
    if (code !== "browser_not_allowed") throw new Error(`expected browser_not_allowed, got ${code}`);
  },
};

const lines: string[] = [];
const label = new URLSearchParams(location.search).get("label") ?? "chromium";
const result = await runCases(label, (line) => lines.push(line), [guard]);
(globalThis as { __conformance?: unknown }).__conformance = { ...result, lines };
