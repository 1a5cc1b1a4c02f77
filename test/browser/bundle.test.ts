// `genesys-cloud-auth/browser` as an app's bundler sees it (esbuild, platform "browser"): no node-only
// code, no confidential grant (nothing that needs a secret, so nothing behind the browser_not_allowed
// guard), and in Chromium it signs in without tripping that guard (the other tests of this folder
// run it there; here: the guard's code is not even in the bundle).
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

async function bundle(entry: string): Promise<{ text: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { text: result.outputFiles[0]?.text ?? "", metafile: result.metafile };
}

describe("the browser entry's bundle", () => {
  for (const entry of ["src/browser.ts", "test/browser/app.ts"]) {
    it(`${entry}: no node: import, no node-only module, no confidential grant`, async () => {
      const { text, metafile } = await bundle(entry);
      const inputs = Object.keys(metafile.inputs);
      const imports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
      expect(
        imports.filter((path) => path.startsWith("node:") || /^(fs|http|crypto|path|os)$/.test(path)),
      ).toEqual([]);
      expect(text).not.toMatch(/\bfrom\s*["']node:|import\(\s*["']node:|require\(\s*["']node:/);
      expect(text).not.toContain("getBuiltinModule");
      // What signs in with a secret (and so refuses browsers) stays out: client credentials, SAML2
      // bearer, the confidential code flow, the shared store layer, the mock, the CLI.
      expect(
        inputs.filter((path) =>
          /src\/(grants\/(client-credentials|saml2-bearer|confidential|refresh-token)|signin\/(code-flow|sessions)|token\/shared|testing|cli|store)\b/.test(
            path,
          ),
        ),
      ).toEqual([]);
      expect(inputs).toEqual(expect.arrayContaining(["src/signin/browser.ts", "src/signin/popup.ts"]));
    });
  }
});
