/**
 * Builds the browser half of MTD Bridge into dist/addin (the relay serves that folder at `/`):
 *   taskpane.html            office.js from Microsoft's CDN + the task pane bundle (what Excel loads)
 *   dialog.html              office.js + the connect dialog bundle (opened by displayDialogAsync)
 *   ms-signin.html           office.js + the Microsoft sign-in dialog (entra mode, where no NAA and no popup)
 *   ms-redirect.html         msal's redirect bridge: where Microsoft's sign-in returns (entra mode)
 *   commands.html            the manifest's FunctionFile (ribbon commands runtime; no UI)
 *   workbench.html           dev-only simulated workbook with the task pane beside it
 *   workbench-taskpane.html  the SAME task pane bundle, with a fake Office/Excel instead of office.js
 *   workbench/starter-landlord.json  the starter workbook as an InMemoryWorkbook snapshot
 *   manifest.xml (+ manifest.prod.xml when ADDIN_PUBLIC_URL is set), assets/
 * TypeScript is transpiled only (ts-loader transpileOnly); type errors are caught by `npm run typecheck`.
 */
"use strict";

const path = require("node:path");
const fs = require("node:fs");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const { require: tsxRequire } = require("tsx/cjs/api");

/** @type {typeof import("./src/addin/build/manifest-url")} */
const { productionManifest, parsePublicUrl } = tsxRequire("./src/addin/build/manifest-url.ts", __filename);

const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OUT = path.resolve(__dirname, "dist/addin");
const STARTER_XLSX = path.resolve(__dirname, "assets/starter-landlord.xlsx");
const SNAPSHOT_ASSET = "workbench/starter-landlord.json";

/** Emits the starter workbook snapshot the workbench page loads (scripts/build-workbench-snapshot.ts). */
class WorkbenchSnapshotPlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap("WorkbenchSnapshotPlugin", (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        { name: "WorkbenchSnapshotPlugin", stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        async () => {
          compilation.fileDependencies.add(STARTER_XLSX);
          if (!fs.existsSync(STARTER_XLSX)) {
            compilation.errors.push(new Error(`The workbench needs ${path.relative(__dirname, STARTER_XLSX)}, which is missing.`));
            return;
          }
          try {
            /** @type {typeof import("./scripts/build-workbench-snapshot")} */
            const { workbenchSnapshotJson } = tsxRequire("./scripts/build-workbench-snapshot.ts", __filename);
            compilation.emitAsset(SNAPSHOT_ASSET, new sources.RawSource(await workbenchSnapshotJson(STARTER_XLSX)));
          } catch (e) {
            compilation.errors.push(new Error(`Could not turn the starter workbook into the workbench snapshot: ${e instanceof Error ? e.message : String(e)}`));
          }
        },
      );
    });
  }
}

module.exports = (_env, argv) => {
  const production = argv.mode !== "development";
  const publicUrlSetting = process.env.ADDIN_PUBLIC_URL;
  // Fail fast, before compiling, on a public URL Office would refuse.
  const publicUrl = publicUrlSetting ? parsePublicUrl(publicUrlSetting) : undefined;

  const page = (filename, template, chunks, officeScript, title) =>
    new HtmlWebpackPlugin({
      filename,
      template,
      chunks,
      chunksSortMode: "manual",
      scriptLoading: "defer",
      inject: "body",
      minify: false,
      templateParameters: { officeScript, title },
    });

  return {
    mode: production ? "production" : "development",
    devtool: "source-map",
    context: __dirname,
    entry: {
      taskpane: "./src/addin/taskpane/main.ts",
      dialog: "./src/addin/dialog/main.ts",
      "ms-signin": "./src/addin/dialog/ms-signin-main.ts",
      "ms-redirect": "./src/addin/dialog/ms-redirect-main.ts",
      commands: "./src/addin/commands/main.ts",
      workbench: "./src/workbench/main.ts",
      "fake-office": "./src/workbench/fake-office.ts",
    },
    output: {
      path: OUT,
      filename: production ? "[name].[contenthash:8].js" : "[name].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".js"],
      // Browser bundles: a Node built-in reaching them is a layering mistake, so it fails the build.
      fallback: {},
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              transpileOnly: true,
              configFile: path.resolve(__dirname, "tsconfig.json"),
              // ES modules let webpack drop what the pages do not use from src/mtd's index.
              compilerOptions: { module: "esnext", moduleResolution: "bundler", noEmit: false, sourceMap: true, target: "es2022" },
            },
          },
        },
      ],
    },
    performance: { hints: false },
    stats: "errors-warnings",
    plugins: [
      page("taskpane.html", "./src/addin/taskpane/taskpane.html", ["taskpane"], OFFICE_JS, "MTD Bridge"),
      page("dialog.html", "./src/addin/dialog/dialog.html", ["dialog"], OFFICE_JS, "Connect to HMRC – MTD Bridge"),
      page("ms-signin.html", "./src/addin/dialog/ms-signin.html", ["ms-signin"], OFFICE_JS, "Sign in with Microsoft – MTD Bridge"),
      page("ms-redirect.html", "./src/addin/dialog/ms-redirect.html", ["ms-redirect"], null, "Signing in – MTD Bridge"),
      page("commands.html", "./src/addin/commands/commands.html", ["commands"], OFFICE_JS, "MTD Bridge commands"),
      page("workbench-taskpane.html", "./src/addin/taskpane/taskpane.html", ["fake-office", "taskpane"], null, "MTD Bridge (workbench)"),
      page("workbench.html", "./src/workbench/workbench.html", ["workbench"], null, "MTD Bridge workbench"),
      page("support.html", "./src/addin/support.html", [], null, "MTD Bridge support"),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "assets/starter-landlord.xlsx", to: "assets/[name][ext]", noErrorOnMissing: true },
          { from: "src/addin/taskpane/taskpane.css", to: "taskpane.css" },
          { from: "src/workbench/workbench.css", to: "workbench.css" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform: (content) => (publicUrl ? productionManifest(content.toString(), publicUrl) : content),
          },
          ...(publicUrl
            ? [{ from: "manifest.xml", to: "manifest.prod.xml", transform: (content) => productionManifest(content.toString(), publicUrl) }]
            : []),
        ],
      }),
      new WorkbenchSnapshotPlugin(),
    ],
  };
};
