import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildStarterLedgerWorkbook,
  buildStarterSoleTraderWorkbook,
  LEDGER_BUSINESS_IDS,
  STARTER_FOREIGN_LANDLORD_PATH,
  STARTER_LANDLORD_PATH,
  STARTER_LEDGER_PATH,
  STARTER_SOLE_TRADER_PATH,
  STARTER_WORKBOOKS,
  starterWorkbookBytes,
} from "../../scripts/make-starter-workbooks";
import { main } from "../../src/cli/main";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

async function json(...argv: string[]): Promise<{ code: number; body: Record<string, unknown> }> {
  const r = await cli(...argv, "--json");
  return { code: r.code, body: JSON.parse(r.out) as Record<string, unknown> };
}

interface Problem {
  address: string;
  name: string;
  field?: string;
  message: string;
  severity: "error" | "warning";
}

const errorsOf = (body: Record<string, unknown>): Problem[] => (body.problems as Problem[]).filter((p) => p.severity === "error");

/** Writes a changed starter workbook to a temporary file for the duration of `use`. */
async function withWorkbook(build: () => InMemoryWorkbook, use: (file: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "mtd-cli-"));
  try {
    const file = join(dir, "book.xlsx");
    await writeFile(file, await starterWorkbookBytes(build));
    await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const Q1 = ["--tax-year", "2025-26", "--period-end", "2025-07-05"] as const;

describe("mtd-bridge preview on the starter workbooks", () => {
  test("sole trader, shop, standard quarter 2: quarters 1 + 2 summed, the one-cell loan interest as it stands", async () => {
    const { code, body } = await json("preview", STARTER_SOLE_TRADER_PATH, "--business", "SE.shop", "--tax-year", "2025-26", "--period-end", "2025-10-05");
    expect(code).toBe(0);
    expect(body.quarter).toBe(2);
    expect(body.body).toEqual({
      periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-10-05" },
      periodIncome: { turnover: 38320.5 /* 18450 + 19870.50 */, other: 215.5 /* 120 + 95.50 */ },
      periodExpenses: {
        costOfGoods: 21276.15, // 10230.40 + 11045.75
        wagesAndStaffCosts: 4800,
        premisesRunningCosts: 3700,
        adminCosts: 136.19, // 64.99 + 71.20
        interestOnBankOtherLoans: 312.48,
      },
    });
    expect((body.cells as Record<string, string>)["/periodIncome/turnover"]).toBe("Shop!B5:C5");
  });

  test("sole trader, van, calendar quarter 1 (period ending 30 June): only quarter 1, dates from 1 April", async () => {
    const { code, body } = await json("preview", STARTER_SOLE_TRADER_PATH, "--business", "se.VAN", "--tax-year", "2025-26", "--period-end", "2025-06-30");
    expect(code).toBe(0);
    expect(body).toMatchObject({ quarter: 1, basis: "calendar" });
    expect(body.body).toEqual({
      periodDates: { periodStartDate: "2025-04-01", periodEndDate: "2025-06-30" },
      periodIncome: { turnover: 7420 },
      periodExpenses: { carVanTravelExpenses: 1320.6, maintenanceCosts: 245, professionalFees: 150 },
    });
  });

  test("foreign property: one entry per country, aliases resolved from the workbook's settings", async () => {
    const { code, body } = await json("preview", STARTER_FOREIGN_LANDLORD_PATH, "--business", "FP", "--tax-year", "2025-26", "--period-end", "2025-10-05");
    expect(code).toBe(0);
    expect(body.body).toEqual({
      fromDate: "2025-04-06",
      toDate: "2025-10-05",
      foreignProperty: [
        { countryCode: "ESP", income: { rentIncome: { rentAmount: 8025 /* 3150 + 4875 */ } }, expenses: { repairsAndMaintenance: 189.99, costOfServices: 650, other: 70 } },
        {
          countryCode: "FRA",
          income: { rentIncome: { rentAmount: 8400 }, foreignTaxPaidOrDeducted: 630 },
          expenses: { premisesRunningCosts: 745.7 /* 380.50 + 365.20 */, professionalFees: 1008, residentialFinancialCost: 960.18 },
        },
      ],
    });
    const paris = await json("preview", STARTER_FOREIGN_LANDLORD_PATH, "--business", "FP.paris", "--tax-year", "2025-26", "--period-end", "2025-07-05");
    expect((paris.body.body as { foreignProperty: unknown[] }).foreignProperty).toEqual([
      { countryCode: "FRA", income: { rentIncome: { rentAmount: 4200 }, foreignTaxPaidOrDeducted: 315 }, expenses: { premisesRunningCosts: 380.5, professionalFees: 504, residentialFinancialCost: 960.18 } },
    ]);
  });

  test("UK property in the foreign landlord's workbook, human output", async () => {
    const r = await cli("preview", STARTER_FOREIGN_LANDLORD_PATH, "--business", "UKP", "--tax-year", "2025-26", "--period-end", "2025-10-05");
    expect(r.code).toBe(0);
    expect(r.out).toContain("quarter 2 (standard), 2025-04-06 to 2025-10-05");
    const body = JSON.parse(r.out.slice(r.out.indexOf("{"))) as unknown;
    expect(body).toEqual({
      fromDate: "2025-04-06",
      toDate: "2025-10-05",
      ukProperty: { income: { periodAmount: 5700 }, expenses: { premisesRunningCosts: 409 /* 210.40 + 198.60 */, repairsAndMaintenance: 395, residentialFinancialCost: 1420.36 } },
    });
  });

  test("a bad cell: nothing is previewed, the cell is named, exit code 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mtd-cli-"));
    try {
      const file = join(dir, "bad.xlsx");
      await writeFile(
        file,
        await starterWorkbookBytes(() => {
          const wb = buildStarterSoleTraderWorkbook();
          wb.getSheet("Shop")!.setCell(6, 2, { value: "eleven thousand" }); // Q2 cost of goods, C7
          return wb;
        }),
      );
      const r = await cli("preview", file, "--business", "SE.shop", "--tax-year", "2025-26", "--period-end", "2025-10-05");
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err).toContain("Shop!C7");
      expect(r.err).toContain("eleven thousand");
      const j = await json("preview", file, "--business", "SE.shop", "--tax-year", "2025-26", "--period-end", "2025-10-05");
      expect(j.code).toBe(1);
      expect(j.body.ok).toBe(false);
      expect(j.body.body).toBeUndefined();
      expect(errorsOf(j.body)).toEqual([expect.objectContaining({ address: "Shop!C7", severity: "error" })]);
      // Quarter 1 does not read C7, so it still previews.
      expect((await cli("preview", file, "--business", "SE.shop", "--tax-year", "2025-26", "--period-end", "2025-07-05")).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("HMRC's body rules run too: consolidated plus itemised expenses is refused, pointing at the expenses' cells", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mtd-cli-"));
    try {
      const file = join(dir, "both.xlsx");
      await writeFile(
        file,
        await starterWorkbookBytes(() => {
          const wb = buildStarterSoleTraderWorkbook();
          wb.getSheet("Van")!.setCell(11, 5, { value: 900 });
          wb.defineName("MTD.SE.van.periodExpenses.consolidatedExpenses", "=Van!$F$12");
          wb.defineName("MTD.SE.shop.periodIncome.turnoverr", "=#REF!");
          return wb;
        }),
      );
      const van = await json("preview", file, "--business", "SE.van", "--tax-year", "2025-26", "--period-end", "2025-10-05");
      expect(van.code).toBe(1);
      expect(errorsOf(van.body)).toEqual([expect.objectContaining({ address: expect.stringMatching(/^Van!/) as unknown, message: expect.stringContaining("RULE_BOTH_EXPENSES_SUPPLIED") as unknown })]);
      const check = await json("check", file);
      expect(check.code).toBe(1);
      expect(check.body.problems).toEqual([expect.objectContaining({ name: "MTD.SE.shop.periodIncome.turnoverr", severity: "error" })]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a period end that ends no quarter, and an unknown trade, are problems (exit 1)", async () => {
    const notEnd = await cli("preview", STARTER_SOLE_TRADER_PATH, "--business", "SE.shop", "--tax-year", "2025-26", "--period-end", "2025-10-06");
    expect(notEnd.code).toBe(1);
    expect(notEnd.err).toContain("not the last day of a standard or calendar quarter");
    const unknown = await cli("preview", STARTER_SOLE_TRADER_PATH, "--business", "SE.bakery", "--tax-year", "2025-26", "--period-end", "2025-10-05");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("No cells are named for this self-employment (bakery)");
  });
});

describe("mtd-bridge check", () => {
  test.each(STARTER_WORKBOOKS.map((w) => w.path))("%s has no problems", async (path) => {
    const r = await cli("check", path);
    expect(r.err).toBe("");
    expect(r.out).toContain("No problems found.");
    expect(r.code).toBe(0);
  });

  test("--json lists sources by resolved key", async () => {
    const { code, body } = await json("check", STARTER_SOLE_TRADER_PATH, "--tax-year", "2025-26");
    expect(code).toBe(0);
    expect((body.sources as { type: string; key: string; names: string[] }[]).map((s) => [s.type, s.key, s.names.length])).toEqual([
      ["self-employment", "XBIS12345678901", 7],
      ["self-employment", "XBIS12345678902", 4],
    ]);
    expect(body.problems).toEqual([]);
  });

  test("for 2026-27 foreign countries are no longer valid keys: each name is reported at its cells (exit 1)", async () => {
    const { code, body } = await json("check", STARTER_FOREIGN_LANDLORD_PATH, "--tax-year", "2026-27");
    expect(code).toBe(1);
    const problems = body.problems as { address: string; message: string }[];
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.address).toMatch(/^'(Malaga apartment|Paris flat)'!/);
    expect(problems[0]!.message).toContain("property ID");
  });
});

describe("warnings and ledger mode", () => {
  test("typed numbers warn on stderr without changing the exit code; stdout stays the header and the body", async () => {
    const r = await cli("preview", STARTER_SOLE_TRADER_PATH, "--business", "SE.van", ...Q1);
    expect(r.code).toBe(0);
    expect(r.err).toContain("Warnings (they do not stop sending):");
    expect(r.err).toMatch(/warning Van!B5: .*typed number/);
    expect(JSON.parse(r.out.slice(r.out.indexOf("{")))).toMatchObject({ periodIncome: { turnover: 7420 } });
    const j = await json("preview", STARTER_SOLE_TRADER_PATH, "--business", "SE.van", ...Q1);
    expect(j.code).toBe(0);
    expect(j.body.ok).toBe(true);
    expect((j.body.problems as Problem[]).length).toBeGreaterThan(0);
    expect(errorsOf(j.body)).toEqual([]);
  });

  test("the mode recorded for a business applies: the trade by alias, property businesses by their ID", async () => {
    const se = await json("preview", STARTER_LEDGER_PATH, "--business", "SE.plastering", ...Q1);
    expect(se.code).toBe(0);
    expect(se.body).toMatchObject({ ok: true, mode: "ledger", endpoint: "self-employment.cumulative.amend", quarter: 1 });
    expect(se.body.ledger).toMatchObject({ used: expect.any(Number) as unknown, rejected: 0 });
    expect((se.body.ledger as { used: number }).used).toBeGreaterThan(0);
    expect((se.body.cells as Record<string, string>)["/periodIncome/turnover"]).toMatch(/^MTD_Ledger \(\d+ transactions\)$/);
    const ukp = await json("preview", STARTER_LEDGER_PATH, "--business", `UKP.${LEDGER_BUSINESS_IDS.ukProperty}`, ...Q1);
    expect(ukp.body).toMatchObject({ ok: true, mode: "ledger" });
    const human = await cli("preview", STARTER_LEDGER_PATH, "--business", `FP.${LEDGER_BUSINESS_IDS.foreignProperty}`, ...Q1);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/From MTD_Ledger: \d+ transactions used; \d+ after the period/);
  });

  test("--ledger forces ledger mode; without it an unnamed property business fails with a hint", async () => {
    const names = await cli("preview", STARTER_LEDGER_PATH, "--business", "UKP", ...Q1);
    expect(names.code).toBe(1);
    expect(names.err).toContain("No cells are named for UK property");
    expect(names.err).toContain("add --ledger");
    const forced = await json("preview", STARTER_LEDGER_PATH, "--business", "UKP", "--ledger", ...Q1);
    expect(forced.code).toBe(0);
    expect(forced.body.mode).toBe("ledger");
    const villa = await json("preview", STARTER_LEDGER_PATH, "--business", "FP.villa", "--ledger", ...Q1);
    expect(villa.code).toBe(0);
    expect((villa.body.body as { foreignProperty: { countryCode: string }[] }).foreignProperty.map((e) => e.countryCode)).toEqual(["ESP"]);
    // A workbook with no ledger: forcing it names the missing table (exit 1, not a crash).
    const none = await json("preview", STARTER_SOLE_TRADER_PATH, "--business", "SE.shop", "--ledger", ...Q1);
    expect(none.code).toBe(1);
    expect(errorsOf(none.body)).toEqual([expect.objectContaining({ message: expect.stringMatching(/^This workbook has no table named “MTD_(Ledger|CategoryMap)”/) as unknown })]);
  });

  test("a bad ledger row is reported at its cell and blocks sending (exit 1)", async () => {
    await withWorkbook(
      () => {
        const wb = buildStarterLedgerWorkbook();
        wb.getSheet("Transactions")!.setCell(3, 1, { value: "twelve" }); // B4: a Q1 row
        return wb;
      },
      async (file) => {
        const rows = await Promise.all(["SE.plastering", "UKP", "FP"].map((b) => json("preview", file, "--business", b, "--ledger", ...Q1)));
        const failed = rows.filter((r) => r.code === 1);
        expect(failed).toHaveLength(1);
        expect(errorsOf(failed[0]!.body)).toEqual([expect.objectContaining({ address: "Transactions!B4", message: expect.stringContaining("twelve") as unknown })]);
        expect(failed[0]!.body.body).toBeUndefined();
      },
    );
  });
});

