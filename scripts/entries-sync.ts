/**
 * Keeps the files that repeat the entry list in agreement with scripts/entries.ts:
 * `npm run entries:sync` rewrites them (then formats them with Biome); as a step of the test command
 * it fails with a diff for each file that disagrees.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { distName, ENTRIES, type Entry, PACKAGE, specifier } from "./entries.ts";
import { lineDiff } from "./lib/diff.ts";
import { bin, isMain, ROOT } from "./lib/paths.ts";
import { runProcess } from "./lib/process.ts";
import { report } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

type Json = Record<string, unknown>;

/** A part of a file that repeats the entry list: how to read it, what it should be, how to write it. */
interface Target {
  file: string;
  part: string;
  read(text: string): unknown;
  expected(text: string): unknown;
  write(text: string, value: unknown): string;
}

const stubs = ENTRIES.filter((e) => e.subpath !== ".").map(distName);
const source = (e: Entry) => `./${e.source}`;
const withoutPackage = (record: unknown) =>
  Object.fromEntries(Object.entries((record ?? {}) as Json).filter(([key]) => !key.startsWith(PACKAGE)));

/** A JSON file's field at `path`. */
function json(file: string, path: string[], expected: (doc: Json) => unknown): Target {
  const parent = (doc: Json) => {
    let object = doc;
    for (const key of path.slice(0, -1)) {
      object[key] ??= {};
      object = object[key] as Json;
    }
    return object;
  };
  const key = path.at(-1) ?? "";
  return {
    file,
    part: path.join("."),
    read: (text) => parent(JSON.parse(text))[key],
    expected: (text) => expected(JSON.parse(text)),
    write(text, value) {
      const doc = JSON.parse(text) as Json;
      parent(doc)[key] = value;
      return `${JSON.stringify(doc, null, 2)}\n`;
    },
  };
}

const BEGIN = "# node10 entry stubs, written by the build (scripts/entries.ts)";
const END = "# end of entry stubs";
/** The .gitignore block of the stub directories. */
const gitignore: Target = {
  file: ".gitignore",
  part: "entry stub directories",
  read(text) {
    const lines = text.split("\n");
    const begin = lines.indexOf(BEGIN);
    return begin < 0 ? [] : lines.slice(begin + 1, lines.indexOf(END, begin));
  },
  expected: () => stubs.map((name) => `/${name}/`),
  write(text, value) {
    const block = [BEGIN, ...(value as string[]), END];
    const lines = text.trimEnd().split("\n");
    const begin = lines.indexOf(BEGIN);
    const kept =
      begin < 0
        ? lines.filter((l) => !block.includes(l))
        : lines.filter((_, i) => i < begin || i > lines.indexOf(END, begin));
    return `${[...kept, ...block].join("\n")}\n`;
  },
};

const TARGETS: Target[] = [
  json("package.json", ["exports"], () => ({
    ...Object.fromEntries(
      ENTRIES.map((e) => {
        const n = distName(e);
        return [
          e.subpath,
          {
            import: { types: `./dist/${n}.d.ts`, default: `./dist/${n}.js` },
            require: { types: `./dist/${n}.d.cts`, default: `./dist/${n}.cjs` },
          },
        ];
      }),
    ),
    "./package.json": "./package.json",
  })),
  json("package.json", ["files"], () => ["dist", ...stubs, "README.md", "CHANGELOG.md", "LICENSE"]),
  json("deno.json", ["exports"], () => Object.fromEntries(ENTRIES.map((e) => [e.subpath, source(e)]))),
  json("deno.json", ["imports"], (doc) => ({
    ...withoutPackage(doc.imports),
    ...Object.fromEntries(ENTRIES.map((e) => [specifier(e), source(e)])),
  })),
  json("tsconfig.json", ["compilerOptions", "paths"], (doc) => ({
    ...withoutPackage((doc.compilerOptions as Json | undefined)?.paths),
    ...Object.fromEntries(ENTRIES.map((e) => [specifier(e), [source(e)]])),
  })),
  json("typedoc.json", ["entryPoints"], () => ENTRIES.map((e) => e.source)),
  gitignore,
];

/** Every target that disagrees with the list, with its diff (`-` is, `+` should be). */
export function disagreements(): Array<{ target: Target; diff: string }> {
  return TARGETS.flatMap((target) => {
    const text = readFileSync(`${ROOT}${target.file}`, "utf8");
    const is = JSON.stringify(target.read(text), null, 2) ?? "undefined";
    const should = JSON.stringify(target.expected(text), null, 2);
    return is === should ? [] : [{ target, diff: lineDiff(is, should) }];
  });
}

/** Rewrites every disagreeing target; answers the files changed. */
export async function sync(): Promise<string[]> {
  const changed = new Set<string>();
  for (const { target } of disagreements()) {
    const path = `${ROOT}${target.file}`;
    const text = readFileSync(path, "utf8");
    writeFileSync(path, target.write(text, target.expected(text)));
    changed.add(target.file);
  }
  const jsonFiles = [...changed].filter((f) => f.endsWith(".json"));
  if (jsonFiles.length > 0)
    await runProcess(bin("biome"), ["format", "--write", ...jsonFiles], { cwd: ROOT });
  return [...changed];
}

export const entriesStep: Step = {
  title:
    "entry points: package.json, deno.json, tsconfig.json, typedoc.json, .gitignore agree with scripts/entries.ts",
  label: "entries",
  async run() {
    const bad = disagreements();
    for (const { target, diff } of bad)
      console.log(`${target.file} ${target.part} disagrees (- is, + should be):\n${diff}\n`);
    if (bad.length > 0) console.log("run `npm run entries:sync` to rewrite them from scripts/entries.ts");
    report({ label: "entries", passed: TARGETS.length - bad.length, failed: bad.length });
  },
};

if (isMain(import.meta.url)) {
  const changed = await sync();
  console.log(
    changed.length
      ? `rewrote ${changed.join(", ")} from scripts/entries.ts`
      : "all files agree with scripts/entries.ts",
  );
}
