/**
 * "Your figures": how the chosen business's figures are found — named cells or the ledger table, the £1,000
 * allowance — with every HMRC field, the cells linked to it, a "Link selected cells" button per field, and
 * the mapping's problems with their cells. Once confirmed it folds to one line with a "Change" link.
 */
import type { CumulativeBusinessType, IsoDate } from "../../../mtd";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE } from "../../../workbook/ledger";
import { h, type Child } from "../dom";
import { fieldPlace, mappingSummary, type MappingActions } from "../mapping-actions";
import type { FieldRow, FigureGroup, LedgerView, MappingProblem, MappingState } from "../mapping-state";
import { businessName, chosenBusiness, formatDate, type UpdatableBusiness } from "../model";
import type { AppState } from "../state";
import { button, linkButton, messageBar, spinner, summary } from "./common";
import type { StepView } from "./steps";

type Actions = MappingActions;

const OUTCOME_TITLES = { success: "Done", error: "Not done", warning: "Check this", info: "Note" } as const;

/** The last action's outcome, if it belongs here: focused (data-autofocus) so keyboard and screen reader land on it. */
function outcomeAt(m: MappingState, place: string): HTMLElement | null {
  const o = m.outcome;
  if (!o || o.target !== place) return null;
  const bar = messageBar(o.intent, OUTCOME_TITLES[o.intent], h("p", {}, o.message));
  bar.id = `${place}-outcome`;
  bar.tabIndex = -1;
  bar.setAttribute("data-autofocus", "");
  return bar;
}

function draft(m: MappingState, id: string, fallback = ""): string {
  return m.drafts?.[id] ?? fallback;
}

function cellRef(address: string | undefined): HTMLElement | null {
  return address ? h("span", { className: "cell-ref" }, address) : null;
}

function problemList(problems: readonly MappingProblem[]): HTMLElement {
  return h(
    "ul",
    { className: "problems" },
    problems.map((p) => h("li", {}, cellRef(p.address), p.address ? " " : null, p.address && p.message.startsWith(`${p.address} `) ? p.message.slice(p.address.length + 1) : p.message)),
  );
}

/**
 * A standing list is part of the step's content, rebuilt on every change: as an alert it would be read out
 * again each time. The outcome of each action is what gets announced and focused.
 */
function quiet(bar: HTMLElement): HTMLElement {
  bar.removeAttribute("role");
  return bar;
}

function problemBars(problems: readonly MappingProblem[], what: string): Child[] {
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warning");
  return [
    errors.length > 0 ? quiet(messageBar("error", `${errors.length} problem${errors.length === 1 ? "" : "s"} with ${what}`, problemList(errors))) : null,
    warnings.length > 0 ? messageBar("warning", "Check these", problemList(warnings)) : null,
  ];
}

/** A labelled text input with a hint, its value kept in the state's drafts. */
function textInput(m: MappingState, id: string, label: string, hint: string | null, options: { value?: string; maxlength?: number; capitals?: boolean } = {}): { input: HTMLInputElement; nodes: Child[] } {
  const input = h("input", {
    id,
    name: id,
    type: "text",
    className: "input",
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: options.capitals ? "characters" : null,
    maxlength: options.maxlength,
    "aria-describedby": hint ? `${id}-hint` : null,
    value: draft(m, id, options.value ?? ""),
  });
  return { input, nodes: [h("label", { for: id, className: "label" }, label), hint ? h("p", { id: `${id}-hint`, className: "hint" }, hint) : null, input] };
}

function submitButton(id: string, label: string, busy: boolean): HTMLButtonElement {
  return h("button", { type: "submit", id, className: "button", disabled: busy }, label);
}

// ---- mode and allowance ---------------------------------------------------------------------------------------

function exampleName(type: CumulativeBusinessType, m: MappingState): string {
  if (type === "uk-property") return "MTD.UKP.income.periodAmount";
  if (type === "self-employment") return `MTD.SE.${m.names?.groups[0]?.key ?? "shop"}.periodIncome.turnover`;
  const fallback = m.foreign?.byProperty ? "Villa_Rosa" : "FRA";
  return `MTD.FP.${m.names?.groups.find((g) => g.key)?.key ?? fallback}.income.rentIncome.rentAmount`;
}

