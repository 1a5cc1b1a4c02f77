/**
 * CommonJS declaration files with ky's types inlined. ky is ESM-only, so a `.d.cts` that imports "ky"
 * fails for `module: node16` CommonJS consumers (TS1479); the CJS build bundles ky's code, and this
 * bundles its types to match. Run by the build (`build.ts`).
 */
import { rollup } from "rollup";
import { dts } from "rollup-plugin-dts";

/** Writes `dist/<name>.d.cts` from `dist/<name>.d.ts` for each entry name. */
export async function writeCjsTypes(names: readonly string[]): Promise<void> {
  for (const name of names) {
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
}
