/**
 * The "Your figures" view rendered in Node over a small stand-in for the DOM (enough for dom.ts's `h()`:
 * elements, attributes, text, listeners), driven by the real MappingActions: what a keyboard or screen
 * reader user meets — labels, grouped fields, the outcome focused — and that its buttons do what they say.
 */
import type { TaskpaneController } from "../../src/addin/taskpane/controller";
import { MappingActions } from "../../src/addin/taskpane/mapping-actions";
import { initialState, type AppState } from "../../src/addin/taskpane/state";
import { Store } from "../../src/addin/taskpane/store";
import { mappingStep } from "../../src/addin/taskpane/views/mapping";
import type { IsoDate, Nino, TaxYear } from "../../src/mtd";
import type { UpdatableBusiness } from "../../src/addin/taskpane/model";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";

type Listener = (event: unknown) => void;

class FakeText {
  constructor(public textContent: string) {}
}

class FakeElement {
  readonly children: Array<FakeElement | FakeText> = [];
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Listener[]>();
  className = "";
  tabIndex = 0;
  value = "";
  checked = false;
  constructor(readonly tagName: string) {}
  get id(): string {
    return this.attributes.get("id") ?? "";
  }
  set id(v: string) {
    this.attributes.set("id", v);
  }
  setAttribute(k: string, v: string): void {
    this.attributes.set(k, v);
  }
  removeAttribute(k: string): void {
    this.attributes.delete(k);
  }
  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }
  hasAttribute(k: string): boolean {
    return this.attributes.has(k);
  }
  addEventListener(type: string, l: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  appendChild<T extends FakeElement | FakeText>(c: T): T {
    this.children.push(c);
    return c;
  }
  get textContent(): string {
    return this.children.map((c) => c.textContent).join("");
  }
  fire(type: string): void {
    for (const l of this.listeners.get(type) ?? []) l({ preventDefault: () => undefined, currentTarget: this });
  }
  /** Every element below, depth first. */
  all(): FakeElement[] {
    return this.children.flatMap((c) => (c instanceof FakeElement ? [c, ...c.all()] : []));
  }
  byId(id: string): FakeElement | undefined {
    return this.all().find((e) => e.id === id);
  }
}
class FakeInput extends FakeElement {}
class FakeSelect extends FakeElement {}

beforeAll(() => {
  Object.assign(globalThis, {
    HTMLInputElement: FakeInput,
    HTMLSelectElement: FakeSelect,
    document: {
      createElement: (tag: string) => (tag === "input" ? new FakeInput(tag) : tag === "select" ? new FakeSelect(tag) : new FakeElement(tag)),
      createTextNode: (text: string) => new FakeText(text),
    },
  });
});

const SE_ID = "XBIS12345678901";
const TODAY = "2026-11-21" as IsoDate;

function setup() {
  const workbook = new InMemoryWorkbook();
  const ws = workbook.addSheet("Figures");
  ws.enter(1, 1, 5000);
  const business: UpdatableBusiness = { typeOfBusiness: "self-employment", businessId: SE_ID, tradingName: "Plastering" };
  const store = new Store<AppState>({
    ...initialState("2026-27" as TaxYear),
    host: "ready",
    connection: { status: "connected", environment: "local-sandbox" },
    taxpayer: { nino: "AA123456A" as Nino, taxYear: "2026-27" as TaxYear, editing: false },
    businesses: { status: "ready", value: [business] },
    businessId: SE_ID,
  });
  const relay = { hmrc: () => Promise.reject(new Error("no HMRC call expected")) };
  const mapping = new MappingActions(store, { workbook, relay, announce: () => undefined }, async () => undefined);
  const controller = { mapping } as unknown as TaskpaneController;
  const render = () => mappingStep.body(store.state, controller, TODAY) as unknown as FakeElement;
  return { workbook, store, mapping, render };
}

test("the editor labels every control, groups the fields, and a link button names the cells and focuses the outcome", async () => {
  const t = setup();
  expect(mappingStep.status(t.store.state)).toBe("current");
  await t.mapping.load();
  const view = t.render();

  // Mode and allowance: fieldsets with legends, the allowance checkbox described by its hint.
  expect(view.all().filter((e) => e.tagName === "legend").map((e) => e.textContent)).toEqual(["Where are this business's figures?", "Allowance"]);
  const allowance = view.byId("mapping-allowance")!;
  expect(allowance.getAttribute("aria-describedby")).toBe("mapping-allowance-hint");
  expect(view.byId("mapping-allowance-hint")?.textContent).toMatch(/income only/);
  // Every input has a label pointing at it.
  const labelled = new Set(view.all().filter((e) => e.tagName === "label").map((e) => e.getAttribute("for")));
  const textInputs = view.all().filter((e) => e.tagName === "input" && e.getAttribute("type") === "text");
  expect(textInputs.length).toBeGreaterThan(0);
  for (const input of textInputs) expect(labelled).toContain(input.id);

  // Fields grouped by kind, each with its own accessible button.
  expect(view.all().filter((e) => e.tagName === "summary").map((e) => e.textContent)).toEqual([
    expect.stringMatching(/^Income: 0 of \d+ linked$/),
    expect.stringMatching(/^Expenses: 0 of \d+ linked$/),
    expect.stringMatching(/^Disallowable expenses: 0 of \d+ linked$/),
  ]);
  const link = view.byId("mapping-field-se-periodIncome-turnover-link")!;
  expect(link.getAttribute("aria-label")).toMatch(/^Link selected cells to SA103F box 15/);

  t.workbook.select("Figures!B2");
  link.fire("click");
  await new Promise((resolve) => setImmediate(resolve));
  expect(t.workbook.getName(`MTD.SE.${SE_ID}.periodIncome.turnover`)?.refersTo).toBe("=Figures!$B$2");
  const after = t.render();
  const outcome = after.byId("mapping-field-se-periodIncome-turnover-outcome")!;
  expect(outcome.hasAttribute("data-autofocus")).toBe(true);
  expect(outcome.textContent).toMatch(/Linked .* to Figures!B2/);
  expect(after.byId("mapping-field-se-periodIncome-turnover")?.textContent).toContain("Figures!B2");
});

test("the short name form saves what was typed; once confirmed the step folds to one line with Change", async () => {
  const t = setup();
  await t.mapping.load();
  const view = t.render();
  const input = view.byId("mapping-alias-se-input")!;
  input.value = "plaster";
  view.byId("mapping-alias-se")!.fire("submit");
  await new Promise((resolve) => setImmediate(resolve));
  expect(await t.workbook.readSettings()).toMatchObject({ "alias.plaster": SE_ID });

  t.workbook.select("Figures!B2");
  await t.mapping.linkSelection("se", "periodIncome.turnover");
  await t.mapping.confirm();
  expect(mappingStep.status(t.store.state)).toBe("done");
  const done = t.render();
  expect(done.textContent).toMatch(/1 figure from named cells/);
  expect(done.byId("change-mapping")?.getAttribute("aria-label")).toBe("Change how your figures are found");
});

test("problems are listed with their cells, as content rather than an alert read out on every change", async () => {
  const t = setup();
  t.workbook.defineName(`MTD.SE.${SE_ID}.periodIncome.turnovr`, "=Figures!$B$2");
  await t.mapping.load();
  const bar = t.render().all().find((e) => e.className === "message-bar message-bar--error")!;
  expect(bar.textContent).toMatch(/^×1 problem with your named cells/);
  expect(bar.getAttribute("role")).toBeNull();
  expect(bar.all().find((e) => e.className === "cell-ref")?.textContent).toBe("Figures!B2");
});
