import { buildCumulative, isoDate, validateCumulative, type QuarterNumber, type TaxYear } from "../../src/mtd";
import {
  discoverMtdNames,
  mappingProblems,
  parseMtdName,
  readCumulativeFigures,
  resolveKey,
  type FiguresSource,
} from "../../src/workbook/cumulative-figures";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { namedRowsWorkbook, type FixtureCell } from "./named-fixtures";
import { readUkPropertyFigures } from "../../src/workbook/uk-property-figures";

const TY25 = "2025-26" as TaxYear;
const TY26 = "2026-27" as TaxYear;
const SHOP_ID = "XAIS12345678901";
const CAFE_ID = "XBIS98765432109";
const VILLA_ID = "8e8b8450-dc1b-4360-8109-7067337b42cb";
const ALIASES = { shop: SHOP_ID, Cafe: CAFE_ID, villa: VILLA_ID };
const SHEET = "Records";

/** One row per name from row 2 down: one cell (year to date) or four (quarters 1–4) starting in column B. */
function workbookWith(rows: Record<string, FixtureCell[]>): InMemoryWorkbook {
  return namedRowsWorkbook(SHEET, rows);
}

function read(wb: InMemoryWorkbook, source: FiguresSource, taxYear: TaxYear, quarter: QuarterNumber) {
  return readCumulativeFigures(wb, { source, taxYear, quarter, aliases: ALIASES });
}

describe("names", () => {
  test("split into source, key and field path, whatever their case", () => {
    expect(parseMtdName("MTD.UKP.income.periodAmount")).toEqual({ type: "uk-property", path: "income.periodAmount" });
    expect(parseMtdName("mtd.se.Shop.periodIncome.turnover")).toEqual({ type: "self-employment", key: "Shop", path: "periodIncome.turnover" });
    expect(parseMtdName("Mtd.Fp.FRA.income.rentIncome.rentAmount")).toEqual({ type: "foreign-property", key: "FRA", path: "income.rentIncome.rentAmount" });
    expect(parseMtdName("MTD.SE.shop")).toBeUndefined();
    expect(parseMtdName("MTD.SE..turnover")).toBeUndefined();
    expect(parseMtdName("MTD.XYZ.a.b")).toBeUndefined();
  });

  test("aliases resolve without regard to case; other keys stand for themselves", () => {
    expect(resolveKey("SHOP", ALIASES)).toBe(SHOP_ID);
    expect(resolveKey("cafe", ALIASES)).toBe(CAFE_ID);
    expect(resolveKey("FRA", ALIASES)).toBe("FRA");
  });
});

