/** Worker modules in workerd (miniflare): bundled as Wrangler would, run, and disposed of. */
import type { Miniflare, MiniflareOptions } from "miniflare";
import { bundleEntry } from "./bundle.ts";

/** Bundles a Worker entry for workerd (ESM, the `workerd`/`worker` export conditions). */
export const bundleWorker = (entry: string): Promise<string> =>
  bundleEntry(entry, "browser", ["workerd", "worker"]);

/** Starts `script` in workerd with `options` (bindings, KV namespaces, Durable Objects), hands it to `use`, disposes of it. */
export async function withWorker<T>(
  script: string,
  options: Omit<MiniflareOptions, "script" | "scriptPath" | "modules">,
  use: (mf: Miniflare) => Promise<T>,
): Promise<T> {
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2026-04-01",
    ...options,
  } as MiniflareOptions);
  try {
    return await use(mf);
  } finally {
    await mf.dispose();
  }
}
