/** Bundling an entry file to one ESM script in memory (esbuild), as an application's bundler would. */
import { build } from "esbuild";

/** Bundles `entry` for `platform`; `conditions` adds export conditions (e.g. "workerd", "worker"). */
export async function bundleEntry(
  entry: string,
  platform: "browser" | "node" | "neutral",
  conditions: string[] = [],
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform,
    conditions,
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0]?.text ?? "";
}
