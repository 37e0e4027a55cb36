import type { ESLint } from "eslint";

/** The local plugin that enforces DESIGN.md §2's import arrows (see layers.js). */
declare const layers: ESLint.Plugin;
export = layers;
