import { defineConfig, type Options } from "tsup";
import { distName, ENTRIES } from "./scripts/entries.ts";

/** Public entry points: scripts/entries.ts (`npm run entries:sync` writes them into package.json and the rest). */
const entry = Object.fromEntries(ENTRIES.map((e) => [distName(e), e.source]));

const shared: Options = {
  entry,
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  treeshake: true,
  external: ["node:http"],
};

export default defineConfig([
  // ESM: ky and valibot stay dependencies, deduplicated with the app's own copies.
  // Shared code sits in chunks, so classes such as GenesysAuthError are one class across entry points.
  { ...shared, format: ["esm"], dts: true, clean: true, splitting: true },
  // CJS: ky is ESM-only, so it is bundled; scripts/dts-cjs.ts then writes `.d.cts` files with
  // ky's types inlined (a `.d.cts` importing ESM-only "ky" fails for node16 CommonJS consumers).
  { ...shared, format: ["cjs"], noExternal: ["ky"], splitting: false },
  // The bin: ESM, one file, Node built-ins external.
  {
    ...shared,
    entry: { cli: "src/cli/bin.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    removeNodeProtocol: false,
    splitting: false,
    sourcemap: false,
  },
]);
