// The conformance suite in a browser page, plus the guard: createAuth must refuse without
// dangerouslyAllowBrowser. Results land on `window.__conformance`.
import { createAuth, GenesysAuthError } from "genesys-cloud-auth";
import { runCases } from "./cases.ts";

const lines: string[] = [];
let guard = "createAuth did not refuse";
try {
  createAuth({ clientId: "id", clientSecret: "secret" });
} catch (error) {
  guard = error instanceof GenesysAuthError ? error.code : String(error);
}
const guardOk = guard === "browser_not_allowed";
lines.push(
  `${guardOk ? "ok  " : "FAIL"} the browser guard refuses without dangerouslyAllowBrowser (${guard})`,
);
const { passed, failed } = await runCases("chromium", (line) => lines.push(line));
(globalThis as { __conformance?: unknown }).__conformance = {
  passed: passed + (guardOk ? 1 : 0),
  failed: failed + (guardOk ? 0 : 1),
  lines,
};
