/**
 * HMRC's fraud-prevention header validator, rebuilt for WEB_APP_VIA_SERVER spec 3.3 from the rule catalogue in
 * reference/fraud-headers.md §3.3 (R1–R29; HMRC's validator source is not public). Results have the shapes of
 * HMRC's Test Fraud Prevention Headers API (§3.2), so the sandbox can serve them and the relay and task pane
 * can show exactly what HMRC would say.
 *
 * Messages in quotes in the notes are HMRC's own and are used verbatim; the ones marked `// ours` were not
 * published and are written in HMRC's style.
 */
import { isPercentEncoded, parseKeyValueList, parseKeyValues, percentDecode, type EncodingProblem, type ParsedKeyValues } from "./encoding";
import { canonicalFraudHeaderName, classifyIp, FRAUD_HEADER, FRAUD_SPEC_VERSION, NOT_FOR_WEB_APPS, WEB_APP_VIA_SERVER_HEADERS, type FraudHeaderName } from "./headers";

export type FraudResultCode = "VALID_HEADERS" | "POTENTIALLY_INVALID_HEADERS" | "INVALID_HEADERS";
export type FindingCode = "INVALID_HEADER" | "MISSING_HEADER" | "EMPTY_HEADER" | "INVALID_HEADERS" | "POTENTIALLY_INVALID_HEADER" | "UNEXPECTED_HEADER";

export interface Finding {
  readonly code: FindingCode;
  readonly message: string;
  /** Lower-case header names, as HMRC reports them. */
  readonly headers: string[];
}

/** The body of HMRC's `GET /test/fraud-prevention-headers/validate`. */
export interface FraudValidationResult {
  readonly specVersion: typeof FRAUD_SPEC_VERSION;
  readonly code: FraudResultCode;
  readonly message: string;
  readonly errors?: Finding[];
  readonly warnings?: Finding[];
}

export interface FraudValidationOptions {
  /** The method the headers are checked against; the only one this product uses. */
  readonly connectionMethod?: "WEB_APP_VIA_SERVER";
}

/** Header name (any case) → value; undefined means absent. */
export type FraudHeaders = Readonly<Record<string, string | undefined>>;

/** Which rule of reference/fraud-headers.md §3.3 a finding comes from; the named ones are the notes' "inferred" rules. */
export type FraudRule =
  | "R1" | "R2" | "R3" | "R4" | "R5" | "R6" | "R7" | "R8" | "R9" | "R10" | "R11" | "R12" | "R13" | "R14" | "R15"
  | "R16" | "R17" | "R18" | "R19" | "R20" | "R21" | "R22" | "R23" | "R24" | "R25" | "R26" | "R27" | "R29"
  | "EMPTY_VALUE" | "PLACEHOLDER" | "NOT_ASCII" | "EMPTY_ITEM" | "DUPLICATE_KEY" | "PORT_RANGE" | "TIMESTAMP_FORMAT"
  | "WHOLE_NUMBERS" | "COLOUR_DEPTH" | "WINDOW_SIZE_FIELDS" | "MFA_FIELDS" | "MFA_TYPE" | "MFA_TIMESTAMP"
  | "PRODUCT_NAME_ENCODING" | "USER_AGENT_ENCODED" | "NOT_FOR_WEB_APPS";

/** One finding of one rule: what the per-request, per-header and per-panel views are all built from. */
export interface RuleFinding extends Finding {
  readonly rule: FraudRule;
  readonly severity: "error" | "warning";
}

export const FRAUD_MESSAGES = {
  VALID: "All headers required for your connection method have been supplied and all appear to be valid. Validation is based on a single request. We have access to all requests and can draw additional conclusions.",
  POTENTIALLY_INVALID: "At least 1 header is potentially invalid",
  INVALID: "At least 1 header is invalid",
  NO_HEADERS: "No fraud prevention headers submitted. These are required by law. Check the specification.",
} as const;

