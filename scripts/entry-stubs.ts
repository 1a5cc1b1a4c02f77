/**
 * `<entry>/package.json` stubs, so that "genesys-cloud-auth/<entry>" also resolves under TypeScript's
 * legacy node10 resolution (which ignores "exports"). Run by the build (`build.ts`).
 */
import { mkdirSync, writeFileSync } from "node:fs";

/** Writes one stub directory per entry name (not for the root entry, "index"). */
export function writeEntryStubs(names: readonly string[]): void {
  for (const name of names) {
    if (name === "index") continue;
    mkdirSync(name, { recursive: true });
    const stub = { main: `../dist/${name}.cjs`, types: `../dist/${name}.d.cts` };
    writeFileSync(`${name}/package.json`, `${JSON.stringify(stub, null, 2)}\n`);
  }
}
