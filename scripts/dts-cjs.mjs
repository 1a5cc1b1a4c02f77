// Bundles the CommonJS declaration files with ky's types inlined. ky is ESM-only, so a `.d.cts` that
// imports "ky" fails for `module: node16` CommonJS consumers (TS1479); the CJS build bundles ky's
// code, and this bundles its types to match.
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

const entries = process.argv.slice(2);
for (const name of entries) {
  const bundle = await rollup({
    input: `dist/${name}.d.ts`,
    plugins: [dts({ respectExternal: true })],
    external: (id) => id === "valibot" || id.startsWith("node:"),
    onwarn: (warning, warn) => {
      if (warning.code !== "CIRCULAR_DEPENDENCY") warn(warning);
    },
  });
  await bundle.write({ file: `dist/${name}.d.cts`, format: "es" });
  await bundle.close();
}
