/**
 * Lint rule `layers/allowed-imports`: the import arrows of DESIGN.md §2. A module under src/<layer>/ may
 * import only from its own layer and from the layers listed for it below; anything else fails lint.
 */
"use strict";
const path = require("node:path");

/** layer → layers it may import (its own layer is always allowed). */
const ALLOWED = {
  mtd: [],
  workbook: ["mtd"],
  addin: ["mtd", "workbook"],
  relay: ["mtd"],
  sandbox: ["mtd"],
  cli: ["mtd", "workbook"],
  // Dev-only composition roots (not in DESIGN §2's product layers): the workbench page runs the real task
  // pane on a fake Excel; `npm start` starts relay and sandbox side by side, as the tests do.
  workbench: ["mtd", "workbook", "addin"],
  dev: ["mtd", "relay", "sandbox"],
};

function layerOf(file, srcRoot) {
  const rel = path.relative(srcRoot, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep)[0];
}

module.exports = {
  rules: {
    "allowed-imports": {
      meta: {
        type: "problem",
        docs: { description: "Enforce the layer import arrows of DESIGN.md §2" },
        schema: [],
        messages: {
          forbidden: "Layer '{{from}}' may not import from layer '{{to}}' (DESIGN.md §2 allows: {{allowed}}).",
          unknownLayer: "'{{layer}}' is not a layer of DESIGN.md §2; add it to eslint/layers.js and to the design.",
        },
      },
      create(context) {
        const filename = context.filename ?? context.getFilename();
        const srcRoot = path.join(context.cwd ?? process.cwd(), "src");
        const from = layerOf(filename, srcRoot);
        if (!from) return {};
        if (!(from in ALLOWED)) {
          return {
            Program(node) {
              context.report({ node, messageId: "unknownLayer", data: { layer: from } });
            },
          };
        }
        function check(node, source) {
          if (typeof source !== "string" || !source.startsWith(".")) return;
          const to = layerOf(path.resolve(path.dirname(filename), source), srcRoot);
          if (!to || to === from) return;
          if (!ALLOWED[from].includes(to)) {
            context.report({ node, messageId: "forbidden", data: { from, to, allowed: ALLOWED[from].join(", ") || "nothing" } });
          }
        }
        return {
          ImportDeclaration(node) {
            check(node, node.source.value);
          },
          ExportNamedDeclaration(node) {
            if (node.source) check(node, node.source.value);
          },
          ExportAllDeclaration(node) {
            check(node, node.source.value);
          },
          ImportExpression(node) {
            if (node.source.type === "Literal") check(node, node.source.value);
          },
          CallExpression(node) {
            if (node.callee.type === "Identifier" && node.callee.name === "require" && node.arguments[0]?.type === "Literal") {
              check(node, node.arguments[0].value);
            }
          },
        };
      },
    },
  },
};
