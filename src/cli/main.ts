#!/usr/bin/env node
/**
 * `mtd-bridge`: list HMRC's fields, check a workbook's MTD.* names, and preview the exact cumulative
 * payload the add-in would send, from an .xlsx file. Exit codes: 0 ok, 1 problems found, 2 usage error.
 */
import { parseIsoDate, parseTaxYear, type TaxYear } from "../mtd";
import type { CellProblem } from "../workbook/figures-from-names";
import { loadXlsx, XlsxError } from "../workbook/xlsx";
import type { InMemoryWorkbook } from "../workbook/in-memory";
import { checkWorkbook, fieldRows, parseBusiness, previewWorkbook } from "./commands";

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage:
  mtd-bridge fields --business <uk-property|self-employment|foreign-property> --tax-year <YYYY-YY> [--json]
  mtd-bridge check <file.xlsx> [--tax-year <YYYY-YY>] [--json]
  mtd-bridge preview <file.xlsx> --business <UKP|SE.<alias>|FP|FP.<country or alias>> --tax-year <YYYY-YY> --period-end <YYYY-MM-DD> [--json]
  mtd-bridge --help

Exit codes: 0 ok, 1 problems found, 2 usage error.
`;

const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  fields: ["--business", "--tax-year"],
  check: ["--tax-year"],
  preview: ["--business", "--tax-year", "--period-end"],
};
const POSITIONALS: Readonly<Record<string, number>> = { fields: 0, check: 1, preview: 1 };
const DEFAULT_TAX_YEAR = "2025-26";

class UsageError extends Error {}

interface Parsed {
  readonly command: string;
  readonly files: string[];
  readonly options: Map<string, string>;
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
  let json = false;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    if (arg === "--json") json = true;
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
  return { command, files, options, json };
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
  if (p.command === "check") {
    const wb = await load(p.files[0]!, io);
    if (!wb) return EXIT_PROBLEMS;
    const report = await checkWorkbook(wb, taxYear);
    const errors = report.problems.filter((x) => x.severity === "error").length;
    if (p.json) io.stdout(json(report));
    else {
      io.stdout(`${p.files[0]} for ${taxYear}:\n`);
      if (report.sources.length === 0) io.stdout("  no MTD.* names found\n");
      for (const s of report.sources) io.stdout(`  ${s.type}${s.key ? ` ${s.key}` : ""}: ${s.names.length} name${s.names.length === 1 ? "" : "s"}\n`);
      io.stdout(report.problems.length === 0 ? "No problems found.\n" : `${report.problems.map(problemLine).join("\n")}\n`);
    }
    return errors > 0 || report.sources.length === 0 ? EXIT_PROBLEMS : EXIT_OK;
  }
  const choice = parseBusiness(need(p, "--business"));
  if (!choice) throw new UsageError("--business must be UKP, SE.<alias or businessId>, FP or FP.<country or alias>.");
  const end = parseIsoDate(need(p, "--period-end"));
  if (!end.ok) throw new UsageError(`--period-end: ${end.error}`);
  const wb = await load(p.files[0]!, io);
  if (!wb) return EXIT_PROBLEMS;
  const report = await previewWorkbook(wb, choice, taxYear, end.value);
  const failed = report.problems.some((x) => x.severity === "error");
  if (p.json) {
    io.stdout(
      json({
        ok: !failed,
        business: report.business,
        taxYear,
        ...(report.quarter ? { quarter: report.quarter.quarter, basis: report.quarter.basis } : {}),
        ...(failed ? {} : { body: report.body, cells: report.cells }),
        problems: report.problems,
      }),
    );
  } else if (failed) {
    io.stderr(`Nothing would be sent; correct these first:\n${report.problems.map(problemLine).join("\n")}\n`);
  } else {
    const q = report.quarter!;
    io.stdout(`${report.business} ${taxYear}, quarter ${q.quarter} (${q.basis}), ${q.cumulativeStart} to ${q.end}. The add-in would send:\n`);
    io.stdout(json(report.body));
    const warnings = report.problems.filter((x) => x.severity === "warning");
    if (warnings.length > 0) io.stdout(`${warnings.map(problemLine).join("\n")}\n`);
  }
  return failed ? EXIT_PROBLEMS : EXIT_OK;
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
