/**
 * Issue #6, end to end: quarterly (cumulative) updates prepared from a workbook by the code the task pane and
 * CLI share (prepareQuarterlyUpdate), sent through the relay to the local HMRC sandbox, for every business type,
 * both tax years, quarters 1–4 in order, and each way of keeping the figures (year-to-date cells, quarter cells,
 * ledger). After each send the sandbox's stored figures, its BISS and the obligation are checked against what
 * the test computes from the pence it put into the workbook. One sandbox per tax year, its clock after the
 * year's end so every quarter may be sent; each shape uses its own taxpayer, so their submissions never meet.
 */
import type { BissResponse, CumulativeBusinessType, ObligationsResponse, QuarterNumber, TaxYear } from "../../src/mtd";
import { penceToPounds, poundsToPence, quarterOf, type Pence } from "../../src/mtd";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { prepareQuarterlyUpdate, RETRIEVE_ENDPOINT, type PreparedUpdate } from "../../src/workbook/quarterly-update";
import { mappingFromSettings } from "../../src/workbook/workbook-mapping";
import { connectSession, startLoopback, type Loopback } from "../support/loopback";
import { booksFor, PROPERTY_ALIASES, settingsFor, SHAPES, workbookFor, yearToDate, nameOf, type Book, type Shape } from "../support/quarterly-books";
import { RelayHmrc, type RelayAnswer } from "../support/relay-hmrc";

type Account = Shape | "refused";
/** One taxpayer per shape, and one for the refusals. */
const NINOS: Readonly<Record<Account, string>> = { "year-to-date": "AA123456A", quarters: "AB123456A", ledger: "AC123456A", refused: "AE123456A" };

const YEARS = [
  { taxYear: "2025-26" as TaxYear, clock: "2026-05-20T10:00:00Z" },
  { taxYear: "2026-27" as TaxYear, clock: "2027-05-20T10:00:00Z" },
];
const TYPES: readonly CumulativeBusinessType[] = ["self-employment", "uk-property", "foreign-property"];
const QUARTERS: readonly QuarterNumber[] = [1, 2, 3, 4];

interface Taxpayer {
  readonly nino: string;
  readonly hmrc: RelayHmrc;
  /** 2026-27 on: property alias → the propertyId HMRC gave it. */
  readonly propertyIds: Readonly<Record<string, string>>;
}

// ---- what HMRC should hold, from the books' pence ------------------------------------------------------

/** The standard quarters' end dates, written out rather than taken from src/mtd. */
function quarterEnds(taxYear: TaxYear): readonly string[] {
  const y = Number(taxYear.slice(0, 4));
  return [`${y}-07-05`, `${y}-10-05`, `${y + 1}-01-05`, `${y + 1}-04-05`];
}

/** Year-to-date pence by field, `<entry id>:` in front for foreign property (its country code or propertyId). */
function expectedFigures(book: Book, quarter: QuarterNumber, propertyIds: Readonly<Record<string, string>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of book.entries) {
    const prefix = book.type === "foreign-property" ? `${propertyIds[entry.key!] ?? entry.key}:` : "";
    for (const field of entry.fields) {
      const ytd = yearToDate(field, quarter);
      if (ytd !== undefined) out[`${prefix}${field.path}`] = ytd;
    }
  }
  return out;
}