describe("mtd-bridge check --business", () => {
  test("a business missing its required income figure is a problem (exit 1); the other trade is fine", async () => {
    await withWorkbook(
      () => {
        const wb = buildStarterSoleTraderWorkbook();
        wb.deleteName("MTD.SE.van.periodIncome.turnover");
        return wb;
      },
      async (file) => {
        const van = await json("check", file, "--business", "SE.van");
        expect(van.code).toBe(1);
        expect(van.body.business).toEqual({ type: "self-employment", key: "van", businessId: "XBIS12345678902", mode: "names", required: ["periodIncome.turnover"] });
        expect(errorsOf(van.body)).toEqual([expect.objectContaining({ field: "periodIncome.turnover", message: expect.stringContaining("MTD.SE.van.periodIncome.turnover") as unknown })]);
        const shop = await cli("check", file, "--business", "SE.shop");
        expect(shop.code).toBe(0);
        expect(shop.out).toContain("required: periodIncome.turnover");
        expect(shop.out).toContain("No problems found.");
      },
    );
  });

  test("a business with no names at all, and a missing property, are problems", async () => {
    expect((await cli("check", STARTER_SOLE_TRADER_PATH, "--business", "UKP")).code).toBe(1);
    const fp = await json("check", STARTER_FOREIGN_LANDLORD_PATH, "--business", "FP.berlin");
    expect(fp.code).toBe(1);
    expect(errorsOf(fp.body)[0]!.message).toContain("foreign property berlin");
    expect((await cli("check", STARTER_FOREIGN_LANDLORD_PATH, "--business", "FP")).code).toBe(0);
  });

  test("with --period-end the cells are read and HMRC's rules applied too", async () => {
    await withWorkbook(
      () => {
        const wb = buildStarterSoleTraderWorkbook();
        wb.getSheet("Shop")!.setCell(6, 2, { value: "eleven thousand" }); // Q2 cost of goods, C7
        return wb;
      },
      async (file) => {
        expect((await cli("check", file, "--business", "SE.shop")).code).toBe(0);
        const q2 = await json("check", file, "--business", "SE.shop", "--period-end", "2025-10-05");
        expect(q2.code).toBe(1);
        expect(errorsOf(q2.body)).toEqual([expect.objectContaining({ address: "Shop!C7" })]);
        expect(q2.body.business).toMatchObject({ quarter: 2, basis: "standard" });
        expect((await cli("check", file, "--business", "SE.shop", "--period-end", "2025-07-05")).code).toBe(0);
      },
    );
  });

  test("ledger mode: the category map must map the required field", async () => {
    const ok = await json("check", STARTER_LEDGER_PATH, "--business", "SE.plastering", "--period-end", "2025-07-05");
    expect(ok.code).toBe(0);
    expect(ok.body.business).toMatchObject({ mode: "ledger", quarter: 1, ledger: { rejected: 0 } });
    expect(ok.body.ledger).toMatchObject({ table: "MTD_Ledger", categories: 16 });
    await withWorkbook(
      () => {
        const wb = buildStarterLedgerWorkbook();
        wb.getSheet("Categories")!.setCell(1, 2, { value: "periodIncome.other" }); // Plastering jobs → other income
        return wb;
      },
      async (file) => {
        const r = await json("check", file, "--business", "SE.plastering");
        expect(r.code).toBe(1);
        expect(errorsOf(r.body)).toEqual([expect.objectContaining({ address: "Categories!A1", field: "periodIncome.turnover", message: expect.stringContaining("maps no category to periodIncome.turnover") as unknown })]);
        expect((await cli("check", file, "--business", "UKP", "--ledger")).code).toBe(0);
      },
    );
  });
});

