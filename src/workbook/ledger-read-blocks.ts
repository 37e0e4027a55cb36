/**
 * How a large table is read from Excel in blocks of rows (addin-engineering.md §4.2): Excel on the web
 * refuses any request or response over 5 MB, so the first block is small, its size in bytes sets how many
 * rows the next blocks take (aiming well under the limit), and a block Excel still refuses is halved and
 * read again. Pure: the caller supplies the read of one block.
 */
import type { CellScalar } from "./port";

/** Rows in the first block unless the caller says otherwise. */
export const FIRST_BLOCK_ROWS = 5_000;
/** Blocks never exceed this many rows, however small the rows (keeps each sync short and progress moving). */
export const MAX_BLOCK_ROWS = 20_000;
/** What a block aims to weigh: well under the 5 MB limit, leaving room for Office.js's own envelope. */
export const TARGET_BLOCK_BYTES = 2 * 1024 * 1024;

export interface BlockReader {
  readonly totalRows: number;
  readonly columns: number;
  readonly chunkRows?: number;
  readonly onProgress?: (rowsRead: number, totalRows: number) => void;
  /** Reads rows `start` … `start + count - 1` of the table's data (one sync). */
  readBlock(start: number, count: number): Promise<CellScalar[][]>;
  /** Whether an error is Excel refusing a request or response as too large. */
  isTooLarge(e: unknown): boolean;
}

function bytesOf(rows: readonly (readonly CellScalar[])[]): number {
  let n = 2;
  for (const row of rows) for (const v of row) n += v === null ? 3 : typeof v === "string" ? v.length + 3 : String(v).length + 1;
  return n;
}

export async function readTableInBlocks(reader: BlockReader): Promise<CellScalar[][]> {
  const { totalRows, onProgress } = reader;
  const rows: CellScalar[][] = [];
  if (totalRows <= 0 || reader.columns <= 0) {
    onProgress?.(0, Math.max(0, totalRows));
    return rows;
  }
  let blockRows = Math.max(1, Math.min(MAX_BLOCK_ROWS, Math.floor(Number.isFinite(reader.chunkRows) ? reader.chunkRows! : FIRST_BLOCK_ROWS)));
  let sized = false;
  while (rows.length < totalRows) {
    const count = Math.min(blockRows, totalRows - rows.length);
    let block: CellScalar[][];
    try {
      block = await reader.readBlock(rows.length, count);
    } catch (e) {
      if (!reader.isTooLarge(e) || count === 1) throw e;
      blockRows = Math.max(1, Math.floor(count / 2));
      continue;
    }
    for (const row of block) rows.push(row);
    if (!sized) {
      const perRow = Math.max(1, bytesOf(block) / block.length);
      blockRows = Math.max(1, Math.min(MAX_BLOCK_ROWS, Math.floor(TARGET_BLOCK_BYTES / perRow)));
      sized = true;
    }
    onProgress?.(rows.length, totalRows);
  }
  return rows;
}
