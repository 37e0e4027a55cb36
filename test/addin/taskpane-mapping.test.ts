/**
 * The "Your figures" step in Node: the real MappingActions over an in-memory workbook (selections, names,
 * tables, settings) and the real relay client over a fake relay playing HMRC's foreign property details.
 */
import { randomUUID } from "node:crypto";
import { MappingActions } from "../../src/addin/taskpane/mapping-actions";
import { confirmBlocker, selectionProblem, suggestAlias } from "../../src/addin/taskpane/mapping-state";
import { initialState, type AppState } from "../../src/addin/taskpane/state";
import { Store } from "../../src/addin/taskpane/store";
import { RelayClient } from "../../src/addin/relay-client";
import type { Nino, TaxYear } from "../../src/mtd";
import type { UpdatableBusiness } from "../../src/addin/taskpane/model";
import { nameFor, parseMtdName } from "../../src/workbook/cumulative-figures";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { FakeRelay, NINO } from "./fake-relay";

const SE_ID = "XBIS12345678901";
const UKP_ID = "XPIS12345678901";
const FP_ID = "XFIS12345678901";

const BUSINESSES: Record<string, UpdatableBusiness> = {
  [SE_ID]: { typeOfBusiness: "self-employment", businessId: SE_ID, tradingName: "Plastering" },
  [UKP_ID]: { typeOfBusiness: "uk-property", businessId: UKP_ID },
  [FP_ID]: { typeOfBusiness: "foreign-property", businessId: FP_ID },
};

interface Property {
  propertyId: string;
  propertyName: string;
  countryCode: string;
}

