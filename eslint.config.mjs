// ESLint flat config: typescript-eslint for all TypeScript, the Office add-in rules for code that talks
// to Excel, and the layer arrows of DESIGN.md §2 (eslint/layers.js).
import tseslint from "typescript-eslint";
import officeAddins from "eslint-plugin-office-addins";
import layers from "./eslint/layers.js";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "test-results/**", ".data/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { layers },
    rules: {
      "layers/allowed-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // Office.js batching rules: load before read, sync before read, no sync in loops, isNullObject checks.
    files: ["src/addin/**/*.ts", "src/workbench/**/*.ts"],
    plugins: { "office-addins": officeAddins },
    rules: {
      "office-addins/call-sync-before-read": "error",
      "office-addins/load-object-before-read": "error",
      "office-addins/call-sync-after-load": "error",
      "office-addins/no-context-sync-in-loop": "error",
      "office-addins/no-empty-load": "error",
      "office-addins/no-navigational-load": "error",
      "office-addins/no-office-initialize": "error",
      "office-addins/test-for-null-using-isNullObject": "error",
    },
  },
  {
    // Command-line entry points, scripts and benchmarks print to the console by design.
    files: ["scripts/**/*.ts", "bench/**/*.ts", "src/dev/**/*.ts", "src/cli/**/*.ts", "src/*/main.ts", "test/**/*.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["eslint/**/*.js", "*.js", "*.mjs", "test/**/*.mjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
