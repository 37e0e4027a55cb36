import { MAX_BLOCK_ROWS, readTableInBlocks } from "../../src/workbook/ledger-read-blocks";
import type { CellScalar } from "../../src/workbook/port";

const tooLarge = Object.assign(new Error("too large"), { code: "RequestPayloadSizeLimitExceeded" });

function reader(totalRows: number, limitRows: number, calls: Array<[number, number]>) {
  return {
    totalRows,
    columns: 1,
    isTooLarge: (e: unknown) => e === tooLarge,
    readBlock: async (start: number, count: number): Promise<CellScalar[][]> => {
      calls.push([start, count]);
      if (count > limitRows) throw tooLarge;
      return Array.from({ length: count }, (_, i) => [start + i]);
    },
  };
}

describe("readTableInBlocks", () => {
  test("sizes later blocks from the first, capped, and returns every row in order", async () => {
    const calls: Array<[number, number]> = [];
    const rows = await readTableInBlocks({ ...reader(50_000, Infinity, calls), chunkRows: 1_000 });
    expect(calls).toEqual([[0, 1_000], [1_000, MAX_BLOCK_ROWS], [21_000, MAX_BLOCK_ROWS], [41_000, 9_000]]);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 50_000 }, (_, i) => i));
  });

  test("halves a refused block until Excel accepts it", async () => {
    const calls: Array<[number, number]> = [];
    const progress: number[] = [];
    const rows = await readTableInBlocks({ ...reader(1_000, 300, calls), chunkRows: 1_000, onProgress: (n) => progress.push(n) });
    expect(calls.slice(0, 3)).toEqual([[0, 1_000], [0, 500], [0, 250]]);
    expect(progress[0]).toBe(250);
    expect(rows).toHaveLength(1_000);
  });

  test("gives up when a single row is too large, and passes other errors straight through", async () => {
    await expect(readTableInBlocks({ ...reader(10, 0, []), chunkRows: 4 })).rejects.toBe(tooLarge);
    const other = new Error("GeneralException");
    await expect(readTableInBlocks({ totalRows: 10, columns: 1, isTooLarge: () => false, readBlock: () => Promise.reject(other) })).rejects.toBe(other);
  });

  test("an empty table reads nothing and reports 0 of 0", async () => {
    const progress: Array<[number, number]> = [];
    const rows = await readTableInBlocks({ ...reader(0, 10, []), onProgress: (a, b) => progress.push([a, b]) });
    expect(rows).toEqual([]);
    expect(progress).toEqual([[0, 0]]);
  });
});
