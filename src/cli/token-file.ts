/**
 * Where `login` keeps a signed-in user's token: one JSON file per OAuth client and region under the
 * user's config directory (`$XDG_CONFIG_HOME`, else `%APPDATA%` on Windows, `~/Library/Application
 * Support` on macOS, `~/.config` elsewhere), mode 0600 in a 0700 directory, written atomically (a
 * temporary file renamed over the old one). A file read back is checked — a regular file, private,
 * small, of this format, for this client, region and hosts — and anything else is `login_required`
 * with a hint, never a crash.
 *
 * @module
 */
import { chmod, lstat, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import * as v from "valibot";
import { GenesysAuthError } from "../errors.ts";
import { randomToken } from "../grants/pkce.ts";
import { parseEntry, serializeEntry, type TokenEntry } from "../token/entry.ts";
import type { Settings } from "../token/options.ts";
import { parseOwn, shape, valid } from "../validation.ts";

/** A token file is a few hundred bytes; anything much larger was not written by `login`. */
const MAX_BYTES = 64 * 1024;

/** What a token file is for: the client and where it signed in. */
export interface SignInTarget {
  readonly clientId: string;
  readonly region: string;
  readonly loginUrl: string;
  readonly apiUrl: string;
}

/** The target of a sign-in with `clientId` under `settings`. */
export function targetOf(clientId: string, settings: Settings): SignInTarget {
  return { clientId, region: settings.region.id, loginUrl: settings.loginUrl, apiUrl: settings.apiUrl };
}

/**
 * The directory the CLI keeps its files in. `$XDG_CONFIG_HOME` (when absolute) wins on every
 * platform; else `%APPDATA%` on Windows, `~/Library/Application Support` on macOS, `~/.config`.
 */
export function configDirectory(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_CONFIG_HOME;
  const home = env.HOME || homedir();
  const base =
    xdg && isAbsolute(xdg)
      ? xdg
      : process.platform === "win32"
        ? env.APPDATA || join(home, "AppData", "Roaming")
        : process.platform === "darwin"
          ? join(home, "Library", "Application Support")
          : join(home, ".config");
  return join(base, "genesys-cloud-auth");
}

/**
 * The token file of `target`: `user-<region>-<client id>.json`, the client id spelled with
 * `[A-Za-z0-9-]` only (anything else as `_` and its hex code), so any id is one safe file name.
 */
export function tokenFilePath(env: Record<string, string | undefined>, target: SignInTarget): string {
  const id = target.clientId.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.codePointAt(0)?.toString(16)}`);
  const region = target.region.replace(/[^A-Za-z0-9.-]/g, "_");
  return join(configDirectory(env), `user-${region}-${id}.json`);
}

const url = valid<string>((x) => typeof x === "string" && x.length < 2_000, "");
const fileSchema = v.looseObject(
  shape({
    format: valid<"genesys-cloud-auth user token">((x) => x === "genesys-cloud-auth user token", ""),
    clientId: valid<string>((x) => typeof x === "string" && x !== "", ""),
    region: valid<string>((x) => typeof x === "string" && x !== "", ""),
    loginUrl: url,
    apiUrl: url,
    entry: valid<object>((x) => typeof x === "object" && x !== null && !Array.isArray(x), ""),
  }),
);

/** The error for a file that cannot be used; `why` says what is wrong with it. */
function unusable(path: string, why: string, hint?: string): GenesysAuthError {
  return new GenesysAuthError("login_required", `The stored sign-in ${path} ${why}.`, {
    hint: hint ?? "Run `genesys-cloud-auth login` to sign in again (it replaces the file).",
  });
}

/**
 * Reads the sign-in stored for `target`: `undefined` when there is none.
 *
 * @throws {GenesysAuthError} `login_required` for a file that is not private, not of this format,
 *   tampered with, or written for another client, region or host.
 */
export async function readSignIn(path: string, target: SignInTarget): Promise<TokenEntry | undefined> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unusable(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!info.isFile()) throw unusable(path, "is not a regular file (a link or a directory)");
  if (process.platform !== "win32" && (info.mode & 0o077) !== 0) {
    throw unusable(
      path,
      `can be read or written by other users (mode ${(info.mode & 0o777).toString(8)})`,
      `Delete it and run \`genesys-cloud-auth login\` again: a token others could read may be in other hands, and one they could write may not be yours. (\`chmod 600\` only if you are sure.)`,
    );
  }
  if (info.size > MAX_BYTES) throw unusable(path, "is too large to be a token file");
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw unusable(path, "is not JSON: it was damaged or written by something else");
  }
  const file = parseOwn(fileSchema, json);
  const entry = file.ok ? parseEntry(JSON.stringify(file.value.entry)) : undefined;
  if (!file.ok || entry === undefined) {
    throw unusable(path, "is not a valid token file: it was damaged, edited or written by something else");
  }
  const stored = file.value;
  if (
    stored.clientId !== target.clientId ||
    stored.region !== target.region ||
    stored.loginUrl !== target.loginUrl ||
    stored.apiUrl !== target.apiUrl
  ) {
    throw unusable(
      path,
      `belongs to another sign-in (client, region or host differ from this one's: ${target.apiUrl})`,
    );
  }
  return entry;
}

/** Writes the sign-in of `target` to `path`: mode 0600, directory 0700, atomically (temporary file, then rename). */
export async function writeSignIn(path: string, target: SignInTarget, entry: TokenEntry): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700); // it may have existed with a looser mode
  const text = JSON.stringify(
    {
      format: "genesys-cloud-auth user token",
      ...target,
      entry: JSON.parse(serializeEntry(entry)),
    },
    null,
    2,
  );
  const temporary = `${path}.${randomToken(6)}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${text}\n`, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Deletes the file at `path`; false when there was none. */
export async function removeSignIn(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
