/** Where things are: the repository's root, installed bins, and whether a module is the script being run. */
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository's root directory (with a trailing slash). */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The path of an installed package's bin, e.g. `bin("tsc")`. */
export const bin = (name: string): string => `${ROOT}node_modules/.bin/${name}`;

/** Whether the module at `url` is the script node was started with. */
export const isMain = (url: string): boolean =>
  process.argv[1] !== undefined && url === pathToFileURL(process.argv[1]).href;