const M = {
  required: "Header required",
  valueRequired: "Value required",
  portMissing:
    "Header missing. You will not be able to submit a header if the connection is between client and server in a private network. If this is the case, you must contact us explaining why you cannot submit this header.",
  mfaMissing:
    "Header missing. This may be correct for single factor authentication, for example username and password. If this is the case, you must contact us explaining why you cannot submit this header.",
  mfaEmpty:
    "Value is empty. This may be correct for single factor authentication, for example username and password. If this is the case, you must contact us explaining why you cannot submit this header.",
  osKey: "Check you are using the correct Gov-Client-Connection-Method. Web applications do not usually provide the os field as browsers do not expose this information.",
  timezone: "Value must be a recognised timezone in UTC format, submitted as UTC±<hh>:<mm>",
  notIp: "Value is not an IP address",
  notPublicIp: "Value is not a public IP address",
  byMissing: "At least 1 value for 'by' is missing",
  forMissing: "At least 1 value for 'for' is missing",
  forwardedCross:
    "At least 1 pair of IPs in Gov-Vendor-Forwarded must include Gov-Client-Public-IP in the 'for' field and Gov-Vendor-Public-IP in the 'by' field. Check all 3 headers are consistent.",
  notKeyValue: "Value must be a key-value data structure",
  notEncoded: "At least 1 key or value is not percent encoded",
  versionMissing: "At least 1 software version value is missing",
  separatorEncoded: "At least 1 separator is percent encoded. Check ampersands and equal signs.",
  versionPairs: "For client server architectures, submit a version for the client and the server. For all other architectures, submit at least 1 version.",
  notUuid: "Use a recommended UUID. Check the specification.",
  shortId: "ID must be longer to ensure it is unique. It is best to use a UUID which is at least 128 bits or 32 hex characters long.",
  emailInId: "Contains an email address. User specific data must not be used to generate Device IDs.",
  unexpected: "Unrecognised header. Check format and spelling.",
  userAgentEncoded: "At least 1 separator is percent encoded. Check forward slashes, spaces and round brackets.",
  screenMissing: (field: string) => `At least 1 screen is missing a value for ${field}`, // HMRC's for scaling factor and colour depth; ours for width and height
  // ours from here on
  serverPort: "Value must be the public port of the client device, not a server port such as 80 or 443",
  portRange: "Value must be a whole number between 1 and 65535",
  timestamp: "Value must be a UTC timestamp in the format yyyy-MM-ddThh:mm:ss.sssZ, including seconds and milliseconds",
  placeholder: "Value must not be a placeholder such as null or undefined. If you cannot collect the data, contact us explaining why.",
  notAscii: "Value must only contain US-ASCII characters. Percent encode any other character.",
  emptyItem: "At least 1 item is empty. Lists and key-value data structures must not contain empty items.",
  duplicateKey: "At least 1 key appears more than once",
  screenWholeNumbers: "At least 1 screen has a width or height that is not a positive whole number",
  screenScaling: "At least 1 screen has a scaling factor that is not a positive number",
  screenColourDepth: "At least 1 screen has a colour depth that is not a positive whole number",
  windowFields: (field: string) => `Value is missing a value for ${field}`,
  windowWholeNumbers: "Width and height must be positive whole numbers",
  mfaField: (field: string) => `At least 1 value for '${field}' is missing`,
  mfaType: "At least 1 value for 'type' is not TOTP, AUTH_CODE or OTHER",
  mfaTimestamp: "At least 1 timestamp is not a UTC timestamp in the format yyyy-MM-ddThh:mmZ. Include T and use the 24 hour format.",
  productName: "Value must be percent encoded",
  connectionMethod: "Value must be WEB_APP_VIA_SERVER, the connection method these headers are checked against",
  notForWebApps: "Not used by WEB_APP_VIA_SERVER. Remove this header.",
} as const;

