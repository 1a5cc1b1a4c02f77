// The test command's readers: tool output parsers, the entry-list diff, and the doc-test block reader.
import { describe, expect, it } from "vitest";
import { extractBlocks } from "../../scripts/doc-tests/blocks.ts";
import { lineDiff } from "../../scripts/lib/diff.ts";
import { bunTestCounts, conformanceCounts, denoTestCounts, vitestCounts } from "../../scripts/lib/parse.ts";

describe("tool output parsers", () => {
  it("read each tool's summary, and nothing from output without one", () => {
    expect(vitestCounts('{"numPassedTests":258,"numFailedTests":1}')).toEqual({ passed: 258, failed: 1 });
    expect(vitestCounts("{")).toBeUndefined();
    expect(denoTestCounts("running 3 tests\nok | 20 passed | 0 failed (525ms)\n")).toEqual({
      passed: 20,
      failed: 0,
    });
    expect(denoTestCounts("FAILED | 19 passed (4 steps) | 1 failed (1s)")).toEqual({ passed: 19, failed: 1 });
    expect(bunTestCounts("(pass) a\n\n 17 pass\n 1 fail\n 40 expect() calls\n")).toEqual({
      passed: 17,
      failed: 1,
    });
    expect(bunTestCounts("error: crashed")).toBeUndefined();
    expect(conformanceCounts("ok   x\nconformance chromium-156.0: 18 passed, 0 failed\n")).toEqual({
      runtime: "chromium-156.0",
      passed: 18,
      failed: 0,
    });
    expect(conformanceCounts("conformance: fetches a bearer token ... ok")).toBeUndefined();
  });
});

describe("lineDiff", () => {
  it("marks lines only in the actual text with -, only in the expected text with +", () => {
    expect(lineDiff("a\nb\nc", "a\nc\nd")).toBe("  a\n- b\n  c\n+ d");
    expect(lineDiff("same", "same")).toBe("  same");
  });
});

describe("doc-test blocks", () => {
  it("reads line numbers, runtimes and markers from info strings", () => {
    const md =
      "# t\n```ts node bun\nx\n```\n```sh no-run\ny\n```\n```sh service\nz\n```\n```ts\n```\n```ts node edge\n```\n```json\n{}\n```\n";
    const blocks = extractBlocks(md).map(({ line, runtimes, noRun, service, problem, code }) => ({
      line,
      runtimes,
      noRun,
      service,
      problem: problem?.split(" ")[0],
      code,
    }));
    expect(blocks).toEqual([
      { line: 2, runtimes: ["node", "bun"], noRun: false, service: false, problem: undefined, code: "x\n" },
      { line: 5, runtimes: [], noRun: true, service: false, problem: undefined, code: "y\n" },
      { line: 8, runtimes: ["sh"], noRun: false, service: true, problem: undefined, code: "z\n" },
      { line: 11, runtimes: [], noRun: false, service: false, problem: "name", code: "\n" },
      { line: 13, runtimes: ["node"], noRun: false, service: false, problem: "unknown", code: "\n" },
      { line: 15, runtimes: [], noRun: false, service: false, problem: '"json"', code: "{}\n" },
    ]);
  });
});
