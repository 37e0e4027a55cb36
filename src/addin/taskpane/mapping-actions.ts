/**
 * What the "Your figures" step's controls do: read how the chosen business's figures are found (named cells
 * or the ledger table), link the selected cells to a field, save aliases and the business's choices, and, for
 * foreign property from 2026-27, list and create the properties HMRC holds. Every workbook and HMRC call is
 * through the ports passed in, so the step runs in Node tests against an in-memory workbook and a fake relay.
 */
import { buildPath, getEndpoint, isCountryCodeFormat, paramIsValid, foreignPropertyEntryId, type TaxYear } from "../../mtd";
import { MTD_NAME_PREFIX, nameFor, type FiguresSource } from "../../workbook/cumulative-figures";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE } from "../../workbook/ledger";
import { WorkbookError, type NamedRangeRead, type TableRead, type WorkbookPort } from "../../workbook/port";
import { aliasPatch, allowanceFor, businessMapping, businessMappingPatch, mappingFromSettings, type FiguresMode, type WorkbookMapping } from "../../workbook/workbook-mapping";
import { RelayError, type RelayClient } from "../relay-client";
import {
  aliasProblem,
  confirmBlocker,
  INITIAL_MAPPING,
  ledgerView,
  namesView,
  selectionProblem,
  suggestAlias,
  type FigureGroup,
  type ForeignPropertyDetail,
  type ForeignView,
  type MappingOutcome,
  type MappingState,
  type NamesView,
} from "./mapping-state";
import { businessName, chosenBusiness, type UpdatableBusiness } from "./model";
import type { AppState } from "./state";
import type { Store } from "./store";

export interface MappingDeps {
  readonly workbook: WorkbookPort;
  readonly relay: Pick<RelayClient, "hmrc">;
  readonly announce: (message: string) => void;
  /** Told of every relay failure, so an ended session or sign-in turns the pane back to "Connect" as other steps do. */
  readonly relayFailed?: (e: RelayError) => void;
}

/** HMRC's limit on a foreign property's name (Property Business 6.0: `^.{1,105}$`). */
const MAX_PROPERTY_NAME = 105;

interface Target {
  readonly business: UpdatableBusiness;
  readonly nino: string;
  readonly taxYear: TaxYear;
}

function messageOf(e: unknown): string {
  if (e instanceof RelayError || e instanceof WorkbookError || e instanceof RangeError) return e.message;
  if (e instanceof Error && e.message) return `Something went wrong: ${e.message}`;
  return "Something went wrong. Please try again.";
}

/** Where the figures of a group are named: the key new names are built with. */
function sourceOf(business: UpdatableBusiness, group: FigureGroup): FiguresSource | undefined {
  if (business.typeOfBusiness === "uk-property") return { type: "uk-property" };
  if (group.key === undefined) return undefined;
  return business.typeOfBusiness === "self-employment" ? { type: "self-employment", key: group.key } : { type: "foreign-property", countryOrPropertyId: group.key };
}

/** A table, or undefined when the workbook has none of that name; other failures are thrown. */
async function tableOrNothing(read: () => Promise<TableRead>): Promise<TableRead | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof WorkbookError && e.code === "table-not-found") return undefined;
    throw e;
  }
}

export class MappingActions {
  /** Bumped by load() and reset(): answers for an earlier business are dropped. */
  private generation = 0;
  /** Foreign property 2025-26: countries added in the pane that have no names yet. */
  private countries: string[] = [];
  /** Target → the alias last saved for it, used for new names when a target has several. */
  private preferredAliases: Record<string, string> = {};
  /** Foreign property 2026-27 on: HMRC's list, fetched on load and after creating a property. */
  private properties: ForeignView | undefined;

  constructor(
    private readonly store: Store<AppState>,
    private readonly deps: MappingDeps,
    private readonly onConfirmed: () => Promise<void>,
  ) {}

  private get mapping(): MappingState {
    return this.store.state.mapping;
  }

  private patch(change: Partial<MappingState>): void {
    this.store.update((s) => ({ ...s, mapping: { ...s.mapping, ...change } }));
  }

  private target(): Target | undefined {
    const business = chosenBusiness(this.store.state);
    const { nino, taxYear } = this.store.state.taxpayer;
    return business && nino ? { business, nino, taxYear } : undefined;
  }