const L = (name: FraudHeaderName): string => name.toLowerCase();
const H = {
  method: L(FRAUD_HEADER.connectionMethod),
  userAgent: L(FRAUD_HEADER.browserJsUserAgent),
  deviceId: L(FRAUD_HEADER.deviceId),
  mfa: L(FRAUD_HEADER.multiFactor),
  publicIp: L(FRAUD_HEADER.publicIp),
  timestamp: L(FRAUD_HEADER.publicIpTimestamp),
  port: L(FRAUD_HEADER.publicPort),
  screens: L(FRAUD_HEADER.screens),
  timezone: L(FRAUD_HEADER.timezone),
  userIds: L(FRAUD_HEADER.userIds),
  windowSize: L(FRAUD_HEADER.windowSize),
  forwarded: L(FRAUD_HEADER.vendorForwarded),
  licenseIds: L(FRAUD_HEADER.vendorLicenseIds),
  productName: L(FRAUD_HEADER.vendorProductName),
  vendorIp: L(FRAUD_HEADER.vendorPublicIp),
  version: L(FRAUD_HEADER.vendorVersion),
} as const;

const REQUIRED = WEB_APP_VIA_SERVER_HEADERS.map((h) => L(h.name));
const NOT_FOR_WEB = new Set(NOT_FOR_WEB_APPS.map((n) => n.toLowerCase()));
const TEST_SCENARIO = "gov-test-scenario";
/** Other methods HMRC defines; the via-server ones need a client and a server version (R22). */
const CLIENT_SERVER_METHODS = new Set(["DESKTOP_APP_VIA_SERVER", "MOBILE_APP_VIA_SERVER", "OTHER_VIA_SERVER"]);
const PLACEHOLDERS = new Set(["null", "undefined", "nan", "n/a"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const TIMEZONE = /^UTC([+-])(\d{2}):([0-5]\d)$/;
const IP_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MFA_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?Z$/;
const WHOLE = /^[1-9]\d*$/;
const DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/** A lower-case view of the request's Gov-* headers; the first value given wins if a name repeats in another case. */
function lowerCased(headers: FraudHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value !== undefined && key.startsWith("gov-") && !out.has(key)) out.set(key, value);
  }
  return out;
}

const isFraudHeaderName = (name: string): boolean => name.startsWith("gov-client-") || name.startsWith("gov-vendor-");

class Findings {
  readonly all: RuleFinding[] = [];
  error(rule: FraudRule, headers: string | string[], message: string, code: FindingCode = "INVALID_HEADER"): void {
    this.all.push({ rule, severity: "error", code, message, headers: typeof headers === "string" ? [headers] : headers });
  }
  warning(rule: FraudRule, header: string, message: string, code: FindingCode = "POTENTIALLY_INVALID_HEADER"): void {
    this.all.push({ rule, severity: "warning", code, message, headers: [header] });
  }
  /** Structure and encoding problems of a key-value header or list, by HMRC's rules R18, R19, R21. */
  encoding(header: string, problems: readonly EncodingProblem[], notEncoded: "error" | "warning" = "error"): void {
    for (const p of problems) {
      if (p === "NOT_KEY_VALUE") this.error("R18", header, M.notKeyValue);
      else if (p === "SEPARATOR_ENCODED") this.error("R21", header, M.separatorEncoded);
      else if (p === "EMPTY_ITEM") this.error("EMPTY_ITEM", header, M.emptyItem);
      else if (p === "DUPLICATE_KEY") this.error("DUPLICATE_KEY", header, M.duplicateKey);
      else if (notEncoded === "error") this.error("R19", header, M.notEncoded);
      else this.warning("R17", header, M.notEncoded);
    }
  }
}

const get = (pairs: ParsedKeyValues, key: string): string | undefined => pairs.pairs.find(([k]) => k === key)?.[1];

function checkIp(f: Findings, header: string, value: string): void {
  const ip = classifyIp(value);
  if (!ip) f.error("R13", header, M.notIp);
  else if (!ip.public) f.error("R14", header, M.notPublicIp);
}

function checkDeviceId(f: Findings, value: string): void {
  const decoded = percentDecode(value) ?? value;
  if (EMAIL.test(decoded)) f.warning("R25", H.deviceId, M.emailInId);
  else if (value.replace(/-/g, "").length < 32) f.warning("R24", H.deviceId, M.shortId);
  else if (!UUID.test(value)) f.warning("R23", H.deviceId, M.notUuid);
}