/** HMRC's foreign property details behind the fake relay: GET lists (404 when none), POST creates. */
function foreignDetails(relay: FakeRelay, properties: Property[]): void {
  relay.answer = (r) => {
    if (!r.path.startsWith(`/api/hmrc/individuals/business/property/foreign/${NINO}/${FP_ID}/details/`)) return undefined;
    if (r.method === "GET") {
      return properties.length === 0 ? { status: 404, body: { code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" } } : { status: 200, body: { foreignPropertyDetails: properties } };
    }
    const body = r.body as { propertyName: string; countryCode: string };
    if (properties.some((p) => p.countryCode === body.countryCode && p.propertyName.toLowerCase() === body.propertyName.toLowerCase())) {
      return { status: 400, body: { code: "RULE_DUPLICATE_PROPERTY_NAME", message: "duplicate" } };
    }
    const property = { propertyId: randomUUID(), ...body };
    properties.push(property);
    return { status: 200, body: { propertyId: property.propertyId } };
  };
}

function setup(businessId: string, taxYear: string, workbook = new InMemoryWorkbook()) {
  if (workbook.sheets().length === 0) workbook.addSheet("Figures");
  const relay = new FakeRelay();
  const client = new RelayClient({ fetch: relay.fetch, sessionToken: () => "session-token" });
  const base = initialState(taxYear as TaxYear);
  const store = new Store<AppState>({
    ...base,
    host: "ready",
    connection: { status: "connected", environment: "local-sandbox" },
    taxpayer: { nino: NINO as Nino, taxYear: taxYear as TaxYear, editing: false },
    businesses: { status: "ready", value: Object.values(BUSINESSES) },
    businessId,
  });
  const announcements: string[] = [];
  let confirmations = 0;
  const actions = new MappingActions(store, { workbook, relay: client, announce: (m) => announcements.push(m) }, async () => {
    confirmations += 1;
  });
  return { relay, store, workbook, actions, announcements, confirmations: () => confirmations, mapping: () => store.state.mapping };
}

function field(state: AppState["mapping"], groupId: string, path: string) {
  return state.names?.groups.find((g) => g.id === groupId)?.fields.find((f) => f.path === path);
}

describe("nameFor", () => {
  test.each([
    [{ type: "uk-property" } as const, "income.periodAmount", "MTD.UKP.income.periodAmount"],
    [{ type: "self-employment", key: "shop" } as const, "periodIncome.turnover", "MTD.SE.shop.periodIncome.turnover"],
    [{ type: "foreign-property", countryOrPropertyId: "FRA" } as const, "income.rentIncome.rentAmount", "MTD.FP.FRA.income.rentIncome.rentAmount"],
  ])("builds the name parseMtdName reads back: %j", (source, path, expected) => {
    const name = nameFor(source, path);
    expect(name).toBe(expected);
    expect(parseMtdName(name)).toMatchObject({ type: source.type, path });
  });

  test("refuses a property ID, which Excel names cannot hold, saying to use a short name", () => {
    expect(() => nameFor({ type: "foreign-property", countryOrPropertyId: "8e8b8450-dc1b-4360-8109-7067337b42cb" }, "income.rentIncome.rentAmount")).toThrow(/short name/);
  });
});

describe("the pure decisions", () => {
  test("a selection is linkable as one cell or four in a line, and otherwise says what is selected", () => {
    expect(selectionProblem({ address: "Figures!C5", rowCount: 1, columnCount: 1 })).toBeUndefined();
    expect(selectionProblem({ address: "Figures!C5:F5", rowCount: 1, columnCount: 4 })).toBeUndefined();
    expect(selectionProblem({ address: "Figures!C5:C8", rowCount: 4, columnCount: 1 })).toBeUndefined();
    expect(selectionProblem({ address: "Figures!C5:E5", rowCount: 1, columnCount: 3 })).toMatch(/^You have selected Figures!C5:E5 \(1 row × 3 columns\)\. Select one cell/);
  });

  test("a short name made from a property's name is a valid alias not already taken", () => {
    expect(suggestAlias("Villa Rosa, Nice", {})).toBe("Villa_Rosa_Nice");
    expect(suggestAlias("Villa Rosa, Nice", { villa_rosa_nice: "x" })).toBe("Villa_Rosa_Nice_2");
    expect(suggestAlias("12 Rue Blanche", {})).toBe("P_12_Rue_Blanche");
    expect(suggestAlias("東京", {})).toBe("Property");
  });
});

/** £1,200 of rents in Figures!C5, linked as MTD.UKP.income.periodAmount. */
function rentLinkedWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  wb.addSheet("Figures").enter(4, 2, 1200);
  wb.defineName("MTD.UKP.income.periodAmount", "=Figures!$C$5");
  return wb;
}

describe("named cells", () => {
  test("UK property with a linked figure and no problems is confirmed at once, and the periods are asked for", async () => {
    const t = setup(UKP_ID, "2026-27", rentLinkedWorkbook());
    await t.actions.load();
    expect(t.mapping()).toMatchObject({ confirmed: true, status: "ready", mode: "names" });
    expect(t.confirmations()).toBe(1);
    expect(field(t.mapping(), "ukp", "income.periodAmount")).toMatchObject({ name: "MTD.UKP.income.periodAmount", address: "Figures!C5", values: ["£1,200.00"] });
    expect(t.announcements.at(-1)).toMatch(/1 figure from named cells/);
  });

  test("unlinking removes the name, keeps the cells, and leaves the field free to link again", async () => {
    const t = setup(UKP_ID, "2026-27", rentLinkedWorkbook());
    await t.actions.load();
    await t.actions.unlink("ukp", "income.periodAmount");
    expect(t.workbook.getName("MTD.UKP.income.periodAmount")).toBeUndefined();
    expect(t.workbook.getSheet("Figures")!.getCell(4, 2)?.value).toBe(1200);
    expect(field(t.mapping(), "ukp", "income.periodAmount")?.name).toBeUndefined();
    expect(t.mapping().outcome).toMatchObject({ intent: "success", message: expect.stringMatching(/^Unlinked .*MTD\.UKP\.income\.periodAmount is removed; the cells \(Figures!C5\) are unchanged\.$/) });
    await t.actions.unlink("ukp", "income.periodAmount"); // nothing linked any more: nothing happens
    expect(t.workbook.names().filter((n) => n.name.startsWith("MTD."))).toEqual([]);
  });

  test("with nothing linked the editor opens; linking the selection names the cells, and Continue confirms", async () => {
    const t = setup(UKP_ID, "2026-27");
    await t.actions.load();
    expect(t.mapping().confirmed).toBe(false);
    expect(t.confirmations()).toBe(0);
    await t.actions.confirm();
    expect(t.mapping().outcome).toMatchObject({ target: "mapping-continue", intent: "error", message: expect.stringMatching(/Link at least one figure/) });

    const ws = t.workbook.getSheet("Figures")!;
    ws.enter(4, 2, 3000.1);
    ws.enter(4, 3, "n/a");
    t.workbook.select("Figures!C5:F5");
    await t.actions.linkSelection("ukp", "income.periodAmount");
    expect(field(t.mapping(), "ukp", "income.periodAmount")?.values).toEqual(["£3,000.10", "“n/a”", "blank", "blank"]);
    expect(t.workbook.getName("MTD.UKP.income.periodAmount")?.refersTo).toBe("=Figures!$C$5:$F$5");
    expect(field(t.mapping(), "ukp", "income.periodAmount")).toMatchObject({ address: "Figures!C5:F5", quarterly: true });
    expect(t.mapping().outcome).toMatchObject({ intent: "success", target: "mapping-field-ukp-income-periodAmount" });
    expect(t.announcements.at(-1)).toMatch(/Linked .* to Figures!C5:F5 \(quarters 1 to 4\)/);

    await t.actions.confirm();
    expect(t.mapping().confirmed).toBe(true);
    expect(t.confirmations()).toBe(1);
  });

  test("relinking a field keeps its name, so it never has two", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Figures");
    wb.defineName("mtd.ukp.INCOME.periodAmount", "=Figures!$C$5");
    const t = setup(UKP_ID, "2026-27", wb);
    await t.actions.load();
    await t.actions.edit();
    t.workbook.select("Figures!D9");
    await t.actions.linkSelection("ukp", "income.periodAmount");
    expect(t.workbook.names().filter((n) => n.name.toLowerCase() === "mtd.ukp.income.periodamount")).toEqual([{ name: "mtd.ukp.INCOME.periodAmount", refersTo: "=Figures!$D$9" }]);
    expect(t.mapping().names?.problems).toEqual([]);
  });

  test("a selection of the wrong shape, or of several blocks, is refused with what is selected, and names nothing", async () => {
    const t = setup(UKP_ID, "2026-27");
    await t.actions.load();
    t.workbook.select("Figures!C5:D6");
    await t.actions.linkSelection("ukp", "income.periodAmount");
    expect(t.mapping().outcome).toMatchObject({ intent: "error", message: expect.stringMatching(/^You have selected Figures!C5:D6 \(2 rows × 2 columns\)/) });
    t.workbook.select("Figures!C5,E7");
    await t.actions.linkSelection("ukp", "income.periodAmount");
    expect(t.mapping().outcome).toMatchObject({ intent: "error", message: expect.stringMatching(/^Select one block of cells/) });
    expect(t.workbook.names()).toEqual([]);
    expect(t.mapping().busy).toBeUndefined();
  });

  test("a name with a problem keeps the editor open and shows the problem with its cell", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Figures");
    wb.defineName("MTD.UKP.income.periodAmount", "=Figures!$C$5");
    wb.defineName("MTD.UKP.expenses.repairsAndMaintenence", "=Figures!$C$6");
    const t = setup(UKP_ID, "2026-27", wb);
    await t.actions.load();
    expect(t.mapping().confirmed).toBe(false);
    expect(t.mapping().names?.problems).toEqual([expect.objectContaining({ severity: "error", address: "Figures!C6", message: expect.stringMatching(/Did you mean MTD\.UKP\.expenses\.repairsAndMaintenance/) })]);
    expect(confirmBlocker(t.mapping())).toMatch(/Fix the problems/);
  });

  test("self-employment: a short name is saved for the business and new names use it", async () => {
    const t = setup(SE_ID, "2026-27");
    await t.actions.load();
    expect(t.mapping().names?.groups[0]).toMatchObject({ id: "se", key: SE_ID, aliases: [] });
    await t.actions.saveAlias("se", "1shop");
    expect(t.mapping().outcome).toMatchObject({ target: "mapping-alias-se", intent: "error", message: expect.stringMatching(/starts with a letter/) });
    expect(t.mapping().drafts).toMatchObject({ "mapping-alias-se-input": "1shop" }); // kept for another try

    await t.actions.saveAlias("se", " shop ");
    expect(await t.workbook.readSettings()).toMatchObject({ "alias.shop": SE_ID });
    expect(t.mapping().names?.groups[0]).toMatchObject({ key: "shop", aliases: ["shop"] });
    expect(t.mapping().drafts?.["mapping-alias-se-input"]).toBeUndefined();

    t.workbook.select("Figures!B2");
    await t.actions.linkSelection("se", "periodIncome.turnover");
    expect(t.workbook.getName("MTD.SE.shop.periodIncome.turnover")?.refersTo).toBe("=Figures!$B$2");
    expect(field(t.mapping(), "se", "periodIncome.turnover")).toMatchObject({ name: "MTD.SE.shop.periodIncome.turnover", address: "Figures!B2" });
  });

  test("self-employment: a short name standing for another business is refused", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Figures");
    await wb.writeSettings({ "alias.shop": "XAIS00000000001" });
    const t = setup(SE_ID, "2026-27", wb);
    await t.actions.load();
    await t.actions.saveAlias("se", "SHOP");
    expect(t.mapping().outcome?.message).toMatch(/already stands for XAIS00000000001/);
    expect(await t.workbook.readSettings()).toEqual({ "alias.shop": "XAIS00000000001" });
  });

  test("self-employment: names under a short name nobody has are offered, and claiming it links them", async () => {
    const wb = new InMemoryWorkbook();
    const ws = wb.addSheet("Figures");
    ws.enter(1, 1, 5000);
    wb.defineName("MTD.SE.shop.periodIncome.turnover", "=Figures!$B$2");
    const t = setup(SE_ID, "2026-27", wb);
    await t.actions.load();
    expect(t.mapping()).toMatchObject({ confirmed: false, names: { unclaimedKeys: ["shop"], linked: 0 } });
    await t.actions.saveAlias("se", "shop");
    expect(t.mapping().names).toMatchObject({ unclaimedKeys: [], linked: 1 });
    await t.actions.confirm();
    expect(t.confirmations()).toBe(1);
  });

  test("the allowance and the mode are saved as the business's settings", async () => {
    const t = setup(SE_ID, "2026-27");
    await t.actions.load();
    await t.actions.saveChoices("names", true);
    expect(await t.workbook.readSettings()).toMatchObject({ [`business.${SE_ID}.mode`]: "names", [`business.${SE_ID}.allowance`]: "trading" });
    expect(t.mapping()).toMatchObject({ allowance: true, outcome: { intent: "success", message: expect.stringMatching(/trading allowance, so updates carry income only/) } });
  });
});