/** Every leaf below `value` by dotted path: amounts in pence, anything else as it is. */
function leaves(value: unknown, prefix: string, out: Record<string, unknown>): void {
  if (typeof value === "number") out[prefix] = poundsToPence(value);
  else if (typeof value === "object" && value !== null && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = value;
}

/** The figures a cumulative retrieve answered, in expectedFigures' shape, and the period it covers. */
function storedFigures(type: CumulativeBusinessType, body: Record<string, unknown>): { period: [unknown, unknown]; figures: Record<string, unknown> } {
  const figures: Record<string, unknown> = {};
  if (type === "self-employment") {
    const { periodDates, ...rest } = body as { periodDates: { periodStartDate: string; periodEndDate: string } };
    leaves(rest, "", figures);
    return { period: [periodDates.periodStartDate, periodDates.periodEndDate], figures };
  }
  if (type === "uk-property") leaves(body.ukProperty, "", figures);
  else {
    for (const entry of body.foreignProperty as Array<Record<string, unknown>>) {
      const { countryCode, propertyId, ...rest } = entry;
      const part: Record<string, unknown> = {};
      leaves(rest, "", part);
      for (const [k, v] of Object.entries(part)) figures[`${String(propertyId ?? countryCode)}:${k}`] = v;
    }
  }
  return { period: [body.fromDate, body.toDate], figures };
}

/**
 * BISS as HMRC defines it (src/sandbox/README.md "BISS"): tax paid or deducted is not income; residential
 * finance costs are not expenses (they give a tax reduction); SE disallowable expenses are added back.
 */
function expectedBiss(type: CumulativeBusinessType, figures: Record<string, number>): BissResponse {
  let income = 0;
  let expenses = 0;
  let disallowable = 0;
  for (const [key, pence] of Object.entries(figures)) {
    const path = key.slice(key.indexOf(":") + 1);
    const [section] = path.split(".");
    if (/taxTakenOff|taxDeducted|foreignTaxPaid|specialWithholding/.test(path)) continue;
    if (/residentialFinancialCost|broughtFwdResidentialFinancialCost/.test(path)) continue;
    if (section === "periodIncome" || section === "income") income += pence;
    else if (section === "periodExpenses" || section === "expenses") expenses += pence;
    else if (section === "periodDisallowableExpenses") disallowable += pence;
    else throw new Error(`expectedBiss does not know ${path}`);
  }
  const net = income - expenses;
  const taxable = net + disallowable;
  const pounds = (p: number) => penceToPounds(Math.max(0, p) as Pence);
  return {
    total: { income: pounds(income), expenses: pounds(expenses), ...(disallowable !== 0 ? { additions: pounds(disallowable) } : {}) },
    profit: { net: pounds(net), taxable: pounds(taxable), adjusted: pounds(net + disallowable) },
    loss: { net: pounds(-net), taxable: pounds(-taxable) },
  };
}

// ---- the task pane's part: prepare, and send only what preparation allows ------------------------------------

const errorsOf = (u: PreparedUpdate) => u.problems.filter((p) => p.severity === "error");

async function prepare(shape: Shape, books: readonly Book[], type: CumulativeBusinessType, taxYear: TaxYear, quarter: QuarterNumber, payer: Taxpayer, edit?: (cells: ReadonlyMap<string, string>, wb: InMemoryWorkbook) => void) {
  const book = books.find((b) => b.type === type)!;
  const { wb, cells } = await workbookFor(shape, books, taxYear, quarter, settingsFor(shape, books, payer.propertyIds));
  edit?.(cells, wb);
  const mapping = mappingFromSettings(await wb.readSettings());
  const update = await prepareQuarterlyUpdate(wb, { target: { type, businessId: book.businessId }, quarter: quarterOf(taxYear, "standard", quarter), mapping });
  return { book, update, cells };
}

/** Sends the prepared body as the task pane does; nothing leaves when preparation refused it. */
async function send(payer: Taxpayer, book: Book, taxYear: TaxYear, update: PreparedUpdate): Promise<RelayAnswer | undefined> {
  if (!update.canSubmit || !update.body) return undefined;
  return payer.hmrc.call(update.endpoint, { nino: payer.nino, businessId: book.businessId, taxYear }, { body: update.body });
}

const retrieve = (payer: Taxpayer, book: Book, taxYear: TaxYear) => payer.hmrc.call(RETRIEVE_ENDPOINT[book.type], { nino: payer.nino, businessId: book.businessId, taxYear });

describe.each(YEARS)("quarterly updates for $taxYear through the relay", ({ taxYear, clock }) => {
  const books = booksFor(taxYear);
  const payers = {} as Record<Account, Taxpayer>;
  let loop: Loopback;

  beforeAll(async () => {
    // The relay's per-user rate limit would throttle this many calls in a few seconds: it is tested elsewhere.
    loop = await startLoopback({ sandbox: { now: () => new Date(clock) }, env: { RATE_LIMIT_PER_MINUTE: "0" } });
    for (const account of [...SHAPES, "refused"] as Account[]) {
      const nino = NINOS[account];
      const hmrc = new RelayHmrc(loop.relayUrl, await connectSession(loop, nino));
      const propertyIds: Record<string, string> = {};
      if (taxYear !== "2025-26") {
        // From 2026-27 HMRC takes foreign figures per property: create each one and record its ID as an alias.
        for (const [i, alias] of PROPERTY_ALIASES.entries()) {
          const created = await hmrc.call("property.foreign.details.create", { nino, businessId: books[2]!.businessId, taxYear }, { body: { propertyName: `Test ${alias}`, countryCode: i === 0 ? "FRA" : "ESP" } });
          expect(created.status).toBe(200);
          propertyIds[alias] = (created.body as { propertyId: string }).propertyId;
        }
      }
      payers[account] = { nino, hmrc, propertyIds };
    }
  });

  afterAll(async () => {
    await loop?.close();
  });

  describe.each(TYPES)("%s", (type) => {
    describe.each(SHAPES)("from %s", (shape) => {
      test.each(QUARTERS)("quarter %i: stored figures, BISS and obligation match the workbook", async (quarter) => {
        const payer = payers[shape];
        const { book, update } = await prepare(shape, books, type, taxYear, quarter, payer);
        expect(errorsOf(update)).toEqual([]);
        expect(update.mode).toBe(shape === "ledger" ? "ledger" : "names");

        const sent = await send(payer, book, taxYear, update);
        expect(sent).toMatchObject({ status: 204 });

        const expected = expectedFigures(book, quarter, payer.propertyIds);
        const stored = await retrieve(payer, book, taxYear);
        expect(stored.status).toBe(200);
        const { period, figures } = storedFigures(type, stored.body as Record<string, unknown>);
        expect(period).toEqual([`${taxYear.slice(0, 4)}-04-06`, quarterEnds(taxYear)[quarter - 1]]);
        expect(figures).toEqual(expected);

        const biss = await payer.hmrc.call("biss.retrieve", { nino: payer.nino, typeOfBusiness: type, taxYear, businessId: book.businessId });
        expect(biss).toEqual({ status: 200, body: expectedBiss(type, expected) });

        const y = Number(taxYear.slice(0, 4));
        const obligations = await payer.hmrc.call("obligations.income-and-expenditure", { nino: payer.nino }, {
          query: { typeOfBusiness: type, businessId: book.businessId, fromDate: `${y}-04-06`, toDate: `${y + 1}-04-05` },
        });
        expect(obligations.status).toBe(200);
        const details = (obligations.body as ObligationsResponse).obligations.find((o) => o.businessId === book.businessId)!.obligationDetails;
        expect(quarterEnds(taxYear).map((end) => details.find((d) => d.periodEndDate === end)?.status)).toEqual(QUARTERS.map((q) => (q <= quarter ? "fulfilled" : "open")));
      });
    });
  });

  /** Each type refused for a text cell in a different shape; the quarter before it was sent and must stay. */
  const REFUSALS: ReadonlyArray<{ type: CumulativeBusinessType; shape: Shape; field: string; text: string }> = [
    { type: "self-employment", shape: "year-to-date", field: "periodIncome.turnover", text: "about 26,000" },
    { type: "uk-property", shape: "quarters", field: "expenses.repairsAndMaintenance", text: "see invoice" },
    { type: "foreign-property", shape: "ledger", field: "income.rentIncome.rentAmount", text: "TBC" },
  ];

  test.each(REFUSALS)("$type from $shape: a text cell is refused at its cell and nothing reaches HMRC", async ({ type, shape, field, text }) => {
    const payer = payers.refused;
    const first = await prepare(shape, books, type, taxYear, 1, payer);
    expect(await send(payer, first.book, taxYear, first.update)).toMatchObject({ status: 204 });
    const before = await retrieve(payer, first.book, taxYear);
    const receiptFilter = { businessId: first.book.businessId, endpoint: first.update.endpoint, taxYear };
    expect(await payer.hmrc.receipts(receiptFilter)).toHaveLength(1);

    const entry = first.book.entries[0]!;
    const name = nameOf(first.book, entry, entry.fields.find((f) => f.path === field)!);
    let address = "";
    const { update } = await prepare(shape, books, type, taxYear, 2, payer, (cells, wb) => {
      address = cells.get(`${name}#2`)!;
      wb.enterAt(address, text);
    });
    expect(update.canSubmit).toBe(false);
    expect(update.body).toBeUndefined();
    expect(errorsOf(update)).toEqual([expect.objectContaining({ address, message: expect.stringContaining(text) })]);

    expect(await send(payer, first.book, taxYear, update)).toBeUndefined();
    expect(await payer.hmrc.receipts(receiptFilter)).toHaveLength(1);
    expect(await retrieve(payer, first.book, taxYear)).toEqual(before);
  });
});
