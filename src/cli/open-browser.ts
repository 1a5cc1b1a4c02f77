/**
 * Opens a URL in the system browser: `open` on macOS, `cmd /c start ""` on Windows, `xdg-open`
 * elsewhere. The URL is one argument of a detached child, never part of a shell command line (on
 * Windows it is quoted for `cmd`: a serialised URL holds no `"`, and inside quotes `&` is text).
 *
 * @module
 */
import { spawn } from "node:child_process";

/** The command and arguments that open `url` on `platform`. */
function openerOf(url: string, platform: NodeJS.Platform): [string, string[]] {
  if (platform === "darwin") return ["open", [url]];
  if (platform === "win32") return ["cmd.exe", ["/d", "/c", "start", '""', `"${url}"`]];
  return ["xdg-open", [url]];
}

/** Starts the browser on `url`; resolves false when the opener could not be started (none installed). */
export function openBrowser(url: string): Promise<boolean> {
  const href = new URL(url).href; // serialised: no quote, no space
  const [command, args] = openerOf(href, process.platform);
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, {
        detached: true,
        stdio: "ignore",
        shell: false,
        windowsHide: true,
        windowsVerbatimArguments: process.platform === "win32",
      });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