  /** Clears the step (the business changed). */
  reset(): void {
    this.generation += 1;
    this.countries = [];
    this.preferredAliases = {};
    this.properties = undefined;
    this.store.update((s) => ({ ...s, mapping: INITIAL_MAPPING }));
  }

  /** Reads the chosen business's mapping; confirms it at once when nothing blocks, else opens the editor. */
  async load(): Promise<void> {
    const target = this.target();
    if (!target) return;
    if (this.mapping.businessId !== target.business.businessId) this.reset();
    const generation = ++this.generation;
    this.properties = undefined;
    this.store.update((s) => ({ ...s, mapping: { ...INITIAL_MAPPING, status: "loading", businessId: target.business.businessId } }));
    if (!(await this.refresh(target, generation))) return;
    const blocker = confirmBlocker(this.mapping);
    if (blocker === undefined) {
      await this.confirmed(target);
      return;
    }
    this.deps.announce(`Tell MTD Bridge where the figures for ${businessName(target.business)} are in this workbook.`);
  }

  /** Re-reads settings, names or tables (and HMRC's foreign properties when not yet fetched). False when it failed or went stale. */
  private async refresh(target: Target, generation: number): Promise<boolean> {
    const { business, taxYear } = target;
    try {
      const mapping = mappingFromSettings(await this.deps.workbook.readSettings());
      if (generation !== this.generation) return false;
      const choice = businessMapping(mapping, business.businessId);
      const common = { status: "ready", mode: choice.mode, allowance: choice.allowance !== "none" } as const;
      if (choice.mode === "ledger") {
        const ledger = await this.readLedger(generation);
        if (!ledger) return false;
        this.patch({ ...common, ledger: ledgerView({ type: business.typeOfBusiness, taxYear, businessId: business.businessId, aliases: mapping.aliases, ...ledger }), progress: undefined, error: undefined });
        return true;
      }
      const foreign = business.typeOfBusiness === "foreign-property" ? await this.foreignView(target, generation) : undefined;
      const names = await this.deps.workbook.readNames(MTD_NAME_PREFIX);
      if (generation !== this.generation) return false;
      this.patch({ ...common, names: this.namesOf(target, mapping, names, foreign), ...(foreign ? { foreign } : {}), error: undefined });
      return true;
    } catch (e) {
      if (generation !== this.generation) return false;
      const error = `Could not read this workbook: ${messageOf(e)}`;
      this.patch({ status: "error", error, busy: undefined, progress: undefined });
      this.deps.announce(error);
      return false;
    }
  }

  private namesOf(target: Target, mapping: WorkbookMapping, names: readonly NamedRangeRead[], foreign: ForeignView | undefined): NamesView {
    return namesView({
      type: target.business.typeOfBusiness,
      taxYear: target.taxYear,
      businessId: target.business.businessId,
      names,
      aliases: mapping.aliases,
      preferredAliases: this.preferredAliases,
      countries: this.countries,
      ...(foreign?.byProperty ? { properties: foreign.properties, ...(foreign.error ? { propertiesUnavailable: true } : {}) } : {}),
    });
  }

  /** Both tables, each undefined when missing; the ledger is read in blocks with its progress shown. */
  private async readLedger(generation: number): Promise<{ ledger?: TableRead; categoryMap?: TableRead } | undefined> {
    const categoryMap = await tableOrNothing(() => this.deps.workbook.readTable(CATEGORY_MAP_TABLE));
    if (generation !== this.generation) return undefined;
    const ledger = await tableOrNothing(() =>
      this.deps.workbook.readTable(LEDGER_TABLE, {
        onProgress: (read, total) => {
          if (generation === this.generation) this.patch({ progress: { read, total } });
        },
      }),
    );
    if (generation !== this.generation) return undefined;
    return { ...(ledger ? { ledger } : {}), ...(categoryMap ? { categoryMap } : {}) };
  }

  /** 2025-26: by country, nothing to fetch. 2026-27 on: HMRC's properties (404: none yet), kept until refetched. */
  private async foreignView(target: Target, generation: number): Promise<ForeignView> {
    if (foreignPropertyEntryId(target.taxYear) !== "propertyId") return { byProperty: false };
    if (this.properties) return this.properties;
    const endpoint = getEndpoint("property.foreign.details.retrieve");
    let view: ForeignView;
    try {
      const res = await this.deps.relay.hmrc<{ foreignPropertyDetails?: unknown }>("GET", buildPath(endpoint, { nino: target.nino, businessId: target.business.businessId, taxYear: target.taxYear }));
      view = { byProperty: true, properties: propertiesOf(res.body?.foreignPropertyDetails) };
    } catch (e) {
      if (e instanceof RelayError) this.deps.relayFailed?.(e);
      // HMRC answers 404 MATCHING_RESOURCE_NOT_FOUND while the business has no properties: an empty list.
      if (e instanceof RelayError && e.status === 404 && e.code === "MATCHING_RESOURCE_NOT_FOUND") view = { byProperty: true, properties: [] };
      else view = { byProperty: true, properties: [], error: `Could not fetch your foreign properties from HMRC: ${messageOf(e)}` };
    }
    if (generation === this.generation && !view.error) this.properties = view;
    return view;
  }

