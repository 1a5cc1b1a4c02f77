/** Minified and gzipped size of `code` bundled as an application would. */
export function bundleSize(
  code: string,
  options?: { external?: string[]; platform?: "browser" | "node" | "neutral" },
): Promise<{ min: number; gzip: number; modules: Array<{ file: string; min: number }> }>;
