/**
 * The house's rules, checked on the import graph of `src/` (static, type-only and dynamic imports):
 * no import loop, and no import that runs back up a floor — the ground files, then `store/` (adapters
 * only), `token/` (the engine), `grants/` and `client/`, then `signin/` and `cloudflare/`, then the
 * entry points, and the CLI on top. `testing/` (the mock) stands apart: it uses only the encoding and
 * wait helpers. `npx tsx scripts/import-graph.ts` prints the graph's problems; a step of `npm test`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { ROOT } from "./lib/paths.ts";
import { reportCheck } from "./lib/results.ts";
import type { Step } from "./lib/steps.ts";

/** The floor of a file: lower floors never import higher ones. */
function floorOf(file: string): number {
  const [top] = file.split("/");
  if (["index.ts", "browser.ts", "durable-object.ts", "exports.ts"].includes(file)) return 6;
  if (!file.includes("/")) return 0;
  const floors: Record<string, number> = {
    store: 1,
    token: 2,
    grants: 3,
    client: 3,
    signin: 4,
    cloudflare: 4,
    testing: 1,
    cli: 7,
  };
  return floors[top as string] ?? 0;
}

/** Every `.ts` file under `dir`, relative to it. */
function sources(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, base);
    return entry.name.endsWith(".ts") ? [relative(base, path)] : [];
  });
}

/** The relative imports of `file` (static, `import type`, `export … from`, and `import("…")`). */
function importsOf(src: string, file: string): string[] {
  const text = readFileSync(join(src, file), "utf8");
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map(
    (m) => m[1] as string,
  );
  return found.filter((spec) => spec.endsWith(".ts")).map((spec) => normalize(join(dirname(file), spec)));
}

/** The problems of the graph of `src`: loops and imports that run back up. */
export function houseProblems(src = join(ROOT, "src")): string[] {
  const files = sources(src);
  const graph = new Map(files.map((file) => [file, importsOf(src, file)]));
  const problems: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (!graph.has(target)) problems.push(`${file} imports ${target}, which does not exist`);
      else if (file.startsWith("testing/") && !target.startsWith("testing/")) {
        if (target !== "encoding.ts" && target !== "wait.ts")
          problems.push(`the mock ${file} imports ${target}`);
      } else if (floorOf(target) > floorOf(file))
        problems.push(`${file} imports ${target}, a floor above it`);
    }
  }
  // Loops: a depth-first search that meets a file still on its path.
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === "open")
        problems.push(`import loop: ${[...path.slice(path.indexOf(target)), target].join(" → ")}`);
      else if (!state.has(target) && graph.has(target)) visit(target);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return problems;
}

export const importGraphStep: Step = {
  title: "import graph (no loop, nothing runs back up a floor)",
  label: "import graph",
  async run() {
    const problems = houseProblems();
    for (const problem of problems) console.log(`  ${problem}`);
    if (problems.length === 0) console.log("  no import loop; no import runs back up a floor");
    reportCheck("import graph", problems.length === 0);
  },
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = houseProblems();
  for (const problem of problems) console.log(problem);
  process.exit(problems.length === 0 ? 0 : 1);
}