function choicesForm(m: MappingState, business: UpdatableBusiness, actions: Actions): HTMLElement {
  const type = business.typeOfBusiness;
  const busy = m.busy !== undefined;
  const radio = (value: "names" | "ledger", label: string, hint: string) =>
    h(
      "label",
      { className: "choice" },
      h("input", { type: "radio", name: "mapping-mode", id: `mapping-mode-${value}`, value, checked: m.mode === value }),
      h("span", {}, h("span", { className: "block" }, label), h("span", { className: "block small muted" }, hint)),
    );
  const allowance = h("input", { type: "checkbox", id: "mapping-allowance", name: "mapping-allowance", checked: m.allowance, "aria-describedby": "mapping-allowance-hint" });
  const which = type === "self-employment" ? "trading" : "property";
  return h(
    "form",
    {
      className: "form mapping-settings",
      id: "mapping-settings",
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const form = e.currentTarget as HTMLFormElement;
        const mode = form.querySelector<HTMLInputElement>('input[name="mapping-mode"]:checked')?.value === "ledger" ? "ledger" : "names";
        void actions.saveChoices(mode, allowance.checked);
      },
    },
    h(
      "fieldset",
      { className: "choices" },
      h("legend", { className: "label" }, "Where are this business's figures?"),
      radio("names", "Named cells", `Cells named like ${exampleName(type, m)}: one cell for the year to date, or four in a row or column for quarters 1 to 4.`),
      radio("ledger", "Ledger table", `One row per transaction in a table called ${LEDGER_TABLE}, with your categories mapped to HMRC's in ${CATEGORY_MAP_TABLE}.`),
    ),
    h(
      "fieldset",
      { className: "choices" },
      h("legend", { className: "label" }, "Allowance"),
      h("label", { className: "choice" }, allowance, h("span", {}, `I claim the £1,000 ${which} allowance instead of expenses`)),
      h("p", { id: "mapping-allowance-hint", className: "hint" }, "Your quarterly updates then carry income only: expenses are not sent, even where cells are linked."),
    ),
    h("div", { className: "actions" }, submitButton("mapping-settings-save", m.busy === "settings" ? "Saving…" : "Save", busy)),
    outcomeAt(m, "mapping-settings"),
  );
}

// ---- named cells ----------------------------------------------------------------------------------------------

const KIND_TITLES: Readonly<Record<FieldRow["kind"], string>> = { income: "Income", expense: "Expenses", disallowable: "Disallowable expenses" };

function fieldItem(m: MappingState, group: FigureGroup, field: FieldRow, actions: Actions): HTMLElement {
  const place = fieldPlace(group.id, field.path);
  const labelId = `${place}-label`;
  const busy = m.busy !== undefined;
  const linking = m.busy === `link:${group.id}:${field.path}`;
  return h(
    "li",
    { className: field.problem ? "mapping-field mapping-field--problem" : "mapping-field", id: place },
    h("span", { id: labelId, className: "mapping-field__label" }, field.label),
    h(
      "span",
      { className: "mapping-field__link small" },
      field.name
        ? [
            cellRef(field.address),
            field.quarterly ? " quarters 1 to 4" : " year to date",
            field.values ? h("span", { className: "block" }, `Now: ${field.values.join(", ")}`) : null,
            h("span", { className: "block muted mono" }, field.name),
          ]
        : h("span", { className: "muted" }, "Not linked"),
    ),
    field.problem ? h("span", { className: "field-error block" }, field.problem) : null,
    h(
      "div",
      { className: "mapping-field__actions" },
      h(
        "button",
        {
          type: "button",
          id: `${place}-link`,
          className: "button button--small",
          disabled: busy,
          // The visible words first, so voice control ("click Link selected cells") still finds it.
          "aria-label": `${linking ? "Linking…" : "Link selected cells"} to ${field.label}`,
          onclick: () => void actions.linkSelection(group.id, field.path),
        },
        linking ? "Linking…" : "Link selected cells",
      ),
      field.name
        ? h(
            "button",
            {
              type: "button",
              id: `${place}-unlink`,
              className: "link-button small",
              disabled: busy,
              "aria-label": `Unlink ${field.label}`,
              onclick: () => void actions.unlink(group.id, field.path),
            },
            m.busy === `unlink:${group.id}:${field.path}` ? "Unlinking…" : "Unlink",
          )
        : null,
    ),
    outcomeAt(m, place),
  );
}