  private async confirmed(target: Target): Promise<void> {
    this.patch({ confirmed: true, busy: undefined, outcome: undefined });
    this.deps.announce(`Figures for ${businessName(target.business)}: ${mappingSummary(this.mapping)}.`);
    await this.onConfirmed();
  }

  /**
   * Runs one user action: one at a time, `busy` set while it runs, the outcome shown where `place` is, and
   * the workbook re-read afterwards so what is shown is what the workbook now holds.
   */
  private async act(
    busy: string,
    place: string,
    work: (target: Target, generation: number) => Promise<MappingOutcome | undefined>,
    drafts: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const target = this.target();
    if (!target || this.mapping.busy || this.mapping.status === "loading") return;
    const generation = this.generation;
    this.patch({ busy, outcome: undefined, drafts: { ...this.mapping.drafts, ...drafts } });
    let outcome: MappingOutcome | undefined;
    try {
      outcome = await work(target, generation);
    } catch (e) {
      if (e instanceof RelayError) this.deps.relayFailed?.(e);
      outcome = { target: place, intent: "error", message: messageOf(e) };
    }
    if (generation !== this.generation) return;
    await this.refresh(target, generation);
    if (generation !== this.generation) return;
    // What was typed is kept for another try, and cleared once it has been used.
    const kept = { ...this.mapping.drafts };
    if (outcome?.intent === "success" || outcome?.intent === "warning") for (const id of Object.keys(drafts)) delete kept[id];
    this.patch({ busy: undefined, drafts: kept, ...(outcome ? { outcome } : {}) });
    if (outcome) this.deps.announce(outcome.message);
  }

  /** Saves named cells or ledger, and whether the £1,000 allowance is claimed instead of expenses. */
  async saveChoices(mode: FiguresMode, claimAllowance: boolean): Promise<void> {
    await this.act("settings", "mapping-settings", async ({ business }) => {
      const allowance = claimAllowance ? allowanceFor(business.typeOfBusiness) : "none";
      await this.deps.workbook.writeSettings(businessMappingPatch(business.businessId, { mode, allowance }));
      const how = mode === "ledger" ? "from the ledger table" : "from named cells";
      const claim = claimAllowance ? `; you claim the £1,000 ${allowance} allowance, so updates carry income only` : "";
      return { target: "mapping-settings", intent: "success", message: `Saved: figures come ${how}${claim}.` };
    });
  }

  /** Links the cells selected in the sheet to one field: one cell (year to date) or four in a line (quarters 1–4). */
  async linkSelection(groupId: string, path: string): Promise<void> {
    const place = fieldPlace(groupId, path);
    await this.act(`link:${groupId}:${path}`, place, async ({ business }) => {
      const group = this.mapping.names?.groups.find((g) => g.id === groupId);
      const field = group?.fields.find((f) => f.path === path);
      if (!group || !field) return undefined;
      const source = sourceOf(business, group);
      if (!source) return { target: place, intent: "error", message: "Give this property a short name first (above its figures): cell names use it, since a property ID cannot be part of a name." };
      const selection = await this.deps.workbook.readSelection();
      const problem = selectionProblem(selection);
      if (problem) return { target: place, intent: "error", message: problem };
      // Relinking keeps the field's existing name, so it never ends up with two.
      const name = field.name ?? nameFor(source, field.path);
      await this.deps.workbook.nameRange(name, selection.address);
      const four = selection.rowCount * selection.columnCount === 4 ? " (quarters 1 to 4)" : " (the year to date)";
      return { target: place, intent: "success", message: `Linked “${field.label}” to ${selection.address}${four} as ${name}.` };
    });
  }