describe("readCumulativeFigures", () => {
  test("self-employment: alias and businessId names of one business, quarters summed in exact pence", async () => {
    const wb = workbookWith({
      "MTD.SE.shop.periodIncome.turnover": [1000.1, 2000.25, 3000, 4000],
      [`MTD.SE.${SHOP_ID}.periodExpenses.adminCosts`]: [12.34],
      "mtd.se.SHOP.PERIODEXPENSES.COSTOFGOODS": [0.1, 0.2, null, null],
      "MTD.SE.cafe.periodIncome.turnover": [5, 5, 5, 5],
    });
    const spy = jest.spyOn(wb, "readNames");
    const r = await read(wb, { type: "self-employment", key: SHOP_ID }, TY25, 2);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith("MTD.SE.");
    expect(Object.fromEntries(r.amounts)).toEqual({ "periodIncome.turnover": 300035, "periodExpenses.adminCosts": 1234, "periodExpenses.costOfGoods": 30 });
    expect(r.sources.get("periodIncome.turnover")).toBe("Records!B2:C2");
    expect(r.sources.get("periodExpenses.adminCosts")).toBe("Records!B3");
    expect(r.problems).toEqual([]);

    const cafe = await read(wb, { type: "self-employment", key: "CAFE" }, TY25, 4);
    expect(Object.fromEntries(cafe.amounts)).toEqual({ "periodIncome.turnover": 2000 });

    const body = buildCumulative({ type: "self-employment", taxYear: TY25, periodStartDate: isoDate(2025, 4, 6), periodEndDate: isoDate(2025, 10, 5), amounts: r.amounts });
    expect(validateCumulative("self-employment", TY25, body)).toEqual([]);
    expect(body).toMatchObject({ periodIncome: { turnover: 3000.35 }, periodExpenses: { adminCosts: 12.34, costOfGoods: 0.3 } });
  });

  test("foreign property 2025-26: one country's names; 2026-27: a property named by its alias", async () => {
    const wb = workbookWith({
      "MTD.FP.FRA.income.rentIncome.rentAmount": [500, 600.5, 0, 7],
      "MTD.FP.fra.expenses.residentialFinancialCost": [99.99],
      "MTD.FP.ESP.income.rentIncome.rentAmount": [1, 1, 1, 1],
      "MTD.FP.villa.expenses.repairsAndMaintenance": [-10, 20.01, null, null],
    });
    const fra = await read(wb, { type: "foreign-property", countryOrPropertyId: "FRA" }, TY25, 3);
    expect(Object.fromEntries(fra.amounts)).toEqual({ "income.rentIncome.rentAmount": 110050, "expenses.residentialFinancialCost": 9999 });
    expect(fra.problems).toEqual([]);
    const villa = await read(wb, { type: "foreign-property", countryOrPropertyId: VILLA_ID }, TY26, 2);
    expect(Object.fromEntries(villa.amounts)).toEqual({ "expenses.repairsAndMaintenance": 1001 });
  });

  test("UK property reads the same as the UK property reader", async () => {
    const wb = workbookWith({ "MTD.UKP.income.periodAmount": [6300, 5350.01, null, null], "MTD.UKP.expenses.other": ["ten"] });
    const generic = await read(wb, { type: "uk-property" }, TY25, 2);
    const uk = await readUkPropertyFigures(wb, { taxYear: TY25, quarter: 2 });
    expect(generic.amounts).toEqual(uk.amounts);
    expect(generic.amounts.get("income.periodAmount")).toBe(1165001);
    expect(generic.problems).toEqual(uk.problems);
  });

  test("bad cells and unknown fields are reported at their cells and left out", async () => {
    const wb = workbookWith({
      "MTD.SE.shop.periodIncome.turnovr": [1],
      "MTD.SE.shop.periodIncome.other": [5, "12.50", null, null],
      "MTD.SE.shop.periodExpenses.otherExpenses": [1.005],
    });
    const r = await read(wb, { type: "self-employment", key: "shop" }, TY25, 2);
    expect(r.amounts.size).toBe(0);
    expect(r.problems).toEqual([
      expect.objectContaining({ name: "MTD.SE.shop.periodExpenses.otherExpenses", address: "Records!B4", message: expect.stringMatching(/3 decimal places/) }),
      expect.objectContaining({ name: "MTD.SE.shop.periodIncome.other", address: "Records!C3", message: expect.stringMatching(/as text, not as a number/) }),
      expect.objectContaining({
        name: "MTD.SE.shop.periodIncome.turnovr",
        address: "Records!B2",
        message: expect.stringMatching(/does not match any self-employment field HMRC accepts for 2025-26\. Did you mean MTD\.SE\.shop\.periodIncome\.turnover/),
      }),
    ]);
  });

  test("a property can be asked for by its alias as well as by its property ID", async () => {
    const wb = workbookWith({ "MTD.FP.villa.income.rentIncome.rentAmount": [10] });
    const r = await read(wb, { type: "foreign-property", countryOrPropertyId: "villa" }, TY26, 1);
    expect(r.amounts.get("income.rentIncome.rentAmount")).toBe(1000);
  });
});

describe("discoverMtdNames", () => {
  test("groups every MTD.* name by source, resolving aliases, and lists names fitting no pattern", async () => {
    const wb = workbookWith({
      "MTD.SE.cafe.periodIncome.turnover": [1],
      "MTD.UKP.income.periodAmount": [1],
      [`MTD.SE.${SHOP_ID}.periodIncome.other`]: [1],
      "MTD.SE.shop.periodIncome.turnover": [1],
      "MTD.FP.FRA.income.premiumsOfLeaseGrant": [1],
      "MTD.Notes": [1],
      "Other.name": [1],
    });
    const found = await discoverMtdNames(wb, ALIASES);
    expect(found.sources).toEqual([
      { source: { type: "uk-property" }, names: ["MTD.UKP.income.periodAmount"] },
      { source: { type: "self-employment", key: SHOP_ID }, names: [`MTD.SE.${SHOP_ID}.periodIncome.other`, "MTD.SE.shop.periodIncome.turnover"] },
      { source: { type: "self-employment", key: CAFE_ID }, names: ["MTD.SE.cafe.periodIncome.turnover"] },
      { source: { type: "foreign-property", countryOrPropertyId: "FRA" }, names: ["MTD.FP.FRA.income.premiumsOfLeaseGrant"] },
    ]);
    expect(found.unrecognised).toEqual(["MTD.Notes"]);
  });
});

