/**
 * Packaging checks as a step of the test command: `npm pack` (its `prepack` builds), then publint and
 * attw (ESM + CJS under node10/node16/bundler) on that tarball, and the tarball installed into a fresh
 * project where every entry point is require()d and import()ed and used (scripts/smoke), type-checked
 * by node16 CommonJS and ESM consumers, and the bin asked for its version. Also that a fresh clone can
 * start the test command: CI runs `npm test` in one without `npm install`.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { consumerProject, packTarball } from "./lib/pack.ts";
import { bin, ROOT } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { tally } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

/** This repository's package.json. */
const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as {
  version: string;
  scripts: Record<string, string | undefined>;
};

/**
 * Whether `npm test` can start in a clone that has no node_modules: npm runs its `pretest` first, with
 * no project binaries on PATH, and that must install the program the `test` script starts with (tsx).
 * Tried in a temporary folder holding only package.json, package-lock.json and the pretest's script.
 */
async function freshCloneStartsTests(): Promise<boolean> {
  const clone = mkdtempSync(join(tmpdir(), "gca-fresh-clone-"));
  try {
    for (const file of ["package.json", "package-lock.json", "scripts/deps.sh"]) {
      cpSync(`${ROOT}${file}`, join(clone, file));
    }
    const path = (process.env.PATH ?? "")
      .split(delimiter)
      .filter((dir) => !dir.includes("node_modules"))
      .join(delimiter);
    const { code } = await runProcess("npm", ["run", "pretest"], {
      cwd: clone,
      env: { ...process.env, PATH: path },
    });
    const runner = manifest.scripts.test?.split(" ")[0] ?? "";
    return code === 0 && existsSync(join(clone, "node_modules", ".bin", runner));
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

export const packageStep: Step = {
  title: "package (publint, attw, packed tarball)",
  label: "package",
  async run() {
    const checks = tally("package");
    const check = async (name: string, command: string, args: string[], cwd = ROOT) => {
      const { code } = await runProcess(command, args, { cwd, echo: true });
      console.log(`${checks.add(code === 0) ? "ok  " : "FAIL"} ${name}`);
    };
    const tarball = await packTarball();
    await check("publint", bin("publint"), ["run", tarball, "--strict"]);
    await check("attw", bin("attw"), [tarball, "--format", "table-flipped", "--no-color"]);
    const project = await consumerProject(tarball, `${ROOT}scripts/smoke`);
    try {
      console.log(`installed ${tarball} into ${project} (${readdirSync(project).length} files)`);
      await check("require() of every entry point", process.execPath, ["smoke.cjs"], project);
      await check("import of every entry point", process.execPath, ["smoke.mjs"], project);
      await check("node16 CJS + ESM consumers type-check", bin("tsc"), ["-p", "tsconfig.json"], project);
      const cli = await runProcess(`${project}/node_modules/.bin/genesys-cloud-auth`, ["--version"]);
      const { version } = manifest;
      console.log(
        `${checks.add(cli.stdout === `${version}\n`) ? "ok  " : "FAIL"} the bin prints ${version}: ${cli.stdout.trim()}`,
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
    console.log(
      `${checks.add(await freshCloneStartsTests()) ? "ok  " : "FAIL"} a fresh clone starts \`npm test\` (its pretest installs the runner)`,
    );
    checks.done();
  },
};