function checkPort(f: Findings, value: string): void {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) f.error("PORT_RANGE", H.port, M.portRange);
  else if (port === 80 || port === 443) f.error("R26", H.port, M.serverPort);
}

function isRealTimestamp(date: string, time: string): boolean {
  const ms = Date.parse(`${date}T${time}Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

function checkTimestamp(f: Findings, value: string): void {
  if (!IP_TIMESTAMP.test(value) || !isRealTimestamp(value.slice(0, 10), value.slice(11, 23))) f.error("TIMESTAMP_FORMAT", H.timestamp, M.timestamp);
}

function checkTimezone(f: Findings, value: string): void {
  const m = TIMEZONE.exec(value);
  // Real offsets run from UTC-12:00 to UTC+14:00.
  const minutes = m ? Number(m[2]) * 60 + Number(m[3]) : NaN;
  if (!m || minutes > (m[1] === "+" ? 14 * 60 : 12 * 60)) f.error("R10", H.timezone, M.timezone);
}

function checkScreens(f: Findings, value: string): void {
  const parsed = parseKeyValueList(value);
  f.encoding(H.screens, parsed.problems);
  const missing = new Set<string>();
  let wholeNumbers = true;
  let scaling = true;
  let depth = true;
  for (const screen of parsed.items) {
    for (const [key, label] of [["width", "width"], ["height", "height"], ["scaling-factor", "scaling factor"], ["colour-depth", "colour depth"]] as const) {
      if (!get(screen, key)) missing.add(label);
    }
    for (const key of ["width", "height"]) {
      const v = get(screen, key);
      if (v && !WHOLE.test(v)) wholeNumbers = false;
    }
    const s = get(screen, "scaling-factor");
    if (s && !(DECIMAL.test(s) && Number(s) > 0)) scaling = false;
    const d = get(screen, "colour-depth");
    if (d && !WHOLE.test(d)) depth = false;
  }
  for (const label of missing) f.error("R11", H.screens, M.screenMissing(label));
  if (!wholeNumbers) f.error("WHOLE_NUMBERS", H.screens, M.screenWholeNumbers);
  if (!scaling) f.error("R12", H.screens, M.screenScaling);
  if (!depth) f.error("COLOUR_DEPTH", H.screens, M.screenColourDepth);
}

function checkWindowSize(f: Findings, value: string): void {
  const parsed = parseKeyValues(value);
  f.encoding(H.windowSize, parsed.problems);
  if (parsed.problems.includes("NOT_KEY_VALUE") && parsed.pairs.length === 0) return;
  let whole = true;
  for (const key of ["width", "height"]) {
    const v = get(parsed, key);
    if (!v) f.error("WINDOW_SIZE_FIELDS", H.windowSize, M.windowFields(key));
    else if (!WHOLE.test(v)) whole = false;
  }
  if (!whole) f.error("WHOLE_NUMBERS", H.windowSize, M.windowWholeNumbers);
}

function checkUserIds(f: Findings, value: string): void {
  const parsed = parseKeyValues(value);
  f.encoding(H.userIds, parsed.problems);
  if (parsed.pairs.some(([k]) => k === "os")) f.warning("R9", H.userIds, M.osKey);
}

function checkMultiFactor(f: Findings, value: string): void {
  const parsed = parseKeyValueList(value);
  f.encoding(H.mfa, parsed.problems);
  const missing = new Set<string>();
  let types = true;
  let timestamps = true;
  for (const factor of parsed.items) {
    if (factor.problems.includes("NOT_KEY_VALUE") && factor.pairs.length === 0) continue;
    for (const key of ["type", "timestamp", "unique-reference"]) if (!get(factor, key)) missing.add(key);
    const type = get(factor, "type");
    if (type && !["TOTP", "AUTH_CODE", "OTHER"].includes(type)) types = false;
    const ts = get(factor, "timestamp");
    const m = ts ? MFA_TIMESTAMP.exec(ts) : null;
    if (ts && !(m && isRealTimestamp(m[1]!, `${m[2]}:${m[3]}:${m[4] ?? "00"}`))) timestamps = false;
  }
  for (const key of missing) f.error("MFA_FIELDS", H.mfa, M.mfaField(key));
  if (!types) f.error("MFA_TYPE", H.mfa, M.mfaType);
  if (!timestamps) f.error("MFA_TIMESTAMP", H.mfa, M.mfaTimestamp);
}

function checkForwarded(f: Findings, value: string): void {
  const parsed = parseKeyValueList(value);
  // Raw IPv6 colons were observed as a warning, not an error (R17).
  f.encoding(H.forwarded, parsed.problems, "warning");
  let by = true;
  let forr = true;
  let ips = true;
  let publicIps = true;
  for (const hop of parsed.items) {
    if (hop.problems.includes("NOT_KEY_VALUE") && hop.pairs.length === 0) continue;
    for (const [key, v] of [["by", get(hop, "by")], ["for", get(hop, "for")]] as const) {
      if (!v) {
        if (key === "by") by = false;
        else forr = false;
        continue;
      }
      const ip = classifyIp(v);
      if (!ip) ips = false;
      else if (!ip.public) publicIps = false;
    }
  }
  if (!by) f.error("R15", H.forwarded, M.byMissing);
  if (!forr) f.error("R15", H.forwarded, M.forMissing);
  if (!ips) f.error("R13", H.forwarded, M.notIp);
  if (!publicIps) f.error("R14", H.forwarded, M.notPublicIp);
}

/** R16: some hop must be `by=<Gov-Vendor-Public-IP>&for=<Gov-Client-Public-IP>`; checked only when all three can be read. */
function forwardedConsistent(values: Map<string, string>): boolean | undefined {
  const client = classifyIp(values.get(H.publicIp) ?? "");
  const vendor = classifyIp(values.get(H.vendorIp) ?? "");
  const forwarded = values.get(H.forwarded);
  if (!client || !vendor || !forwarded) return undefined;
  return parseKeyValueList(forwarded).items.some(
    (hop) => classifyIp(get(hop, "by") ?? "")?.normalised === vendor.normalised && classifyIp(get(hop, "for") ?? "")?.normalised === client.normalised,
  );
}

function checkKeyValueHeader(f: Findings, header: string, value: string): ParsedKeyValues {
  const parsed = parseKeyValues(value);
  f.encoding(header, parsed.problems);
  return parsed;
}

function checkVersion(f: Findings, value: string, method: string | undefined): void {
  const parsed = checkKeyValueHeader(f, H.version, value);
  if (parsed.pairs.some(([, v]) => v === "")) f.error("R20", H.version, M.versionMissing);
  if (method !== undefined && CLIENT_SERVER_METHODS.has(method) && parsed.pairs.length < 2) f.warning("R22", H.version, M.versionPairs);
}

/** Checks one present, non-empty header's value. */
function checkValue(f: Findings, name: string, value: string, values: Map<string, string>): void {
  if (PLACEHOLDERS.has(value.trim().toLowerCase())) return f.error("PLACEHOLDER", name, M.placeholder);
  if (!PRINTABLE_ASCII.test(value)) f.error("NOT_ASCII", name, M.notAscii);
  switch (name) {
    case H.method:
      if (value !== "WEB_APP_VIA_SERVER") f.error("R29", name, M.connectionMethod);
      return;
    case H.userAgent:
      // Spec 3.3: the user agent goes as the browser reports it; only characters outside ASCII are encoded.
      if (!/[ /()]/.test(value) && /%(?:20|2F|28|29)/i.test(value)) f.warning("USER_AGENT_ENCODED", name, M.userAgentEncoded);
      return;
    case H.deviceId:
      return checkDeviceId(f, value);
    case H.mfa:
      return checkMultiFactor(f, value);
    case H.publicIp:
    case H.vendorIp:
      return checkIp(f, name, value);
    case H.timestamp:
      return checkTimestamp(f, value);
    case H.port:
      return checkPort(f, value);
    case H.screens:
      return checkScreens(f, value);
    case H.timezone:
      return checkTimezone(f, value);
    case H.userIds:
      return checkUserIds(f, value);
    case H.windowSize:
      return checkWindowSize(f, value);
    case H.forwarded:
      return checkForwarded(f, value);
    case H.licenseIds:
      checkKeyValueHeader(f, name, value);
      return;
    case H.productName:
      if (!isPercentEncoded(value)) f.error("PRODUCT_NAME_ENCODING", name, M.productName);
      return;
    case H.version:
      return checkVersion(f, value, values.get(H.method));
  }
}

function missing(f: Findings, name: string): void {
  if (name === H.port) f.error("R3", name, M.portMissing, "MISSING_HEADER");
  else if (name === H.mfa) f.warning("R4", name, M.mfaMissing, "MISSING_HEADER");
  else if (name === H.licenseIds) f.warning("R6", name, M.required, "MISSING_HEADER");
  else f.error("R2", name, M.required, "MISSING_HEADER");
}

function empty(f: Findings, name: string): void {
  if (name === H.mfa) f.warning("R5", name, M.mfaEmpty, "EMPTY_HEADER");
  else if (name === H.licenseIds) f.warning("R7", name, M.valueRequired, "EMPTY_HEADER");
  else if (name === H.userIds) f.error("R8", name, M.valueRequired, "EMPTY_HEADER");
  else f.error("EMPTY_VALUE", name, M.valueRequired, "EMPTY_HEADER");
}

export interface FraudAnalysis {
  /** R1: no Gov-Client-* or Gov-Vendor-* header at all. */
  readonly noHeaders: boolean;
  /** Every finding, in spec header order, one per rule and header. */
  readonly findings: readonly RuleFinding[];
  /** The R16 cross-check: undefined when Forwarded or one of the two IPs is absent or unreadable. */
  readonly forwardedConsistent: boolean | undefined;
}

/** Runs every rule; the views below (validate, describe, feedback) are built from this. */
export function analyseFraudHeaders(headers: FraudHeaders, _options: FraudValidationOptions = {}): FraudAnalysis {
  const values = lowerCased(headers);
  if (![...values.keys()].some(isFraudHeaderName)) return { noHeaders: true, findings: [], forwardedConsistent: undefined };
  const f = new Findings();
  for (const name of REQUIRED) {
    const value = values.get(name);
    if (value === undefined) missing(f, name);
    else if (value.trim() === "") empty(f, name);
    else checkValue(f, name, value, values);
  }
  for (const name of values.keys()) {
    if (!isFraudHeaderName(name) || canonicalFraudHeaderName(name)) continue;
    if (NOT_FOR_WEB.has(name)) f.warning("NOT_FOR_WEB_APPS", name, M.notForWebApps, "UNEXPECTED_HEADER");
    else f.warning("R27", name, M.unexpected, "UNEXPECTED_HEADER");
  }
  const consistent = forwardedConsistent(values);
  if (consistent === false) f.error("R16", [H.forwarded, H.publicIp, H.vendorIp], M.forwardedCross, "INVALID_HEADERS");
  return { noHeaders: false, findings: f.all, forwardedConsistent: consistent };
}

/** HMRC lists each (code, message) once with every header it applies to. */
function grouped(findings: readonly RuleFinding[]): Finding[] {
  const out: Finding[] = [];
  for (const x of findings) {
    const same = out.find((o) => o.code === x.code && o.message === x.message);
    if (same) same.headers.push(...x.headers.filter((h) => !same.headers.includes(h)));
    else out.push({ code: x.code, message: x.message, headers: [...x.headers] });
  }
  return out;
}

function overall(analysis: FraudAnalysis): { code: FraudResultCode; message: string } {
  if (analysis.noHeaders) return { code: "INVALID_HEADERS", message: FRAUD_MESSAGES.NO_HEADERS };
  if (analysis.findings.some((x) => x.severity === "error")) return { code: "INVALID_HEADERS", message: FRAUD_MESSAGES.INVALID };
  if (analysis.findings.length > 0) return { code: "POTENTIALLY_INVALID_HEADERS", message: FRAUD_MESSAGES.POTENTIALLY_INVALID };
  return { code: "VALID_HEADERS", message: FRAUD_MESSAGES.VALID };
}

/** HMRC's `/validate` verdict on one request's headers (names in any case). */
export function validateFraudHeaders(headers: FraudHeaders, options: FraudValidationOptions = {}): FraudValidationResult {
  const analysis = analyseFraudHeaders(headers, options);
  const errors = grouped(analysis.findings.filter((x) => x.severity === "error"));
  const warnings = grouped(analysis.findings.filter((x) => x.severity === "warning"));
  return {
    specVersion: FRAUD_SPEC_VERSION,
    ...overall(analysis),
    ...(errors.length > 0 ? { errors } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

// ---- Per-header views --------------------------------------------------------------------------------------

export type FeedbackHeaderCode = "VALID_HEADER" | "INVALID_HEADER" | "POTENTIALLY_INVALID_HEADER" | "MISSING_HEADER" | "UNEXPECTED_HEADER" | "TEST_SCENARIO_HEADER";

/** One header of one request in HMRC's `validation-feedback` response. */
export interface HeaderFeedback {
  readonly header: string;
  readonly value?: string;
  readonly code: FeedbackHeaderCode;
  readonly errors: string[];
  readonly warnings: string[];
}

export interface CrossValidationFeedback {
  readonly headers: string[];
  readonly code: "VALID_HEADERS" | "INVALID_HEADERS";
  readonly errors: string[];
}

/** The per-request part of HMRC's `validation-feedback` response (path, method and timestamp are the caller's). */
export interface FraudHeaderFeedback {
  readonly code: FraudResultCode | "NO_HEADERS";
  readonly headers: HeaderFeedback[];
  readonly crossValidation: CrossValidationFeedback[];
}

/** Names to report on: the 16 in spec order, then any other Gov-* header the request carried. */
function reportedNames(values: Map<string, string>): string[] {
  return [...REQUIRED, ...[...values.keys()].filter((n) => !REQUIRED.includes(n) && (isFraudHeaderName(n) || n === TEST_SCENARIO))];
}

function headerFindings(analysis: FraudAnalysis, name: string): RuleFinding[] {
  // The cross-check belongs to crossValidation, not to any one header.
  return analysis.findings.filter((x) => x.rule !== "R16" && x.headers.includes(name));
}

/** The feedback HMRC gives on one request: a verdict per header plus the Forwarded/IP cross-check. */
export function fraudHeaderFeedback(headers: FraudHeaders, options: FraudValidationOptions = {}): FraudHeaderFeedback {
  const values = lowerCased(headers);
  const analysis = analyseFraudHeaders(headers, options);
  const feedback = reportedNames(values).map((name): HeaderFeedback => {
    const value = values.get(name);
    const mine = headerFindings(analysis, name);
    const errors = mine.filter((x) => x.severity === "error").map((x) => x.message);
    const warnings = mine.filter((x) => x.severity === "warning").map((x) => x.message);
    const code: FeedbackHeaderCode =
      name === TEST_SCENARIO ? "TEST_SCENARIO_HEADER"
      : value === undefined ? "MISSING_HEADER"
      : mine.some((x) => x.code === "UNEXPECTED_HEADER") ? "UNEXPECTED_HEADER"
      : errors.length > 0 ? "INVALID_HEADER"
      : warnings.length > 0 ? "POTENTIALLY_INVALID_HEADER"
      : "VALID_HEADER";
    return { header: name, ...(value !== undefined ? { value } : {}), code, errors, warnings };
  });
  const crossHeaders = [H.forwarded, H.publicIp, H.vendorIp];
  const crossValidation: CrossValidationFeedback[] =
    analysis.forwardedConsistent === undefined
      ? []
      : [{ headers: crossHeaders, code: analysis.forwardedConsistent ? "VALID_HEADERS" : "INVALID_HEADERS", errors: analysis.forwardedConsistent ? [] : [M.forwardedCross] }];
  return { code: analysis.noHeaders ? "NO_HEADERS" : overall(analysis).code, headers: analysis.noHeaders ? [] : feedback, crossValidation };
}

export type HeaderVerdict = "valid" | "warning" | "error" | "missing";

export interface FraudHeaderReport {
  /** HMRC's spelling for the 16 headers; the lower-case name for anything else. */
  readonly header: string;
  /** The value as sent, unmasked (mask it with maskFraudHeaderValue before showing it); undefined when absent. */
  readonly value: string | undefined;
  readonly verdict: HeaderVerdict;
  /** HMRC's messages for this header, errors first (the Forwarded/IP cross-check is given to all three). */
  readonly messages: string[];
}

/** One row per header for the task pane's "What we send HMRC" panel: the 16 in spec order, then any unexpected ones. */
export function describeFraudHeaders(headers: FraudHeaders, options: FraudValidationOptions = {}): FraudHeaderReport[] {
  const values = lowerCased(headers);
  const analysis = analyseFraudHeaders(headers, options);
  return reportedNames(values)
    .filter((n) => n !== TEST_SCENARIO)
    .map((name) => {
      const value = values.get(name);
      const mine = analysis.findings.filter((x) => x.headers.includes(name));
      const errors = mine.filter((x) => x.severity === "error");
      const verdict: HeaderVerdict = value === undefined ? "missing" : errors.length > 0 ? "error" : mine.length > 0 ? "warning" : "valid";
      return {
        header: canonicalFraudHeaderName(name) ?? name,
        value,
        verdict,
        messages: [...errors, ...mine.filter((x) => x.severity === "warning")].map((x) => x.message),
      };
    });
}

// ---- Masking -----------------------------------------------------------------------------------------------

/** `81.2.69.142` → `81.2.*.*`; IPv6 keeps its first two groups. Anything else is masked whole. */
function maskIp(value: string): string {
  const ip = classifyIp(value);
  if (!ip) return "*".repeat(Math.min(value.length, 8));
  return ip.version === 4 ? ip.normalised.split(".").slice(0, 2).concat("*", "*").join(".") : `${ip.normalised.split(":").slice(0, 2).join(":")}:*`;
}

/** Keeps the first `keep` characters; the rest become `*` (at most 8, so the length is not given away). */
function maskTail(value: string, keep: number): string {
  return value.length <= keep ? "*".repeat(value.length) : `${value.slice(0, keep)}${"*".repeat(Math.min(8, value.length - keep))}`;
}

/** Rewrites selected values of a (list of) key-value structure(s), leaving keys and separators as sent. */
function maskValues(value: string, mask: (key: string, decoded: string, raw: string) => string): string {
  return value
    .split(",")
    .map((item) =>
      item
        .split("&")
        .map((pair) => {
          const eq = pair.indexOf("=");
          if (eq < 0) return pair;
          const key = percentDecode(pair.slice(0, eq)) ?? pair.slice(0, eq);
          const raw = pair.slice(eq + 1);
          return `${pair.slice(0, eq)}=${mask(key, percentDecode(raw) ?? raw, raw)}`;
        })
        .join("&"),
    )
    .join(",");
}

/**
 * A header value fit to show on screen or in logs: personal values are partly masked (the client's IP, the
 * device ID, user IDs, the client IP in Forwarded, MFA references and licence hashes); the rest is returned as is.
 */
export function maskFraudHeaderValue(header: string, value: string): string {
  switch (header.toLowerCase()) {
    case H.publicIp:
      return maskIp(value);
    case H.deviceId:
      return maskTail(value, 8);
    case H.userIds:
      return maskValues(value, (_k, decoded) => maskTail(decoded, 1));
    case H.forwarded:
      return maskValues(value, (key, decoded, raw) => (key === "for" ? maskIp(decoded) : raw));
    case H.mfa:
      return maskValues(value, (key, _d, raw) => (key === "unique-reference" ? maskTail(raw, 6) : raw));
    case H.licenseIds:
      return maskValues(value, (_k, _d, raw) => maskTail(raw, 6));
    default:
      return value;
  }
}