describe("mappingProblems", () => {
  test("unknown field, duplicate, #REF!, unrecognised name, missing source and missing required field", async () => {
    const wb = workbookWith({
      "MTD.SE.shop.periodIncome.turnover": [1],
      [`MTD.SE.${SHOP_ID}.PERIODINCOME.TURNOVER`]: [2],
      "MTD.SE.shop.periodExpenses.stationery": [3],
      "MTD.Total": [6],
    });
    wb.defineName("MTD.SE.shop.periodExpenses.adminCosts", "=#REF!");
    wb.defineName("MTD.FP.FRA.income.rentIncome.rentAmount", `=${SHEET}!$B$6:$C$6`);
    const problems = mappingProblems(await wb.readNames("MTD."), {
      taxYear: TY25,
      aliases: ALIASES,
      expected: [{ type: "self-employment", key: "shop" }, { type: "uk-property" }],
      required: { "foreign-property": ["income.rentIncome.rentAmount", "income.premiumsOfLeaseGrant"] },
    });
    expect(problems.map((p) => [p.name, p.address])).toEqual([
      ["MTD.Total", "Records!B5"],
      ["MTD.SE.shop.periodExpenses.adminCosts", "=#REF!"],
      ["MTD.SE.shop.periodExpenses.stationery", "Records!B4"],
      ["MTD.SE.shop.periodIncome.turnover", "Records!B2"],
      [`MTD.SE.${SHOP_ID}.PERIODINCOME.TURNOVER`, "Records!B3"],
      ["MTD.FP.FRA.income.rentIncome.rentAmount", "Records!B6:C6"],
      ["", ""],
      ["", ""],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^The name MTD\.Total does not follow the pattern MTD\.UKP\.<field>/),
      expect.stringMatching(/points at #REF! because the cells it referred to were deleted/),
      expect.stringMatching(/^The name MTD\.SE\.shop\.periodExpenses\.stationery does not match any self-employment field HMRC accepts for 2025-26/),
      `MTD.SE.shop.periodIncome.turnover and MTD.SE.${SHOP_ID}.PERIODINCOME.TURNOVER both map to periodIncome.turnover; delete all but one in Formulas ▸ Name Manager.`,
      `MTD.SE.${SHOP_ID}.PERIODINCOME.TURNOVER and MTD.SE.shop.periodIncome.turnover both map to periodIncome.turnover; delete all but one in Formulas ▸ Name Manager.`,
      expect.stringMatching(/refers to B6:C6 \(1 row × 2 columns\); it must be one cell/),
      "No cells are mapped for UK property: name the cells holding its figures, for example MTD.UKP.income.periodAmount.",
      "Foreign property FRA needs “SA106 box FOR16: Premiums paid for the grant of a lease”: name the cell holding it MTD.FP.FRA.income.premiumsOfLeaseGrant.",
    ]);
    expect(problems[7]).toMatchObject({ field: "income.premiumsOfLeaseGrant", severity: "error" });
  });

  test("keys that identify no business HMRC knows: SE without a business ID, FP by country from 2026-27", async () => {
    const wb = workbookWith({
      "MTD.SE.garage.periodIncome.turnover": [1],
      "MTD.FP.FRA.income.rentIncome.rentAmount": [1],
      "MTD.FP.villa.income.rentIncome.rentAmount": [1],
    });
    const names = await wb.readNames("MTD.");
    const in2026 = mappingProblems(names, { taxYear: TY26, aliases: ALIASES });
    expect(in2026.map((p) => [p.name, p.address])).toEqual([
      ["MTD.SE.garage.periodIncome.turnover", "Records!B2"],
      ["MTD.FP.FRA.income.rentIncome.rentAmount", "Records!B3"],
    ]);
    expect(in2026[0]!.message).toMatch(/“garage”, which is neither a business ID nor an alias of one/);
    expect(in2026[1]!.message).toMatch(/from 2026-27 HMRC identifies each foreign property by its property ID/);
    const in2025 = mappingProblems(names, { taxYear: TY25, aliases: ALIASES });
    expect(in2025.map((p) => p.name)).toEqual(["MTD.SE.garage.periodIncome.turnover", "MTD.FP.villa.income.rentIncome.rentAmount"]);
    expect(in2025[1]!.message).toMatch(/not a three-letter country code/);
  });

  test("a clean mapping has no problems", async () => {
    const wb = workbookWith({ "MTD.SE.shop.periodIncome.turnover": [1, 2, 3, 4], "MTD.UKP.income.periodAmount": [1] });
    expect(mappingProblems(await wb.readNames("MTD."), { taxYear: TY26, aliases: ALIASES, expected: [{ type: "self-employment", key: SHOP_ID }] })).toEqual([]);
  });
});
