/**
 * The packed tarball (`npm pack`, so `prepack` builds it), made once per process and shared by the
 * package checks and the doc tests.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { runProcess } from "./process.ts";
import { ROOT } from "./steps.ts";

let packed: Promise<string> | undefined;

/** The absolute path of the packed tarball; packs on the first call. */
export function packTarball(): Promise<string> {
  packed ??= (async () => {
    const dir = `${ROOT}.tmp/pack`;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const { code, stderr } = await runProcess(
      "npm",
      ["pack", "--pack-destination", dir, "--loglevel=error"],
      {
        cwd: ROOT,
        echo: true,
      },
    );
    const file = readdirSync(dir).find((name) => name.endsWith(".tgz"));
    if (code !== 0 || file === undefined)
      throw new Error(`npm pack failed (exit ${code}): ${stderr.slice(-1500)}`);
    return `${dir}/${file}`;
  })();
  return packed;
}