function fieldGroups(m: MappingState, group: FigureGroup, actions: Actions): Child[] {
  return (["income", "expense", "disallowable"] as const).map((kind) => {
    const fields = group.fields.filter((f) => f.kind === kind);
    if (fields.length === 0) return null;
    const linked = fields.filter((f) => f.name).length;
    const notSent = m.allowance && kind !== "income";
    // Open where there is something to see or do: income, anything linked (problems included), the field just acted on.
    const open = kind === "income" || linked > 0 || fields.some((f) => m.outcome?.target === fieldPlace(group.id, f.path));
    return h(
      "details",
      { className: "mapping-kind", open },
      h("summary", {}, `${KIND_TITLES[kind]}: ${linked} of ${fields.length} linked`, notSent ? h("span", { className: "block small muted" }, "Not sent while you claim the allowance") : null),
      h("ul", { className: "mapping-fields" }, fields.map((f) => fieldItem(m, group, f, actions))),
    );
  });
}

/** A small form inside the step (short name, country, property): submitting runs `submit`, never a page load. */
function inlineForm(id: string, submit: () => void, ...children: Child[]): HTMLElement {
  return h(
    "form",
    {
      className: "form mapping-inline-form",
      id,
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit();
      },
    },
    ...children,
  );
}

function aliasForm(m: MappingState, group: FigureGroup, actions: Actions, label: string, hint: string): HTMLElement {
  const place = `mapping-alias-${group.id}`;
  const { input, nodes } = textInput(m, `${place}-input`, label, hint, { value: group.aliases[0] ?? group.suggestedAlias ?? "", maxlength: 40 });
  return inlineForm(
    place,
    () => void actions.saveAlias(group.id, input.value),
    nodes,
    h("div", { className: "actions" }, submitButton(`${place}-save`, m.busy === `alias:${group.id}` ? "Saving…" : "Save short name", m.busy !== undefined)),
    outcomeAt(m, place),
  );
}

function groupSection(m: MappingState, group: FigureGroup, business: UpdatableBusiness, actions: Actions): HTMLElement {
  const titleId = `mapping-group-${group.id}-title`;
  const property = business.typeOfBusiness === "foreign-property" && m.foreign?.byProperty === true ? m.foreign.properties.find((p) => p.propertyId === group.entry) : undefined;
  return h(
    "section",
    { className: "mapping-group", "aria-labelledby": group.title ? titleId : null, "aria-label": group.title ? null : "Figures" },
    group.title ? h("h3", { id: titleId }, group.title) : null,
    property?.endDate ? h("p", { className: "small muted" }, `Ended ${formatDate(property.endDate as IsoDate)}.`) : null,
    business.typeOfBusiness === "foreign-property" && group.key === undefined
      ? aliasForm(m, group, actions, "Short name for this property's cells", "HMRC knows the property by an ID that cell names cannot hold; cell names use this short name instead.")
      : null,
    business.typeOfBusiness === "foreign-property" && group.key !== undefined ? h("p", { className: "small muted" }, "Cell names start ", h("span", { className: "mono" }, `MTD.FP.${group.key}.`)) : null,
    fieldGroups(m, group, actions),
  );
}

function countryForm(m: MappingState, actions: Actions): HTMLElement {
  const code = textInput(m, "mapping-country-code", "Country code", "Three letters, such as FRA for France or ESP for Spain.", { maxlength: 3, capitals: true });
  const alias = textInput(m, "mapping-country-alias", "Short name (optional)", "Cell names use the country code unless you give a short name.", { maxlength: 40 });
  return inlineForm(
    "mapping-country",
    () => void actions.addCountry(code.input.value, alias.input.value),
    h("h3", {}, "Add a country"),
    code.nodes,
    alias.nodes,
    h("div", { className: "actions" }, submitButton("mapping-country-add", m.busy === "country" ? "Adding…" : "Add country", m.busy !== undefined)),
    outcomeAt(m, "mapping-country"),
  );
}

