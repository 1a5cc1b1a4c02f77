/**
 * Runtime detection, kept to what the SDK needs: is this a real browser (where a client secret is
 * exposed to the page's users)?
 *
 * @module
 */

/**
 * True in a browser page or browser worker; false in Node, Deno, Bun, Cloudflare Workers and other
 * server-side runtimes (which may define some browser globals but not a DOM document or
 * `importScripts`).
 */
export function isBrowser(): boolean {
  const g = globalThis as Record<string, unknown>;
  const versions = (g.process as { versions?: { node?: unknown } } | undefined)?.versions;
  if (g.Deno !== undefined || g.Bun !== undefined || typeof versions?.node === "string") return false;
  const nav = g.navigator as { userAgent?: unknown } | undefined;
  if (nav?.userAgent === "Cloudflare-Workers") return false;
  return (
    (typeof g.window === "object" && typeof g.document === "object") || typeof g.importScripts === "function"
  );
}
