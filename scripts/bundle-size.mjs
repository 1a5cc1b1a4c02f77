// Bundles a snippet the way an application would (esbuild: bundle, minify, ESM, browser platform,
// es2022) and measures it minified and gzipped (level 9). Shared by the size budget and the benchmark.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** @param {string} code @param {{ external?: string[], platform?: "browser" | "node" | "neutral" }} [options] */
export async function bundleSize(code, options = {}) {
  const result = await build({
    stdin: { contents: code, resolveDir: process.cwd(), loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: options.platform ?? "browser",
    target: "es2022",
    external: options.external ?? [],
    write: false,
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
  });
  const bytes = result.outputFiles[0].contents;
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const modules = Object.entries(inputs)
    .map(([file, { bytesInOutput }]) => ({ file, min: bytesInOutput }))
    .sort((a, b) => b.min - a.min);
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, modules };
}