  /** Removes a field's link (its workbook name); the cells and what they hold are left as they are. */
  async unlink(groupId: string, path: string): Promise<void> {
    const place = fieldPlace(groupId, path);
    await this.act(`unlink:${groupId}:${path}`, place, async () => {
      const field = this.mapping.names?.groups.find((g) => g.id === groupId)?.fields.find((f) => f.path === path);
      if (!field?.name) return undefined;
      await this.deps.workbook.removeName(field.name);
      return { target: place, intent: "success", message: `Unlinked “${field.label}”: ${field.name} is removed; the cells${field.address ? ` (${field.address})` : ""} are unchanged.` };
    });
  }

  /** Saves the short name used in a group's cell names (self-employment, a country, or a property). */
  async saveAlias(groupId: string, aliasInput: string): Promise<void> {
    const place = `mapping-alias-${groupId}`;
    await this.act(`alias:${groupId}`, place, async ({ business }) => {
      const group = this.mapping.names?.groups.find((g) => g.id === groupId);
      if (!group) return undefined;
      const target = business.typeOfBusiness === "self-employment" ? business.businessId : group.entry;
      if (target === undefined) return undefined;
      const alias = aliasInput.trim();
      const aliases = mappingFromSettings(await this.deps.workbook.readSettings()).aliases;
      const problem = aliasProblem(alias, target, aliases);
      if (problem) return { target: place, intent: "error", message: problem };
      await this.deps.workbook.writeSettings(aliasPatch(alias, target));
      this.preferredAliases[target] = alias;
      const kept = group.fields.some((f) => f.name !== undefined) ? " Cells already linked keep their names." : "";
      return { target: place, intent: "success", message: `Saved the short name ${alias}: new cell names start ${nameStem(business, alias)}.${kept}` };
    }, { [`${place}-input`]: aliasInput });
  }

  /** Foreign property 2025-26: adds a country (three-letter code) to link figures for, with an optional short name. */
  async addCountry(codeInput: string, aliasInput: string): Promise<void> {
    const place = "mapping-country";
    await this.act("country", place, async () => {
      const code = codeInput.trim().toUpperCase();
      if (!isCountryCodeFormat(code)) return { target: place, intent: "error", message: "Enter the country's three-letter code, such as FRA for France or ESP for Spain." };
      const alias = aliasInput.trim();
      if (alias !== "") {
        const problem = aliasProblem(alias, code, mappingFromSettings(await this.deps.workbook.readSettings()).aliases);
        if (problem) return { target: place, intent: "error", message: problem };
        await this.deps.workbook.writeSettings(aliasPatch(alias, code));
        this.preferredAliases[code] = alias;
      }
      const listed = this.mapping.names?.groups.some((g) => g.entry === code) === true;
      if (!this.countries.includes(code)) this.countries.push(code);
      return { target: place, intent: listed ? "info" : "success", message: listed ? `${code} is already listed below.` : `Added ${code}. Select each figure's cells in the sheet, then link them below.` };
    }, { "mapping-country-code": codeInput, "mapping-country-alias": aliasInput });
  }

  /** Foreign property 2026-27 on: creates a property at HMRC and records a short name for its property ID. */
  async addProperty(nameInput: string, codeInput: string, aliasInput: string): Promise<void> {
    const place = "mapping-property";
    await this.act("property", place, async ({ business, nino, taxYear }) => {
      const propertyName = nameInput.trim();
      const countryCode = codeInput.trim().toUpperCase();
      if (propertyName === "" || propertyName.length > MAX_PROPERTY_NAME) {
        return { target: place, intent: "error", message: `Enter a name for the property you will recognise, such as Villa Rosa (at most ${MAX_PROPERTY_NAME} characters).` };
      }
      if (!isCountryCodeFormat(countryCode)) return { target: place, intent: "error", message: "Enter the property's country as a three-letter code, such as FRA for France or ESP for Spain." };
      const listed = this.properties?.byProperty ? this.properties.properties : [];
      if (listed.some((p) => p.countryCode === countryCode && p.propertyName.trim().toLowerCase() === propertyName.toLowerCase())) {
        return { target: place, intent: "error", message: `HMRC already has a property called “${propertyName}” in ${countryCode}; each property in a country needs a different name.` };
      }
      const aliases = mappingFromSettings(await this.deps.workbook.readSettings()).aliases;
      const alias = aliasInput.trim() || suggestAlias(propertyName, aliases);
      const problem = aliasProblem(alias, "", aliases);
      if (problem) return { target: place, intent: "error", message: problem };

      const endpoint = getEndpoint("property.foreign.details.create");
      const res = await this.deps.relay.hmrc<{ propertyId?: unknown }>("POST", buildPath(endpoint, { nino, businessId: business.businessId, taxYear }), { body: { propertyName, countryCode } });
      this.properties = undefined; // HMRC's list has changed: fetch it again
      const propertyId = res.body?.propertyId;
      if (typeof propertyId !== "string" || !paramIsValid("propertyId", propertyId)) {
        return { target: place, intent: "warning", message: "HMRC accepted the property but did not say its property ID. It is listed below once HMRC shows it; give it a short name there." };
      }
      try {
        await this.deps.workbook.writeSettings(aliasPatch(alias, propertyId));
      } catch (e) {
        return { target: place, intent: "warning", message: `HMRC added “${propertyName}”, but its short name could not be saved in the workbook (${messageOf(e)}). Give it a short name below.` };
      }
      this.preferredAliases[propertyId] = alias;
      return { target: place, intent: "success", message: `HMRC added “${propertyName}” (${countryCode}). Its cell names start ${MTD_NAME_PREFIX}FP.${alias}.` };
    }, { "mapping-property-name": nameInput, "mapping-property-country": codeInput, "mapping-property-alias": aliasInput });
  }

