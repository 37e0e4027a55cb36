import {
  analyseFraudHeaders,
  describeFraudHeaders,
  FRAUD_MESSAGES,
  fraudHeaderFeedback,
  maskFraudHeaderValue,
  validateFraudHeaders,
  type FindingCode,
  type FraudRule,
} from "../../../src/mtd/fraud";
import { VALID_FRAUD_HEADERS, withHeaders } from "./fixtures";

type Changes = Readonly<Record<string, string | undefined>>;

interface RuleCase {
  rule: FraudRule;
  what: string;
  trigger: Changes;
  pass: Changes;
  severity: "error" | "warning";
  code: FindingCode;
  message: string;
  header: string;
}

const V6 = "2a00:23c5:1234::1";
const V6_ENCODED = "2a00%3A23c5%3A1234%3A%3A1";

/** Every rule of reference/fraud-headers.md §3.3 that applies to WEB_APP_VIA_SERVER, plus the inferred ones. */
const RULES: RuleCase[] = [
  { rule: "R2", what: "a required header is absent", trigger: { "Gov-Client-Timezone": undefined }, pass: {}, severity: "error", code: "MISSING_HEADER", message: "Header required", header: "gov-client-timezone" },
  { rule: "R3", what: "Gov-Client-Public-Port is absent (an error even so)", trigger: { "Gov-Client-Public-Port": undefined }, pass: {}, severity: "error", code: "MISSING_HEADER", message: "Header missing. You will not be able to submit a header if the connection is between client and server in a private network. If this is the case, you must contact us explaining why you cannot submit this header.", header: "gov-client-public-port" },
  { rule: "R4", what: "Gov-Client-Multi-Factor is absent (a warning)", trigger: { "Gov-Client-Multi-Factor": undefined }, pass: {}, severity: "warning", code: "MISSING_HEADER", message: "Header missing. This may be correct for single factor authentication, for example username and password. If this is the case, you must contact us explaining why you cannot submit this header.", header: "gov-client-multi-factor" },
  { rule: "R5", what: "Gov-Client-Multi-Factor is empty (a warning)", trigger: { "Gov-Client-Multi-Factor": "" }, pass: {}, severity: "warning", code: "EMPTY_HEADER", message: "Value is empty. This may be correct for single factor authentication, for example username and password. If this is the case, you must contact us explaining why you cannot submit this header.", header: "gov-client-multi-factor" },
  { rule: "R6", what: "Gov-Vendor-License-IDs is absent (a warning)", trigger: { "Gov-Vendor-License-IDs": undefined }, pass: {}, severity: "warning", code: "MISSING_HEADER", message: "Header required", header: "gov-vendor-license-ids" },
  { rule: "R7", what: "Gov-Vendor-License-IDs is empty (a warning)", trigger: { "Gov-Vendor-License-IDs": "" }, pass: {}, severity: "warning", code: "EMPTY_HEADER", message: "Value required", header: "gov-vendor-license-ids" },
  { rule: "R8", what: "Gov-Client-User-IDs is empty (an error)", trigger: { "Gov-Client-User-IDs": "" }, pass: { "Gov-Client-User-IDs": "mtd-bridge=alice" }, severity: "error", code: "EMPTY_HEADER", message: "Value required", header: "gov-client-user-ids" },
  { rule: "R9", what: "an os key in User-IDs from a web app", trigger: { "Gov-Client-User-IDs": "os=alice&mtd-bridge=alice" }, pass: { "Gov-Client-User-IDs": "mtd-bridge=alice&mtd-bridge-os-user=alice" }, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "Check you are using the correct Gov-Client-Connection-Method. Web applications do not usually provide the os field as browsers do not expose this information.", header: "gov-client-user-ids" },
  { rule: "R10", what: "a timezone not in UTC±hh:mm", trigger: { "Gov-Client-Timezone": "+0100" }, pass: { "Gov-Client-Timezone": "UTC+05:45" }, severity: "error", code: "INVALID_HEADER", message: "Value must be a recognised timezone in UTC format, submitted as UTC±<hh>:<mm>", header: "gov-client-timezone" },
  { rule: "R11", what: "a screen without a scaling factor", trigger: { "Gov-Client-Screens": "width=1920&height=1080&colour-depth=24" }, pass: { "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=2&colour-depth=24" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 screen is missing a value for scaling factor", header: "gov-client-screens" },
  { rule: "R12", what: "an invalid scaling factor", trigger: { "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=-1&colour-depth=24" }, pass: { "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=2.5&colour-depth=24" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 screen has a scaling factor that is not a positive number", header: "gov-client-screens" },
  { rule: "R13", what: "a public IP that is not an IP address", trigger: { "Gov-Vendor-Public-IP": "relay.example.com" }, pass: { "Gov-Vendor-Public-IP": "51.140.12.34" }, severity: "error", code: "INVALID_HEADER", message: "Value is not an IP address", header: "gov-vendor-public-ip" },
  { rule: "R14", what: "a private client IP", trigger: { "Gov-Client-Public-IP": "192.168.1.10", "Gov-Vendor-Forwarded": "by=51.140.12.34&for=192.168.1.10" }, pass: { "Gov-Client-Public-IP": "::ffff:81.2.69.142" }, severity: "error", code: "INVALID_HEADER", message: "Value is not a public IP address", header: "gov-client-public-ip" },
  { rule: "R15", what: "a Forwarded hop without by", trigger: { "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.142,for=51.140.12.34" }, pass: { "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.142,by=20.26.1.1&for=51.140.12.34" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 value for 'by' is missing", header: "gov-vendor-forwarded" },
  { rule: "R16", what: "no Forwarded hop has by=Vendor-Public-IP and for=Client-Public-IP", trigger: { "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.143" }, pass: { "Gov-Client-Public-IP": V6, "Gov-Vendor-Forwarded": `by=51.140.12.34&for=${V6_ENCODED}` }, severity: "error", code: "INVALID_HEADERS", message: "At least 1 pair of IPs in Gov-Vendor-Forwarded must include Gov-Client-Public-IP in the 'for' field and Gov-Vendor-Public-IP in the 'by' field. Check all 3 headers are consistent.", header: "gov-vendor-forwarded" },
  { rule: "R17", what: "raw IPv6 colons in Forwarded (a warning)", trigger: { "Gov-Client-Public-IP": V6, "Gov-Vendor-Forwarded": `by=51.140.12.34&for=${V6}` }, pass: { "Gov-Client-Public-IP": V6, "Gov-Vendor-Forwarded": `by=51.140.12.34&for=${V6_ENCODED}` }, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "At least 1 key or value is not percent encoded", header: "gov-vendor-forwarded" },
  { rule: "R18", what: "a version that is not key-value", trigger: { "Gov-Vendor-Version": "1.4.0" }, pass: { "Gov-Vendor-Version": "mtd-bridge=1.4.0" }, severity: "error", code: "INVALID_HEADER", message: "Value must be a key-value data structure", header: "gov-vendor-version" },
  { rule: "R19", what: "a raw space in a key", trigger: { "Gov-Vendor-Version": "mtd bridge=1.4.0" }, pass: { "Gov-Vendor-Version": "mtd%20bridge=1.4.0" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 key or value is not percent encoded", header: "gov-vendor-version" },
  { rule: "R20", what: "an empty version value", trigger: { "Gov-Vendor-Version": "mtd-bridge-addin=&mtd-bridge-relay=1.4.0" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "At least 1 software version value is missing", header: "gov-vendor-version" },
  { rule: "R21", what: "encoded = and & separators", trigger: { "Gov-Vendor-Version": "mtd-bridge-addin%3D1.4.0%26mtd-bridge-relay%3D1.4.0" }, pass: { "Gov-Vendor-Version": "mtd-bridge=1.4.0%26beta" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 separator is percent encoded. Check ampersands and equal signs.", header: "gov-vendor-version" },
  { rule: "R22", what: "one version pair for a client-server method (a single pair is fine for web apps)", trigger: { "Gov-Client-Connection-Method": "DESKTOP_APP_VIA_SERVER", "Gov-Vendor-Version": "mtd-bridge=1.4.0" }, pass: { "Gov-Vendor-Version": "mtd-bridge=1.4.0" }, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "For client server architectures, submit a version for the client and the server. For all other architectures, submit at least 1 version.", header: "gov-vendor-version" },
  { rule: "R23", what: "a device ID that is not a UUID", trigger: { "Gov-Client-Device-ID": "beec798b_b366_47fa_b1f8_92cede14a1ce" }, pass: { "Gov-Client-Device-ID": "BEEC798B-B366-47FA-B1F8-92CEDE14A1CE" }, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "Use a recommended UUID. Check the specification.", header: "gov-client-device-id" },
  { rule: "R24", what: "a device ID that is too short", trigger: { "Gov-Client-Device-ID": "a1b2c3d4" }, pass: {}, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "ID must be longer to ensure it is unique. It is best to use a UUID which is at least 128 bits or 32 hex characters long.", header: "gov-client-device-id" },
  { rule: "R25", what: "a device ID containing an email address", trigger: { "Gov-Client-Device-ID": "alice%40example.co.uk-4f1c2a9e2d7b4a8e9c550d3c1b7e9a21" }, pass: {}, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "Contains an email address. User specific data must not be used to generate Device IDs.", header: "gov-client-device-id" },
  { rule: "R26", what: "a server port as the public port", trigger: { "Gov-Client-Public-Port": "443" }, pass: { "Gov-Client-Public-Port": "8443" }, severity: "error", code: "INVALID_HEADER", message: "Value must be the public port of the client device, not a server port such as 80 or 443", header: "gov-client-public-port" },
  { rule: "R27", what: "an unknown Gov-* header", trigger: { "Gov-Client-Colour": "blue" }, pass: { "Gov-Test-Scenario": "DEFAULT" }, severity: "warning", code: "UNEXPECTED_HEADER", message: "Unrecognised header. Check format and spelling.", header: "gov-client-colour" },
  { rule: "R29", what: "an invalid connection method", trigger: { "Gov-Client-Connection-Method": "WEB_APP" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "Value must be WEB_APP_VIA_SERVER, the connection method these headers are checked against", header: "gov-client-connection-method" },
  // Rules the notes infer from the spec without a published validator message.
  { rule: "EMPTY_VALUE", what: "an empty required header", trigger: { "Gov-Client-Timezone": " " }, pass: {}, severity: "error", code: "EMPTY_HEADER", message: "Value required", header: "gov-client-timezone" },
  { rule: "PLACEHOLDER", what: "a placeholder value", trigger: { "Gov-Client-Device-ID": "undefined" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "Value must not be a placeholder such as null or undefined. If you cannot collect the data, contact us explaining why.", header: "gov-client-device-id" },
  { rule: "NOT_ASCII", what: "a raw non-ASCII character", trigger: { "Gov-Client-Browser-JS-User-Agent": "Mozilla/5.0 (Café)" }, pass: { "Gov-Client-Browser-JS-User-Agent": "Mozilla/5.0 (Caf%C3%A9)" }, severity: "error", code: "INVALID_HEADER", message: "Value must only contain US-ASCII characters. Percent encode any other character.", header: "gov-client-browser-js-user-agent" },
  { rule: "EMPTY_ITEM", what: "an empty list item", trigger: { "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1&colour-depth=24," }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "At least 1 item is empty. Lists and key-value data structures must not contain empty items.", header: "gov-client-screens" },
  { rule: "DUPLICATE_KEY", what: "a repeated key", trigger: { "Gov-Client-Window-Size": "width=420&width=500&height=780" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "At least 1 key appears more than once", header: "gov-client-window-size" },
  { rule: "PORT_RANGE", what: "a port outside 1–65535", trigger: { "Gov-Client-Public-Port": "65536" }, pass: { "Gov-Client-Public-Port": "65535" }, severity: "error", code: "INVALID_HEADER", message: "Value must be a whole number between 1 and 65535", header: "gov-client-public-port" },
  { rule: "TIMESTAMP_FORMAT", what: "a public-IP timestamp without milliseconds", trigger: { "Gov-Client-Public-IP-Timestamp": "2026-11-21T08:30:05Z" }, pass: { "Gov-Client-Public-IP-Timestamp": "2026-11-21T08:30:00.000Z" }, severity: "error", code: "INVALID_HEADER", message: "Value must be a UTC timestamp in the format yyyy-MM-ddThh:mm:ss.sssZ, including seconds and milliseconds", header: "gov-client-public-ip-timestamp" },
  { rule: "WHOLE_NUMBERS", what: "a fractional window width", trigger: { "Gov-Client-Window-Size": "width=420.5&height=780" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "Width and height must be positive whole numbers", header: "gov-client-window-size" },
  { rule: "COLOUR_DEPTH", what: "a colour depth that is not a number of bits", trigger: { "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1&colour-depth=24bit" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "At least 1 screen has a colour depth that is not a positive whole number", header: "gov-client-screens" },
  { rule: "WINDOW_SIZE_FIELDS", what: "a window size without a height", trigger: { "Gov-Client-Window-Size": "width=420" }, pass: {}, severity: "error", code: "INVALID_HEADER", message: "Value is missing a value for height", header: "gov-client-window-size" },
  { rule: "MFA_FIELDS", what: "a factor without a unique reference", trigger: { "Gov-Client-Multi-Factor": "type=TOTP&timestamp=2026-11-21T08%3A20Z" }, pass: { "Gov-Client-Multi-Factor": "type=TOTP&timestamp=2026-11-21T08%3A20Z&unique-reference=abc123" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 value for 'unique-reference' is missing", header: "gov-client-multi-factor" },
  { rule: "MFA_TYPE", what: "a factor type outside the spec's list", trigger: { "Gov-Client-Multi-Factor": "type=SMS&timestamp=2026-11-21T08%3A20Z&unique-reference=abc123" }, pass: { "Gov-Client-Multi-Factor": "type=AUTH_CODE&timestamp=2026-11-21T08%3A20Z&unique-reference=abc123" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 value for 'type' is not TOTP, AUTH_CODE or OTHER", header: "gov-client-multi-factor" },
  { rule: "MFA_TIMESTAMP", what: "a factor timestamp without T", trigger: { "Gov-Client-Multi-Factor": "type=TOTP&timestamp=2026-11-21%2008%3A20Z&unique-reference=abc123" }, pass: { "Gov-Client-Multi-Factor": "type=OTHER&timestamp=2026-11-21T23%3A59%3A59Z&unique-reference=abc123" }, severity: "error", code: "INVALID_HEADER", message: "At least 1 timestamp is not a UTC timestamp in the format yyyy-MM-ddThh:mmZ. Include T and use the 24 hour format.", header: "gov-client-multi-factor" },
  { rule: "PRODUCT_NAME_ENCODING", what: "a product name that is not percent-encoded", trigger: { "Gov-Vendor-Product-Name": "MTD Bridge" }, pass: { "Gov-Vendor-Product-Name": "MTD-Bridge" }, severity: "error", code: "INVALID_HEADER", message: "Value must be percent encoded", header: "gov-vendor-product-name" },
  { rule: "USER_AGENT_ENCODED", what: "a user agent with its separators encoded", trigger: { "Gov-Client-Browser-JS-User-Agent": "Mozilla%2F5.0%20%28Windows%20NT%2010.0%29" }, pass: {}, severity: "warning", code: "POTENTIALLY_INVALID_HEADER", message: "At least 1 separator is percent encoded. Check forward slashes, spaces and round brackets.", header: "gov-client-browser-js-user-agent" },
  { rule: "NOT_FOR_WEB_APPS", what: "a header removed for web apps", trigger: { "Gov-Client-Browser-Do-Not-Track": "false" }, pass: {}, severity: "warning", code: "UNEXPECTED_HEADER", message: "Not used by WEB_APP_VIA_SERVER. Remove this header.", header: "gov-client-browser-do-not-track" },
];

describe("validateFraudHeaders: a complete WEB_APP_VIA_SERVER set", () => {
  test("is VALID_HEADERS with HMRC's message and no findings", () => {
    expect(validateFraudHeaders(VALID_FRAUD_HEADERS)).toEqual({ specVersion: "3.3", code: "VALID_HEADERS", message: FRAUD_MESSAGES.VALID });
  });

  test("header names are case-insensitive", () => {
    const lower = Object.fromEntries(Object.entries(VALID_FRAUD_HEADERS).map(([k, v]) => [k.toLowerCase(), v]));
    expect(validateFraudHeaders(lower).code).toBe("VALID_HEADERS");
  });
});

describe("R1: no fraud-prevention headers", () => {
  test("triggers: INVALID_HEADERS with HMRC's message and no errors array", () => {
    expect(validateFraudHeaders({ Accept: "application/json", "Gov-Test-Scenario": "DEFAULT" })).toEqual({
      specVersion: "3.3",
      code: "INVALID_HEADERS",
      message: "No fraud prevention headers submitted. These are required by law. Check the specification.",
    });
  });
  test("does not trigger: a single Gov-Client header is enough to be checked header by header", () => {
    const result = validateFraudHeaders({ "Gov-Client-Timezone": "UTC+00:00" });
    expect(result.message).toBe(FRAUD_MESSAGES.INVALID);
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});

describe.each(RULES)("$rule: $what", (c) => {
  test("triggers", () => {
    const headers = withHeaders(c.trigger);
    const found = analyseFraudHeaders(headers).findings.filter((x) => x.rule === c.rule);
    expect(found).toContainEqual(expect.objectContaining({ severity: c.severity, code: c.code, message: c.message }));
    expect(found.some((x) => x.headers.includes(c.header))).toBe(true);

    const result = validateFraudHeaders(headers);
    const list = c.severity === "error" ? result.errors : result.warnings;
    expect(list).toContainEqual(expect.objectContaining({ code: c.code, message: c.message, headers: expect.arrayContaining([c.header]) }));
    expect(result.code).toBe(result.errors ? "INVALID_HEADERS" : "POTENTIALLY_INVALID_HEADERS");
    if (c.severity === "error") expect(result.code).toBe("INVALID_HEADERS");
  });

  test("does not trigger", () => {
    const headers = withHeaders(c.pass);
    expect(analyseFraudHeaders(headers).findings.filter((x) => x.rule === c.rule)).toEqual([]);
    expect(validateFraudHeaders(headers).code).toBe("VALID_HEADERS");
  });
});

describe("more trigger shapes", () => {
  const rulesOf = (changes: Changes): FraudRule[] => analyseFraudHeaders(withHeaders(changes)).findings.map((x) => x.rule);

  test.each(["UTC+1:00", "UTC+15:00", "UTC-13:00", "GMT+01:00", "UTC+01:60", "UTC 01:00"])("R10: timezone %s", (tz) => {
    expect(rulesOf({ "Gov-Client-Timezone": tz })).toContain("R10");
  });
  test.each(["UTC+14:00", "UTC-12:00", "UTC-01:15", "UTC-03:30", "UTC+05:30"])("R10 accepts %s", (tz) => {
    expect(rulesOf({ "Gov-Client-Timezone": tz })).not.toContain("R10");
  });
  test.each(["127.0.0.1", "10.1.2.3", "172.16.0.1", "100.64.0.1", "169.254.1.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "203.0.113.6"])("R14: %s is not public", (ip) => {
    expect(rulesOf({ "Gov-Client-Public-IP": ip, "Gov-Vendor-Forwarded": `by=51.140.12.34&for=${encodeURIComponent(ip)}` })).toContain("R14");
  });
  test("R14 and R13 apply to the addresses inside Forwarded", () => {
    expect(rulesOf({ "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.142,by=10.0.0.1&for=51.140.12.34" })).toContain("R14");
    expect(rulesOf({ "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.142,by=lb&for=51.140.12.34" })).toContain("R13");
  });
  test("R15 reports a hop without for", () => {
    const result = validateFraudHeaders(withHeaders({ "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.142,by=20.26.1.1" }));
    expect(result.errors).toContainEqual({ code: "INVALID_HEADER", message: "At least 1 value for 'for' is missing", headers: ["gov-vendor-forwarded"] });
  });
  test("R16 compares addresses in canonical form", () => {
    const headers = withHeaders({ "Gov-Client-Public-IP": "2A00:23C5:1234:0:0:0:0:1", "Gov-Vendor-Forwarded": `by=51.140.12.34&for=${V6_ENCODED}` });
    expect(validateFraudHeaders(headers).code).toBe("VALID_HEADERS");
  });
  test("R11 names each missing screen field", () => {
    const result = validateFraudHeaders(withHeaders({ "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1&colour-depth=24,width=1280" }));
    const messages = result.errors?.map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining(["At least 1 screen is missing a value for height", "At least 1 screen is missing a value for scaling factor", "At least 1 screen is missing a value for colour depth"]));
  });
  test("R19 on User-IDs: a raw @", () => {
    expect(rulesOf({ "Gov-Client-User-IDs": "mtd-bridge=alice@example.co.uk" })).toContain("R19");
  });
  test("R21 on Screens: an encoded comma and equals", () => {
    expect(rulesOf({ "Gov-Client-Screens": "width%3D1920%26height%3D1080%26scaling-factor%3D1%26colour-depth%3D24" })).toContain("R21");
  });
  test.each(["0", "-1", "abc", "12.5", ""])("PORT_RANGE or EMPTY_VALUE: port %p", (port) => {
    expect(rulesOf({ "Gov-Client-Public-Port": port }).some((r) => r === "PORT_RANGE" || r === "EMPTY_VALUE")).toBe(true);
  });
  test("R26: port 80", () => {
    expect(rulesOf({ "Gov-Client-Public-Port": "80" })).toContain("R26");
  });
  test.each(["2026-11-21T08:30:05.12Z", "2026-11-21 08:30:05.120Z", "2026-11-21T08:30:05.120+00:00", "2026-02-30T08:30:05.120Z", "2026-11-21T24:30:05.120Z"])("TIMESTAMP_FORMAT: %s", (ts) => {
    expect(rulesOf({ "Gov-Client-Public-IP-Timestamp": ts })).toContain("TIMESTAMP_FORMAT");
  });
  test("MFA_TIMESTAMP: a 12-hour clock time", () => {
    expect(rulesOf({ "Gov-Client-Multi-Factor": "type=TOTP&timestamp=2026-11-21T1%3A20PM&unique-reference=abc" })).toContain("MFA_TIMESTAMP");
  });
  test("PLACEHOLDER: null anywhere a header is required", () => {
    expect(rulesOf({ "Gov-Client-Screens": "null" })).toContain("PLACEHOLDER");
  });
  test("several missing headers are grouped into one finding, as HMRC does", () => {
    const result = validateFraudHeaders(withHeaders({ "Gov-Client-Timezone": undefined, "Gov-Client-Screens": undefined }));
    expect(result.errors).toEqual([{ code: "MISSING_HEADER", message: "Header required", headers: ["gov-client-screens", "gov-client-timezone"] }]);
  });
  test("warnings only: POTENTIALLY_INVALID_HEADERS with HMRC's message", () => {
    const result = validateFraudHeaders(withHeaders({ "Gov-Client-Multi-Factor": undefined, "Gov-Vendor-License-IDs": undefined }));
    expect(result).toEqual({
      specVersion: "3.3",
      code: "POTENTIALLY_INVALID_HEADERS",
      message: "At least 1 header is potentially invalid",
      warnings: [
        { code: "MISSING_HEADER", message: expect.stringContaining("single factor authentication"), headers: ["gov-client-multi-factor"] },
        { code: "MISSING_HEADER", message: "Header required", headers: ["gov-vendor-license-ids"] },
      ],
    });
  });
});

describe("fraudHeaderFeedback (validation-feedback per request)", () => {
  test("a valid set: every header VALID_HEADER with its value, cross-validation VALID_HEADERS", () => {
    const fb = fraudHeaderFeedback({ ...VALID_FRAUD_HEADERS, "Gov-Test-Scenario": "DEFAULT" });
    expect(fb.code).toBe("VALID_HEADERS");
    expect(fb.headers).toHaveLength(17);
    expect(fb.headers.filter((h) => h.code === "VALID_HEADER")).toHaveLength(16);
    expect(fb.headers).toContainEqual({ header: "gov-client-timezone", value: "UTC+00:00", code: "VALID_HEADER", errors: [], warnings: [] });
    expect(fb.headers).toContainEqual({ header: "gov-test-scenario", value: "DEFAULT", code: "TEST_SCENARIO_HEADER", errors: [], warnings: [] });
    expect(fb.crossValidation).toEqual([{ headers: ["gov-vendor-forwarded", "gov-client-public-ip", "gov-vendor-public-ip"], code: "VALID_HEADERS", errors: [] }]);
  });
  test("missing, invalid, potentially invalid and unexpected headers, and a failed cross-check", () => {
    const fb = fraudHeaderFeedback(
      withHeaders({ "Gov-Client-Public-Port": undefined, "Gov-Client-Timezone": "GMT", "Gov-Client-Device-ID": "abc", "Gov-Client-Colour": "x", "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.1" }),
    );
    expect(fb.code).toBe("INVALID_HEADERS");
    const byName = new Map(fb.headers.map((h) => [h.header, h]));
    expect(byName.get("gov-client-public-port")).toEqual({ header: "gov-client-public-port", code: "MISSING_HEADER", errors: [expect.stringContaining("Header missing")], warnings: [] });
    expect(byName.get("gov-client-timezone")?.code).toBe("INVALID_HEADER");
    expect(byName.get("gov-client-device-id")?.code).toBe("POTENTIALLY_INVALID_HEADER");
    expect(byName.get("gov-client-colour")?.code).toBe("UNEXPECTED_HEADER");
    expect(byName.get("gov-vendor-forwarded")?.code).toBe("VALID_HEADER");
    expect(fb.crossValidation[0]).toEqual(expect.objectContaining({ code: "INVALID_HEADERS", errors: [expect.stringContaining("At least 1 pair of IPs")] }));
  });
  test("no headers: NO_HEADERS", () => {
    expect(fraudHeaderFeedback({})).toEqual({ code: "NO_HEADERS", headers: [], crossValidation: [] });
  });
});

describe("describeFraudHeaders (the task pane's panel)", () => {
  test("one row per header in the spec's order, with HMRC's spelling and a verdict", () => {
    const rows = describeFraudHeaders(withHeaders({ "Gov-Client-Multi-Factor": undefined, "Gov-Client-Timezone": "GMT", "Gov-Client-Device-ID": "abc" }));
    expect(rows).toHaveLength(16);
    expect(rows[0]).toEqual({ header: "Gov-Client-Connection-Method", value: "WEB_APP_VIA_SERVER", verdict: "valid", messages: [] });
    const byName = new Map(rows.map((r) => [r.header, r]));
    expect(byName.get("Gov-Client-Multi-Factor")).toEqual({ header: "Gov-Client-Multi-Factor", value: undefined, verdict: "missing", messages: [expect.stringContaining("single factor")] });
    expect(byName.get("Gov-Client-Timezone")?.verdict).toBe("error");
    expect(byName.get("Gov-Client-Device-ID")?.verdict).toBe("warning");
  });
  test("the Forwarded cross-check is reported on all three headers", () => {
    const rows = describeFraudHeaders(withHeaders({ "Gov-Vendor-Forwarded": "by=51.140.12.34&for=81.2.69.1" }));
    for (const name of ["Gov-Vendor-Forwarded", "Gov-Client-Public-IP", "Gov-Vendor-Public-IP"]) {
      expect(rows.find((r) => r.header === name)?.verdict).toBe("error");
    }
  });
  test("unexpected headers are listed after the 16", () => {
    const rows = describeFraudHeaders(withHeaders({ "Gov-Client-Local-IPs": "10.0.0.1" }));
    expect(rows[16]).toEqual({ header: "gov-client-local-ips", value: "10.0.0.1", verdict: "warning", messages: ["Not used by WEB_APP_VIA_SERVER. Remove this header."] });
  });
});

describe("maskFraudHeaderValue", () => {
  test.each([
    ["Gov-Client-Public-IP", "81.2.69.142", "81.2.*.*"],
    ["gov-client-public-ip", "2a00:23c5:1234::1", "2a00:23c5:*"],
    ["Gov-Client-Device-ID", "beec798b-b366-47fa-b1f8-92cede14a1ce", "beec798b********"],
    ["Gov-Client-User-IDs", "mtd-bridge=alice%40example.co.uk&mtd-bridge-account=4f1c", "mtd-bridge=a********&mtd-bridge-account=4***"],
    ["Gov-Vendor-Forwarded", "by=51.140.12.34&for=81.2.69.142", "by=51.140.12.34&for=81.2.*.*"],
    ["Gov-Client-Multi-Factor", "type=TOTP&timestamp=2026-11-21T08%3A20Z&unique-reference=fc4b5fd6816f75a7", "type=TOTP&timestamp=2026-11-21T08%3A20Z&unique-reference=fc4b5f********"],
    ["Gov-Vendor-License-IDs", "mtd-bridge=8D7963490527D337", "mtd-bridge=8D7963********"],
    ["Gov-Client-Timezone", "UTC+01:00", "UTC+01:00"],
    ["Gov-Vendor-Public-IP", "51.140.12.34", "51.140.12.34"],
  ])("%s: %s → %s", (header, value, masked) => {
    expect(maskFraudHeaderValue(header, value)).toBe(masked);
  });
  test("an unreadable client IP is masked whole", () => {
    expect(maskFraudHeaderValue("Gov-Client-Public-IP", "alice-laptop")).toBe("********");
  });
});
