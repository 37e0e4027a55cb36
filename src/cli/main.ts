#!/usr/bin/env node
/**
 * `mtd-bridge`: list HMRC's fields, check a workbook's MTD.* names or ledger, and preview the exact cumulative
 * payload the add-in would send, from an .xlsx file. Exit codes: 0 ok, 1 problems found, 2 usage error;
 * warnings are printed (on stderr) but never change the exit code.
 */
import { parseIsoDate, parseTaxYear, type IsoDate, type TaxYear } from "../mtd";
import type { CellProblem } from "../workbook/figures-from-names";
import { loadXlsx, XlsxError } from "../workbook/xlsx";
import type { InMemoryWorkbook } from "../workbook/in-memory";
import type { LedgerCounts } from "../workbook/ledger";
import { cellsOf, checkWorkbook, describeBusiness, fieldRows, parseBusiness, previewUpdate, type BusinessChoice, type CheckReport, type PreviewReport } from "./commands";

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage:
  mtd-bridge fields --business <uk-property|self-employment|foreign-property> --tax-year <YYYY-YY> [--json]
  mtd-bridge check <file.xlsx> [--tax-year <YYYY-YY>] [--business <business> [--period-end <YYYY-MM-DD>] [--ledger]] [--json]
  mtd-bridge preview <file.xlsx> --business <business> --tax-year <YYYY-YY> --period-end <YYYY-MM-DD> [--ledger] [--json]
  mtd-bridge --help

