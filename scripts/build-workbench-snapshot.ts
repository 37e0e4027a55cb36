/**
 * Turns the starter workbook (assets/starter-landlord.xlsx) into the JSON snapshot the workbench page loads,
 * so the browser gets exactly what the CLI and tests read from the .xlsx. webpack.config.js calls
 * {@link workbenchSnapshotJson} during the build; run directly it writes the file:
 *   npx tsx scripts/build-workbench-snapshot.ts [in.xlsx] [out.json]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { loadXlsx } from "../src/workbook/xlsx";

export const STARTER_XLSX = join(__dirname, "..", "assets", "starter-landlord.xlsx");

export async function workbenchSnapshotJson(xlsxPath: string = STARTER_XLSX): Promise<string> {
  const workbook = await loadXlsx(xlsxPath);
  return JSON.stringify(workbook.toSnapshot());
}

if (require.main === module) {
  const [input = STARTER_XLSX, output = join(__dirname, "..", "dist", "addin", "workbench", "starter-landlord.json")] = process.argv.slice(2);
  workbenchSnapshotJson(input).then(
    (json) => {
      mkdirSync(dirname(output), { recursive: true });
      writeFileSync(output, json);
      console.log(`wrote ${output} (${json.length} bytes)`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
