/**
 * The packed tarball (`npm pack`, so `prepack` builds it), made once per process and shared by the
 * package checks and the doc tests, and fresh projects that install it as a user would.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./paths.ts";
import { runProcess } from "./process.ts";

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

/**
 * A new temporary project (the files of directory `files` copied in, `manifest` added to its
 * package.json) where `tarball` is installed as a user would; answers its directory.
 */
export async function consumerProject(
  tarball: string,
  files?: string,
  manifest: Record<string, unknown> = {},
): Promise<string> {
  const project = mkdtempSync(join(tmpdir(), "gca-consumer-"));
  if (files) cpSync(files, project, { recursive: true });
  const pkg = { name: "consumer", private: true, ...manifest };
  writeFileSync(join(project, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  const install = await runProcess(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball],
    { cwd: project },
  );
  if (install.code !== 0) throw new Error(`npm install ${tarball} failed: ${install.stderr.slice(-1500)}`);
  return project;
}
