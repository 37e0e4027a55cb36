import path from "node:path";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import layers from "../../eslint/layers.js";

const root = path.resolve(__dirname, "../..");

// Lints in-memory sources as if they lived at the given paths, with the rule eslint.config.mjs registers.
// (ESLint's config loader needs dynamic import, which jest's CommonJS sandbox lacks, so the Linter is used.)
async function lintAs(file: string, source: string): Promise<string[]> {
  const linter = new Linter({ cwd: root });
  const messages = linter.verify(
    source,
    [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser }, plugins: { layers }, rules: { "layers/allowed-imports": "error" } }],
    { filename: path.join(root, file) },
  );
  return messages.map((m) => m.message);
}

describe("layer import arrows (DESIGN.md §2)", () => {
  it.each([
    ["src/mtd/x.ts", 'import { a } from "../workbook/port";\nexport const b = a;\n', "mtd", "workbook"],
    ["src/relay/x.ts", 'import { a } from "../sandbox/app";\nexport const b = a;\n', "relay", "sandbox"],
    ["src/sandbox/x.ts", 'export * from "../relay/app";\n', "sandbox", "relay"],
    ["src/workbook/x.ts", 'import { a } from "../addin/thing";\nexport const b = a;\n', "workbook", "addin"],
    ["src/addin/x.ts", 'const r = require("../relay/app");\nexport const b = r;\n', "addin", "relay"],
  ])("refuses %s importing across a forbidden arrow", async (file, source, from, to) => {
    expect(await lintAs(file, source)).toEqual([expect.stringContaining(`Layer '${from}' may not import from layer '${to}'`)]);
  });

  it.each([
    ["src/workbook/x.ts", 'import { a } from "../mtd";\nexport const b = a;\n'],
    ["src/addin/x.ts", 'import { a } from "../workbook/port";\nexport const b = a;\n'],
    ["src/relay/x.ts", 'import { a } from "../mtd/catalogue";\nimport { c } from "./local";\nexport const b = [a, c];\n'],
  ])("allows %s its permitted imports", async (file, source) => {
    expect(await lintAs(file, source)).toEqual([]);
  });
});
