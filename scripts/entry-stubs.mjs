// Writes <entry>/package.json stubs so that "genesys-cloud-auth/<entry>" also resolves under
// TypeScript's legacy node10 resolution (which ignores "exports"). Run by the build.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
for (const subpath of Object.keys(pkg.exports)) {
  const name = subpath.slice(2);
  if (name === "" || name.endsWith(".json")) continue;
  const target = pkg.exports[subpath].require;
  mkdirSync(name, { recursive: true });
  const stub = { main: `../${target.default.slice(2)}`, types: `../${target.types.slice(2)}` };
  writeFileSync(`${name}/package.json`, `${JSON.stringify(stub, null, 2)}\n`);
}