  /** Reads the workbook again (after the user named cells or added tables in Excel itself). */
  async recheck(): Promise<void> {
    await this.act("recheck", "mapping-continue", async () => {
      this.properties = undefined;
      return undefined;
    });
    if (this.mapping.status !== "ready" || this.mapping.outcome) return;
    const blocker = confirmBlocker(this.mapping);
    const message = blocker ? `Checked again. ${blocker}` : "Checked again: nothing blocks. Choose Continue.";
    this.patch({ outcome: { target: "mapping-continue", intent: blocker ? "info" : "success", message } });
    this.deps.announce(message);
  }

  /** Continue: re-checks the workbook, then confirms when nothing blocks. */
  async confirm(): Promise<void> {
    const target = this.target();
    if (!target || this.mapping.busy) return;
    const generation = this.generation;
    this.patch({ busy: "confirm", outcome: undefined });
    if (!(await this.refresh(target, generation)) || generation !== this.generation) return;
    const blocker = confirmBlocker(this.mapping);
    if (blocker) {
      this.patch({ busy: undefined, outcome: { target: "mapping-continue", intent: "error", message: blocker } });
      this.deps.announce(blocker);
      return;
    }
    await this.confirmed(target);
  }

  /** "Change": back to the editor, with the workbook read again (it may have changed since). */
  async edit(): Promise<void> {
    const target = this.target();
    if (!target) return;
    this.patch({ confirmed: false, outcome: undefined });
    await this.refresh(target, this.generation);
  }
}

/** The element id of a field's row, where its link outcome is shown. */
export function fieldPlace(groupId: string, path: string): string {
  return `mapping-field-${groupId}-${path.replace(/\./g, "-")}`;
}

function nameStem(business: UpdatableBusiness, alias: string): string {
  return business.typeOfBusiness === "self-employment" ? `${MTD_NAME_PREFIX}SE.${alias}.` : `${MTD_NAME_PREFIX}FP.${alias}.`;
}

/** HMRC's foreign property details, keeping only well-formed entries. */
export function propertiesOf(details: unknown): ForeignPropertyDetail[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown): ForeignPropertyDetail[] => {
    if (typeof d !== "object" || d === null) return [];
    const { propertyId, propertyName, countryCode, endDate } = d as Record<string, unknown>;
    if (typeof propertyId !== "string" || !paramIsValid("propertyId", propertyId) || typeof propertyName !== "string" || typeof countryCode !== "string") return [];
    return [{ propertyId, propertyName, countryCode, ...(typeof endDate === "string" ? { endDate } : {}) }];
  });
}

/** One line for the done step: `12 figures from named cells`, `The ledger table (MTD_Ledger)`, allowance noted. */
export function mappingSummary(m: MappingState): string {
  const how =
    m.mode === "ledger"
      ? `from the ledger table ${LEDGER_TABLE} (${m.ledger?.transactions ?? 0} transaction${m.ledger?.transactions === 1 ? "" : "s"} this tax year)`
      : `${m.names?.linked ?? 0} figure${m.names?.linked === 1 ? "" : "s"} from named cells`;
  return m.allowance ? `${how}, claiming the £1,000 allowance` : how;
}
