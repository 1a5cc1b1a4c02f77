// The house check catches what it is for: an import loop, an import running back up a floor, and the
// mock reaching into the SDK.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { houseProblems } from "../../scripts/import-graph.ts";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gca-house-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe("the import-graph check", () => {
  it("finds loops, imports that run back up, and the mock reaching into the SDK", () => {
    const problems = houseProblems(
      tree({
        "errors.ts": 'import type { X } from "./token/engine.ts";',
        "token/engine.ts": 'import { a } from "./shared.ts";',
        "token/shared.ts": 'export { b } from "./engine.ts";',
        "store/redis.ts": 'const m = await import("../token/shared.ts");',
        "testing/mock.ts": 'import { x } from "../regions.ts";',
        "regions.ts": "export const r = 1;",
      }),
    );
    expect(problems).toContainEqual("errors.ts imports token/engine.ts, a floor above it");
    expect(problems).toContainEqual("store/redis.ts imports token/shared.ts, a floor above it");
    expect(problems).toContainEqual("the mock testing/mock.ts imports regions.ts");
    expect(
      problems.some((p) => p.startsWith("import loop: token/engine.ts → token/shared.ts → token/engine.ts")),
    ).toBe(true);
  });

  it("finds nothing wrong in this repository's src/", () => {
    expect(houseProblems()).toEqual([]);
  });
});