function propertyForm(m: MappingState, actions: Actions): HTMLElement {
  const name = textInput(m, "mapping-property-name", "Property name", "A name you will recognise, different from your other properties in the same country.", { maxlength: 105 });
  const code = textInput(m, "mapping-property-country", "Country code", "Three letters, such as FRA for France or ESP for Spain.", { maxlength: 3, capitals: true });
  const alias = textInput(m, "mapping-property-alias", "Short name for cell names (optional)", "Leave it blank and MTD Bridge makes one from the property name.", { maxlength: 40 });
  return inlineForm(
    "mapping-property",
    () => void actions.addProperty(name.input.value, code.input.value, alias.input.value),
    h("h3", {}, "Add a property"),
    h("p", { className: "small" }, "This tells HMRC about the property, and HMRC gives it an ID your updates use."),
    name.nodes,
    code.nodes,
    alias.nodes,
    h("div", { className: "actions" }, submitButton("mapping-property-add", m.busy === "property" ? "Adding…" : "Add property", m.busy !== undefined)),
    outcomeAt(m, "mapping-property"),
  );
}

function namesSection(m: MappingState, business: UpdatableBusiness, actions: Actions): Child[] {
  const names = m.names;
  if (!names) return [spinner("Reading your named cells…")];
  const type = business.typeOfBusiness;
  const groups = names.groups;
  const parts: Child[] = [...problemBars(names.problems, "your named cells")];
  if (type === "self-employment" && groups[0]) {
    parts.push(aliasForm(m, groups[0], actions, "Short name for this business's cells", `Cell names use it, such as MTD.SE.shop.periodIncome.turnover. Start with a letter, then letters, digits or underscores. Without one, names use the business ID ${business.businessId}.`));
    if (names.unclaimedKeys.length > 0) {
      parts.push(
        messageBar(
          "info",
          "Cells named for a short name no business has",
          h("p", {}, "If these are this business's cells, use their short name for it."),
          h(
            "ul",
            { className: "problems" },
            names.unclaimedKeys.map((key) =>
              h("li", {}, h("span", { className: "mono" }, `MTD.SE.${key}.…`), " ", button(`Use ${key}`, () => void actions.saveAlias(groups[0]!.id, key), { id: `mapping-claim-${key}`, disabled: m.busy !== undefined })),
            ),
          ),
        ),
      );
    }
  }
  if (type === "foreign-property" && m.foreign?.byProperty) {
    if (m.foreign.error) parts.push(quiet(messageBar("error", "Could not list your properties", h("p", {}, m.foreign.error))), button("Try again", () => void actions.recheck(), { id: "mapping-properties-retry" }));
    else if (groups.length === 0) parts.push(h("p", {}, "HMRC has no foreign properties for this business yet. Add each property you let below; its figures are then linked here."));
  }
  if (type === "foreign-property" && m.foreign?.byProperty === false && groups.length === 0) parts.push(h("p", {}, "No countries yet. Add each country you let property in, then link its figures."));
  for (const group of groups) parts.push(groupSection(m, group, business, actions));
  if (type === "foreign-property") parts.push(m.foreign?.byProperty ? propertyForm(m, actions) : countryForm(m, actions));
  return parts;
}

// ---- ledger -----------------------------------------------------------------------------------------------------

function ledgerColumns(business: UpdatableBusiness): string {
  const type = business.typeOfBusiness;
  if (type === "self-employment") return `Date, Amount, Category, Business (${business.businessId} or this business's short name)`;
  if (type === "uk-property") return "Date, Amount, Category, Business (UK property)";
  return "Date, Amount, Category, Business (Foreign property), Property (country code or property short name)";
}