<business> is UKP, SE.<alias or business ID>, FP (every country or property), FP.<country or alias>,
or UKP.<business ID> / FP.<business ID> so the mode and allowance recorded for that business apply.
--ledger reads the MTD_Ledger table whatever mode the workbook records for the business.
Exit codes: 0 ok, 1 problems found, 2 usage error. Warnings are printed but do not change the exit code.
`;

const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  fields: ["--business", "--tax-year"],
  check: ["--tax-year", "--business", "--period-end"],
  preview: ["--business", "--tax-year", "--period-end"],
};
/** Options without a value, besides --json (which every command takes). */
const FLAGS: Readonly<Record<string, readonly string[]>> = { fields: [], check: ["--ledger"], preview: ["--ledger"] };
const POSITIONALS: Readonly<Record<string, number>> = { fields: 0, check: 1, preview: 1 };
const DEFAULT_TAX_YEAR = "2025-26";

class UsageError extends Error {}

interface Parsed {
  readonly command: string;
  readonly files: string[];
  readonly options: Map<string, string>;
  readonly flags: Set<string>;
  readonly json: boolean;
}

/** Small and strict: unknown options, repeated options and missing values are usage errors. */
function parseArgs(argv: readonly string[]): Parsed | "help" {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) return "help";
  const [command, ...rest] = argv as [string, ...string[]];
  const allowed = OPTIONS[command];
  if (!allowed) throw new UsageError(`Unknown command “${command.slice(0, 40)}”.`);
  const options = new Map<string, string>();
  const files: string[] = [];
  const flags = new Set<string>();
  let json = false;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    if (arg === "--json") json = true;
    else if (FLAGS[command]!.includes(arg)) flags.add(arg);
    else if (arg.startsWith("--")) {
      const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
      if (!allowed.includes(flag)) throw new UsageError(`${command} does not take ${flag.slice(0, 40)}.`);
      if (options.has(flag)) throw new UsageError(`${flag} is given twice.`);
      const value = inline ?? rest[++i];
      if (value === undefined || value === "" || value.startsWith("--")) throw new UsageError(`${flag} needs a value.`);
      options.set(flag, value);
    } else files.push(arg);
  }
  if (files.length !== POSITIONALS[command]) throw new UsageError(POSITIONALS[command] === 0 ? `${command} takes no file.` : `${command} needs exactly one .xlsx file.`);
  return { command, files, options, flags, json };
}

function need(p: Parsed, flag: string): string {
  const v = p.options.get(flag);
  if (v === undefined) throw new UsageError(`${p.command} needs ${flag}.`);
  return v;
}

function taxYearOf(p: Parsed): TaxYear {
  const raw = p.options.get("--tax-year") ?? (p.command === "check" ? DEFAULT_TAX_YEAR : need(p, "--tax-year"));
  const r = parseTaxYear(raw);
  if (!r.ok) throw new UsageError(`--tax-year must be a tax year such as 2025-26, not “${raw.slice(0, 20)}”.`);
  return r.value;
}

function problemLine(p: CellProblem): string {
  return `  ${p.severity === "error" ? "error" : "warning"}${p.address ? ` ${p.address}` : ""}: ${p.message}`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function load(file: string, io: Io): Promise<InMemoryWorkbook | undefined> {
  try {
    return await loadXlsx(file);
  } catch (e) {
    const why = e instanceof XlsxError ? e.message : (e as NodeJS.ErrnoException).code === "ENOENT" ? "The file does not exist." : "The file could not be read.";
    io.stderr(`${file}: ${why}\n`);
    return undefined;
  }
}

async function run(p: Parsed, io: Io): Promise<number> {
  if (p.command === "fields") {
    const business = need(p, "--business");
    if (business !== "uk-property" && business !== "self-employment" && business !== "foreign-property") {
      throw new UsageError("--business must be uk-property, self-employment or foreign-property.");
    }
    const taxYear = taxYearOf(p);
    const rows = fieldRows(business, taxYear);
    if (rows.length === 0) throw new UsageError(`Cumulative updates start with tax year 2025-26; ${taxYear} is not supported.`);
    if (p.json) io.stdout(json({ business, taxYear, fields: rows }));
    else {
      io.stdout(`HMRC ${business} fields for ${taxYear} (name them MTD.${business === "uk-property" ? "UKP" : business === "self-employment" ? "SE.<alias>" : "FP.<country or alias>"}.<field>):\n`);
      for (const r of rows) io.stdout(`  ${r.path.padEnd(48)} ${r.label}\n`);
    }
    return EXIT_OK;
  }
  const taxYear = taxYearOf(p);
  return p.command === "check" ? runCheck(p, taxYear, io) : runPreview(p, taxYear, io);
}

function businessOf(p: Parsed): BusinessChoice | undefined {
  const raw = p.options.get("--business");
  if (raw === undefined) return undefined;
  const choice = parseBusiness(raw);
  if (!choice) throw new UsageError("--business must be UKP, SE.<alias or business ID>, FP, FP.<country or alias>, UKP.<business ID> or FP.<business ID>.");
  return choice;
}

function periodEndOf(p: Parsed): IsoDate | undefined {
  const raw = p.options.get("--period-end");
  if (raw === undefined) return undefined;
  const end = parseIsoDate(raw);
  if (!end.ok) throw new UsageError(`--period-end: ${end.error}`);
  return end.value;
}

function countsLine(counts: LedgerCounts): string {
  const others = [
    `${counts.afterPeriod} after the period`,
    `${counts.outsideTaxYear} outside the tax year`,
    `${counts.otherBusinesses} for other businesses`,
    `${counts.blank} blank`,
    ...(counts.rejected > 0 ? [`${counts.rejected} with errors`] : []),
  ];
  return `From MTD_Ledger: ${counts.used} transaction${counts.used === 1 ? "" : "s"} used; ${others.join(", ")}.\n`;
}

function problemLines(problems: readonly CellProblem[]): string {
  return problems.length === 0 ? "" : `${problems.map(problemLine).join("\n")}\n`;
}

async function runCheck(p: Parsed, taxYear: TaxYear, io: Io): Promise<number> {
  const business = businessOf(p);
  const periodEnd = periodEndOf(p);
  if (!business && (periodEnd !== undefined || p.flags.has("--ledger"))) throw new UsageError(`${periodEnd !== undefined ? "--period-end" : "--ledger"} needs --business.`);
  const wb = await load(p.files[0]!, io);
  if (!wb) return EXIT_PROBLEMS;
  const report = await checkWorkbook(wb, taxYear, { ...(business ? { business } : {}), ...(periodEnd ? { periodEnd } : {}), ledger: p.flags.has("--ledger") });
  const errors = report.problems.filter((x) => x.severity === "error").length;
  const nothing = report.sources.length === 0 && !report.ledger;
  if (p.json) io.stdout(json(report));
  else printCheck(p.files[0]!, report, business, io);
  return errors > 0 || nothing ? EXIT_PROBLEMS : EXIT_OK;
}

function printCheck(file: string, report: CheckReport, business: BusinessChoice | undefined, io: Io): void {
  io.stdout(`${file} for ${report.taxYear}:\n`);
  if (report.sources.length === 0 && !report.ledger) io.stdout("  no MTD.* names and no MTD_Ledger table found\n");
  for (const s of report.sources) io.stdout(`  ${s.type}${s.key ? ` ${s.key}` : ""}: ${s.names.length} name${s.names.length === 1 ? "" : "s"}\n`);
  if (report.ledger) io.stdout(`  ${report.ledger.table}: ${report.ledger.rows} rows; MTD_CategoryMap: ${report.ledger.categories ?? "missing"}${report.ledger.categories === undefined ? "" : " categories"}\n`);
  const b = report.business;
  if (b && business) {
    io.stdout(`  ${describeBusiness(business)} (${b.type}${b.businessId ? ` ${b.businessId}` : ""}), ${b.mode === "ledger" ? "ledger mode" : "named ranges"}; required: ${b.required.join(", ")}\n`);
    if (b.quarter !== undefined) io.stdout(`  quarter ${b.quarter} (${b.basis}) prepared in full\n`);
    if (b.ledger) io.stdout(`  ${countsLine(b.ledger)}`);
  }
  io.stdout(report.problems.length === 0 ? "No problems found.\n" : problemLines(report.problems));
  if (report.hint) io.stdout(`${report.hint}\n`);
}

async function runPreview(p: Parsed, taxYear: TaxYear, io: Io): Promise<number> {
  const choice = businessOf(p);
  if (!choice) throw new UsageError("preview needs --business.");
  const end = periodEndOf(p);
  if (end === undefined) throw new UsageError("preview needs --period-end.");
  const wb = await load(p.files[0]!, io);
  if (!wb) return EXIT_PROBLEMS;
  const report = await previewUpdate(wb, choice, taxYear, end, { ledger: p.flags.has("--ledger") });
  const failed = !report.prepared?.body;
  if (p.json) io.stdout(json(previewJson(report)));
  else printPreview(report, io);
  return failed ? EXIT_PROBLEMS : EXIT_OK;
}

/** `preview --json`: documented in README.md; fields are only ever added. */
function previewJson(report: PreviewReport): Record<string, unknown> {
  const prepared = report.prepared;
  const body = prepared?.body;
  return {
    ok: body !== undefined,
    business: report.business,
    taxYear: report.taxYear,
    ...(report.quarter ? { quarter: report.quarter.quarter, basis: report.quarter.basis } : {}),
    ...(prepared ? { mode: prepared.mode, endpoint: prepared.endpoint } : {}),
    ...(prepared?.ledger ? { ledger: prepared.ledger } : {}),
    ...(body && prepared ? { body, cells: cellsOf(prepared) } : {}),
    problems: report.problems,
    ...(report.hint ? { hint: report.hint } : {}),
  };
}

function printPreview(report: PreviewReport, io: Io): void {
  const prepared = report.prepared;
  const errors = report.problems.filter((x) => x.severity === "error");
  const warnings = report.problems.filter((x) => x.severity === "warning");
  if (!prepared?.body) {
    io.stderr(`Nothing would be sent; correct these first:\n${problemLines(errors)}`);
    if (report.hint) io.stderr(`${report.hint}\n`);
  } else {
    const q = report.quarter!;
    io.stdout(`${report.business} ${report.taxYear}, quarter ${q.quarter} (${q.basis}), ${q.cumulativeStart} to ${q.end}. The add-in would send:\n`);
    if (prepared.ledger) io.stdout(countsLine(prepared.ledger));
    io.stdout(json(prepared.body));
  }
  // On stderr, so stdout stays the header and the exact body.
  if (warnings.length > 0) io.stderr(`Warnings (they do not stop sending):\n${problemLines(warnings)}`);
}

/** The whole CLI, with its output injected so tests can drive it without a process. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const parsed = parseArgs(argv);
    if (parsed === "help") {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    return await run(parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_PROBLEMS;
    });
}