describe("mtd-bridge fields and usage", () => {
  test("fields lists HMRC's fields with their SA-form boxes", async () => {
    const { code, body } = await json("fields", "--business", "self-employment", "--tax-year", "2025-26");
    expect(code).toBe(0);
    expect(body.fields).toContainEqual({ path: "periodIncome.turnover", label: expect.stringContaining("SA103F box 15") as unknown, box: "SA103F 15", kind: "income" });
    const human = await cli("fields", "--business", "uk-property", "--tax-year", "2025-26");
    expect(human.out).toContain("income.periodAmount");
  });

  test.each([
    [[]],
    [["--help"]],
  ])("%j prints usage and exits 0", async (argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage:");
  });

  test.each([
    [["frobnicate"]],
    [["fields", "--business", "uk-property"]],
    [["fields", "--business", "partnership", "--tax-year", "2025-26"]],
    [["fields", "--business", "uk-property", "--tax-year", "2024-25"]],
    [["check"]],
    [["check", "a.xlsx", "b.xlsx"]],
    [["check", "a.xlsx", "--period-end", "2025-07-05"]],
    [["preview", "a.xlsx", "--business", "UKP", "--tax-year", "2025-26"]],
    [["preview", "a.xlsx", "--business", "UKP", "--tax-year", "2025-26", "--period-end", "2025-02-30"]],
    [["preview", "a.xlsx", "--business", "SE.", "--tax-year", "2025-26", "--period-end", "2025-07-05"]],
    [["preview", "a.xlsx", "--business", "UKP", "--business", "UKP", "--tax-year", "2025-26", "--period-end", "2025-07-05"]],
    [["check", "a.xlsx", "--tax-year"]],
    [["check", "a.xlsx", "--ledger"]],
    [["fields", "--business", "uk-property", "--tax-year", "2025-26", "--ledger"]],
    [["preview", "a.xlsx", "--business", "UKP.flat", "--tax-year", "2025-26", "--period-end", "2025-07-05"]],
  ])("%j is a usage error (exit 2)", async (argv) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("Usage:");
  });

  test("a missing or damaged file is reported plainly (exit 1)", async () => {
    const missing = await cli("check", "/nonexistent/book.xlsx");
    expect(missing).toEqual({ code: 1, out: "", err: "/nonexistent/book.xlsx: The file does not exist.\n" });
    const dir = await mkdtemp(join(tmpdir(), "mtd-cli-"));
    try {
      await writeFile(join(dir, "not.xlsx"), "plain text");
      expect((await cli("check", join(dir, "not.xlsx"))).err).toContain("not an Excel workbook");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the committed starter workbooks", () => {
  test.each(STARTER_WORKBOOKS.map((w) => [w.path, w.build] as const))("%s is what the script builds (run npx tsx scripts/make-starter-workbooks.ts after changing it)", async (path, build) => {
    expect((await starterWorkbookBytes(build)).equals(await readFile(path))).toBe(true);
  });
});

test("the real command: a spawned process prints the same payload and exit code", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "src", "cli", "main.ts"), "preview", STARTER_LANDLORD_PATH, "--business", "UKP", "--tax-year", "2025-26", "--period-end", "2025-07-05", "--json"], {
    encoding: "utf8",
  });
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout) as { body: { ukProperty: { income: { periodAmount: number } } } };
  expect(out.body.ukProperty.income.periodAmount).toBe(6300);
  const usage = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "src", "cli", "main.ts"), "preview"], { encoding: "utf8" });
  expect(usage.status).toBe(2);
});
