/**
 * The public entry points: the one list. `tsup.config.ts` builds from it, and `npm run entries:sync`
 * (scripts/entries-sync.ts) writes it into package.json (`exports`, `files`), deno.json (`exports`,
 * `imports`), tsconfig.json (`paths`), typedoc.json (`entryPoints`) and .gitignore (the build's node10
 * stub directories); the test command fails with a diff when those disagree with it. Moving a source
 * or adding an entry point is one line here, then `npm run entries:sync`.
 */

/** One entry point: the import subpath, and the source file it is built from. */
export interface Entry {
  subpath: "." | `./${string}`;
  source: string;
}

export const ENTRIES: readonly Entry[] = [
  { subpath: ".", source: "src/index.ts" },
  { subpath: "./testing", source: "src/testing/index.ts" },
  { subpath: "./deno-kv", source: "src/store/deno-kv.ts" },
  { subpath: "./cloudflare-kv", source: "src/store/cloudflare-kv.ts" },
  { subpath: "./redis", source: "src/store/redis.ts" },
  { subpath: "./durable-object", source: "src/durable-object.ts" },
  { subpath: "./browser", source: "src/browser.ts" },
];

/** The package's name. */
export const PACKAGE = "genesys-cloud-auth";

/** The entry's file name in dist/ ("index" for the root). */
export const distName = (entry: Entry): string => (entry.subpath === "." ? "index" : entry.subpath.slice(2));

/** How users import the entry ("genesys-cloud-auth/redis"). */
export const specifier = (entry: Entry): string =>
  entry.subpath === "." ? PACKAGE : `${PACKAGE}/${entry.subpath.slice(2)}`;