describe("foreign property", () => {
  test("2025-26: a country is added by its code and its figures are named by it", async () => {
    const t = setup(FP_ID, "2025-26");
    await t.actions.load();
    expect(t.mapping()).toMatchObject({ confirmed: false, foreign: { byProperty: false }, names: { groups: [] } });
    await t.actions.addCountry("France", "");
    expect(t.mapping().outcome?.message).toMatch(/three-letter code/);
    await t.actions.addCountry(" fra ", "");
    expect(t.mapping().names?.groups.map((g) => [g.id, g.key])).toEqual([["fp-FRA", "FRA"]]);
    t.workbook.select("Figures!C3:C6");
    await t.actions.linkSelection("fp-FRA", "income.rentIncome.rentAmount");
    expect(t.workbook.getName("MTD.FP.FRA.income.rentIncome.rentAmount")?.refersTo).toBe("=Figures!$C$3:$C$6");
    expect(t.relay.hmrcCalls()).toEqual([]); // 2025-26 is by country: nothing to ask HMRC
  });

  test("2025-26: a country with a short name gets names under the short name", async () => {
    const t = setup(FP_ID, "2025-26");
    await t.actions.load();
    await t.actions.addCountry("ESP", "Spain");
    expect(await t.workbook.readSettings()).toMatchObject({ "alias.Spain": "ESP" });
    t.workbook.select("Figures!D4");
    await t.actions.linkSelection("fp-ESP", "income.rentIncome.rentAmount");
    expect(t.workbook.getName("MTD.FP.Spain.income.rentIncome.rentAmount")).toBeDefined();
    expect(t.mapping().names?.linked).toBe(1);
  });

  test("2026-27: with no properties at HMRC yet, adding one creates it and records a short name for its ID", async () => {
    const properties: Property[] = [];
    const t = setup(FP_ID, "2026-27");
    foreignDetails(t.relay, properties);
    await t.actions.load();
    expect(t.mapping()).toMatchObject({ confirmed: false, foreign: { byProperty: true, properties: [] }, names: { groups: [] } });

    await t.actions.addProperty("Villa Rosa", "fra", "");
    const post = t.relay.hmrcCalls("POST")[0]!;
    expect(post.path).toBe(`/api/hmrc/individuals/business/property/foreign/${NINO}/${FP_ID}/details/2026-27`);
    expect(post.body).toEqual({ propertyName: "Villa Rosa", countryCode: "FRA" });
    const id = properties[0]!.propertyId;
    expect(await t.workbook.readSettings()).toMatchObject({ "alias.Villa_Rosa": id });
    expect(t.mapping().names?.groups).toEqual([expect.objectContaining({ id: `fp-${id}`, title: "Villa Rosa (FRA)", key: "Villa_Rosa", entry: id })]);

    t.workbook.select("Figures!B2");
    await t.actions.linkSelection(`fp-${id}`, "income.rentIncome.rentAmount");
    expect(t.workbook.getName("MTD.FP.Villa_Rosa.income.rentIncome.rentAmount")?.refersTo).toBe("=Figures!$B$2");

    // Opened again later: the property, its short name and its linked cell are all found, so nothing blocks.
    const again = new MappingActions(t.store, { workbook: t.workbook, relay: new RelayClient({ fetch: t.relay.fetch, sessionToken: () => "s" }), announce: () => undefined }, async () => undefined);
    again.reset();
    await again.load();
    expect(t.store.state.mapping.confirmed).toBe(true);
  });

  test("2026-27: HMRC's refusal is shown in plain English and what was typed is kept", async () => {
    const t = setup(FP_ID, "2026-27");
    foreignDetails(t.relay, [{ propertyId: randomUUID(), propertyName: "Flat", countryCode: "ESP" }]);
    await t.actions.load();
    await t.actions.addProperty("flat", "ESP", "");
    expect(t.mapping().outcome).toMatchObject({ target: "mapping-property", intent: "error", message: expect.stringMatching(/already has a property called “flat” in ESP/) });
    expect(t.relay.hmrcCalls("POST")).toEqual([]);
    expect(t.mapping().drafts).toMatchObject({ "mapping-property-name": "flat", "mapping-property-country": "ESP" });
  });

  test("2026-27: a property HMRC lists without a short name cannot be linked until it has one", async () => {
    const id = randomUUID();
    const t = setup(FP_ID, "2026-27");
    foreignDetails(t.relay, [{ propertyId: id, propertyName: "Casa Azul", countryCode: "PRT" }]);
    await t.actions.load();
    const group = t.mapping().names!.groups[0]!;
    expect(group.suggestedAlias).toBe("Casa_Azul");
    expect(group.key).toBeUndefined();
    t.workbook.select("Figures!B2");
    await t.actions.linkSelection(group.id, "income.rentIncome.rentAmount");
    expect(t.mapping().outcome?.message).toMatch(/short name first/);
    expect(t.workbook.names()).toEqual([]);
    await t.actions.saveAlias(group.id, "Azul");
    expect(await t.workbook.readSettings()).toMatchObject({ "alias.Azul": id });
    await t.actions.linkSelection(group.id, "income.rentIncome.rentAmount");
    expect(t.workbook.getName("MTD.FP.Azul.income.rentIncome.rentAmount")).toBeDefined();
  });
});