function ledgerSection(m: MappingState, business: UpdatableBusiness): Child[] {
  const l: LedgerView | undefined = m.ledger;
  if (m.progress) return [spinner(`Reading ${LEDGER_TABLE}: ${m.progress.read.toLocaleString("en-GB")} of ${m.progress.total.toLocaleString("en-GB")} rows…`)];
  if (!l) return [spinner("Reading your ledger…")];
  const found = (ok: boolean, detail: string) => (ok ? `found${detail}` : "not found");
  const missing = l.ledgerRows === undefined || !l.categoryMap;
  return [
    h(
      "ul",
      { className: "mapping-tables" },
      h("li", {}, h("span", { className: "mono" }, LEDGER_TABLE), `: ${found(l.ledgerRows !== undefined, `, ${(l.ledgerRows ?? 0).toLocaleString("en-GB")} rows`)}`, h("span", { className: "block small muted" }, `Columns: ${ledgerColumns(business)}`)),
      h("li", {}, h("span", { className: "mono" }, CATEGORY_MAP_TABLE), `: ${found(l.categoryMap, "")}`, h("span", { className: "block small muted" }, "Columns: Category, Business type, HMRC field")),
    ),
    missing
      ? messageBar(
          "warning",
          "Ledger tables missing",
          h("p", {}, "Select your transactions with their headings, choose Insert ▸ Table, then name the table in Table Design ▸ Table Name. Do the same for your category map. Then choose Check again."),
        )
      : null,
    ...problemBars(l.problems, "the ledger tables"),
    missing ? null : h("p", {}, `${l.transactions.toLocaleString("en-GB")} transaction${l.transactions === 1 ? "" : "s"} for this business in the tax year.`),
    l.categories.length > 0
      ? h(
          "details",
          { className: "mapping-kind" },
          h("summary", {}, `${l.categories.length} categor${l.categories.length === 1 ? "y" : "ies"} mapped`),
          h("ul", { className: "mapping-fields" }, l.categories.map((c) => h("li", { className: "mapping-field" }, h("span", { className: "mapping-field__label" }, c.category), h("span", { className: "small muted block" }, c.label)))),
        )
      : null,
  ];
}

// ---- the step -------------------------------------------------------------------------------------------------

function editor(s: AppState, business: UpdatableBusiness, actions: Actions): HTMLElement {
  const m = s.mapping;
  const busy = m.busy !== undefined;
  return h(
    "div",
    { className: "mapping" },
    h("p", {}, `Tell MTD Bridge where the figures for ${businessName(business)} are in this workbook.`),
    choicesForm(m, business, actions),
    m.mode === "ledger" || m.progress ? ledgerSection(m, business) : namesSection(m, business, actions),
    outcomeAt(m, "mapping-continue"),
    h(
      "div",
      { className: "actions" },
      button(m.busy === "confirm" ? "Checking…" : "Continue", () => void actions.confirm(), { id: "mapping-continue-button", primary: true, disabled: busy }),
      button(m.busy === "recheck" ? "Checking…" : "Check again", () => void actions.recheck(), { id: "mapping-recheck", disabled: busy }),
    ),
  );
}

export const mappingStep: StepView = {
  id: "mapping",
  title: "Your figures",
  status: (s) => (s.connection.status !== "connected" || s.taxpayer.editing || !chosenBusiness(s) ? "locked" : s.mapping.confirmed ? "done" : "current"),
  slice: (s) => [s.mapping, s.businessId, s.taxpayer.taxYear],
  body(s, actions) {
    const m = s.mapping;
    const business = chosenBusiness(s);
    if (!business || m.status === "idle" || (m.status === "loading" && !m.progress)) return spinner("Reading your workbook…");
    if (m.status === "error") {
      return h("div", {}, messageBar("error", "Could not read your figures' cells", h("p", {}, m.error ?? "")), button("Try again", () => void actions.mapping.load(), { id: "mapping-retry" }));
    }
    if (m.confirmed) return summary("Figures", mappingSummary(m), linkButton("Change", () => void actions.editFigures(), "change-mapping", "Change how your figures are found"));
    if (m.status === "loading") return h("div", {}, ledgerSection(m, business));
    return editor(s, business, actions.mapping);
  },
};
