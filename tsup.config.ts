import { defineConfig, type Options } from "tsup";

/** Public entry points (package.json "exports" mirrors this list). */
const entry = {
  index: "src/index.ts",
  testing: "src/testing/index.ts",
};

const shared: Options = {
  entry,
  target: "es2022",
  platform: "neutral",
  sourcemap: true,
  treeshake: true,
  splitting: false,
  external: ["node:http"],
};

export default defineConfig([
  // ESM: ky and valibot stay dependencies, deduplicated with the app's own copies.
  { ...shared, format: ["esm"], dts: true, clean: true },
  // CJS: ky is ESM-only, so it is bundled (types included, so `.d.cts` never imports ESM-only "ky").
  { ...shared, format: ["cjs"], noExternal: ["ky"], dts: { resolve: ["ky"] } },
]);