describe("foreign property when HMRC cannot be reached", () => {
  test("2026-27: the failure is shown, names are not called wrong, and Continue says to try again", async () => {
    const id = randomUUID();
    const wb = new InMemoryWorkbook();
    wb.addSheet("Figures");
    wb.defineName("MTD.FP.Villa.income.rentIncome.rentAmount", "=Figures!$B$2");
    await wb.writeSettings({ "alias.Villa": id });
    const t = setup(FP_ID, "2026-27", wb);
    t.relay.answer = (r) => (r.path.includes("/details/") ? { status: 503, body: { code: "SERVICE_UNAVAILABLE", message: "down" } } : undefined);
    await t.actions.load();
    expect(t.mapping().confirmed).toBe(false);
    expect(t.mapping().foreign).toMatchObject({ byProperty: true, error: expect.stringMatching(/^Could not fetch your foreign properties from HMRC: /) });
    expect(t.mapping().names?.problems).toEqual([]);
    expect(confirmBlocker(t.mapping())).toMatch(/could not fetch your foreign properties/);

    foreignDetails(t.relay, [{ propertyId: id, propertyName: "Villa", countryCode: "FRA" }]);
    await t.actions.recheck();
    expect(t.mapping().names?.linked).toBe(1);
    expect(t.mapping().outcome).toMatchObject({ target: "mapping-continue", intent: "success" });
  });
});

