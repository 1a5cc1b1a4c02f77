/**
 * `tsc --strict` for the TypeScript blocks, through the compiler API, as the users of each runtime
 * would compile them: Node and Bun blocks as Node ESM (NodeNext resolution, @types/node), Worker and
 * browser blocks as bundled code (Bundler resolution, the DOM library, no Node types). Each block is
 * checked against the package installed in the doc-test project.
 */
import ts from "typescript";
import { ROOT } from "../lib/paths.ts";

const common: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  typeRoots: [`${ROOT}node_modules/@types`],
};

/** Compiler options for blocks of each kind. */
const OPTIONS = {
  node: {
    ...common,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
  },
  web: {
    ...common,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
  },
} satisfies Record<string, ts.CompilerOptions>;

/** The kind of compilation a runtime's blocks get. */
export const compileKind = (runtime: string): keyof typeof OPTIONS | undefined =>
  runtime === "node" || runtime === "bun"
    ? "node"
    : runtime === "worker" || runtime === "browser"
      ? "web"
      : undefined;

/** Type-checks `files` (absolute paths) as `kind`; answers each file's errors as `line: message`. */
export function typecheck(files: string[], kind: keyof typeof OPTIONS): Map<string, string[]> {
  const errors = new Map<string, string[]>(files.map((f) => [f, []]));
  if (files.length === 0) return errors;
  const program = ts.createProgram(files, OPTIONS[kind]);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const file = d.file?.fileName;
    const list = file ? errors.get(file) : undefined;
    if (!d.file || d.start === undefined || list === undefined) {
      for (const l of errors.values()) l.push(`TS${d.code}: ${message}`); // global: counts for every block
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    list.push(`${line + 1}: TS${d.code}: ${message}`);
  }
  return errors;
}