describe("ledger mode", () => {
  function ledgerWorkbook(categoryField: string): InMemoryWorkbook {
    const wb = new InMemoryWorkbook();
    const ledger = wb.addSheet("Ledger");
    const rows = [
      ["Date", "Amount", "Category", "Business"],
      ["2026-05-01", 950, "Rent", "UK property"],
      ["2026-06-01", 950, "Rent", "UK property"],
      ["2026-06-03", 80, "Sales", SE_ID],
    ];
    rows.forEach((row, r) => row.forEach((v, c) => ledger.enter(r, c, v)));
    wb.addTable("Ledger", { top: 0, left: 0, bottom: rows.length - 1, right: 3 }, "MTD_Ledger");
    const map = wb.addSheet("Categories");
    [["Category", "Business type", "HMRC field"], ["Rent", "UK property", categoryField]].forEach((row, r) => row.forEach((v, c) => map.enter(r, c, v)));
    wb.addTable("Categories", { top: 0, left: 0, bottom: 1, right: 2 }, "MTD_CategoryMap");
    return wb;
  }

  test("without the tables it says which are missing, and Continue refuses", async () => {
    const t = setup(UKP_ID, "2026-27");
    await t.actions.load();
    await t.actions.saveChoices("ledger", false);
    expect(await t.workbook.readSettings()).toMatchObject({ [`business.${UKP_ID}.mode`]: "ledger" });
    expect(t.mapping()).toMatchObject({ mode: "ledger", ledger: { categoryMap: false, transactions: 0 } });
    expect(t.mapping().ledger?.ledgerRows).toBeUndefined();
    await t.actions.confirm();
    expect(t.mapping()).toMatchObject({ confirmed: false, outcome: { intent: "error", message: expect.stringMatching(/MTD_Ledger and MTD_CategoryMap/) } });
  });

  test("with both tables and a sound category map it is confirmed at once, counting this business's transactions", async () => {
    const wb = ledgerWorkbook("income.periodAmount");
    await wb.writeSettings({ [`business.${UKP_ID}.mode`]: "ledger" });
    const t = setup(UKP_ID, "2026-27", wb);
    const progress: unknown[] = [];
    t.store.subscribe((s) => s.mapping.progress && progress.push(s.mapping.progress));
    await t.actions.load();
    expect(progress).toEqual([{ read: 3, total: 3 }]);
    expect(t.mapping()).toMatchObject({ confirmed: true, ledger: { ledgerRows: 3, categoryMap: true, transactions: 2, problems: [] } });
    expect(t.mapping().ledger?.categories).toEqual([{ category: "Rent", label: expect.stringMatching(/^SA105 box PRO20/) }]);
    expect(t.mapping().progress).toBeUndefined();
    expect(t.confirmations()).toBe(1);
  });

  test("a category mapped to no HMRC field keeps the editor open, naming the cell", async () => {
    const wb = ledgerWorkbook("income.rents");
    await wb.writeSettings({ [`business.${UKP_ID}.mode`]: "ledger" });
    const t = setup(UKP_ID, "2026-27", wb);
    await t.actions.load();
    expect(t.mapping().confirmed).toBe(false);
    expect(t.mapping().ledger?.problems).toEqual([expect.objectContaining({ severity: "error", address: "Categories!C2" })]);
  });
});

describe("changing business", () => {
  test("reset clears the step, and an answer for the old business is dropped", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Figures");
    wb.defineName("MTD.UKP.income.periodAmount", "=Figures!$C$5");
    const t = setup(UKP_ID, "2026-27", wb);
    const loading = t.actions.load();
    t.actions.reset();
    await loading;
    expect(t.mapping()).toMatchObject({ confirmed: false, status: "idle" });
    expect(t.confirmations()).toBe(0);
  });
});
