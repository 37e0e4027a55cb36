import {
  BROWSER_FRAUD_HEADER_NAMES,
  canonicalFraudHeaderName,
  classifyIp,
  forwardedHeader,
  multiFactorHeader,
  productNameHeader,
  publicIpTimestamp,
  screensHeader,
  SERVER_FRAUD_HEADER_NAMES,
  timezoneHeader,
  validateFraudHeaders,
  WEB_APP_VIA_SERVER_HEADERS,
  windowSizeHeader,
} from "../../../src/mtd/fraud";
import { withHeaders } from "./fixtures";

/** What `Date#getTimezoneOffset()` returns at `date` in IANA zone `zone` (minutes behind UTC), via Intl. */
function getTimezoneOffsetIn(zone: string, date: Date): number {
  const name = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(date).find((p) => p.type === "timeZoneName")!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`unexpected offset ${name}`);
  const east = m[1] ? (m[1] === "+" ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return -east;
}

describe("the 16 WEB_APP_VIA_SERVER headers", () => {
  test("five come from the browser, eleven from the relay", () => {
    expect(WEB_APP_VIA_SERVER_HEADERS).toHaveLength(16);
    expect(BROWSER_FRAUD_HEADER_NAMES).toEqual(["Gov-Client-Browser-JS-User-Agent", "Gov-Client-Device-ID", "Gov-Client-Screens", "Gov-Client-Timezone", "Gov-Client-Window-Size"]);
    expect(SERVER_FRAUD_HEADER_NAMES).toHaveLength(11);
    expect(SERVER_FRAUD_HEADER_NAMES).toContain("Gov-Client-Public-IP");
  });
  test("only the headers the spec lets us omit say when", () => {
    expect(WEB_APP_VIA_SERVER_HEADERS.filter((h) => h.omitWhen).map((h) => h.name)).toEqual([
      "Gov-Client-Multi-Factor",
      "Gov-Client-Public-IP",
      "Gov-Client-Public-Port",
      "Gov-Vendor-License-IDs",
      "Gov-Vendor-Public-IP",
    ]);
  });
  test("canonicalFraudHeaderName is case-insensitive and knows only the 16", () => {
    expect(canonicalFraudHeaderName("gov-client-user-ids")).toBe("Gov-Client-User-IDs");
    expect(canonicalFraudHeaderName("Gov-Client-Browser-Plugins")).toBeUndefined();
  });
});

describe("timezoneHeader (sign of getTimezoneOffset inverted)", () => {
  test.each([
    [0, "UTC+00:00"],
    [-60, "UTC+01:00"],
    [-330, "UTC+05:30"],
    [-345, "UTC+05:45"],
    [210, "UTC-03:30"],
    [600, "UTC-10:00"],
    [75, "UTC-01:15"],
    [-840, "UTC+14:00"],
    [720, "UTC-12:00"],
  ])("getTimezoneOffset() %p → %s", (offset, header) => {
    expect(timezoneHeader(offset)).toBe(header);
  });
  test.each([
    ["Europe/London", "2026-01-15T12:00:00Z", "UTC+00:00"],
    ["Europe/London", "2026-07-15T12:00:00Z", "UTC+01:00"],
    ["Asia/Kolkata", "2026-07-15T12:00:00Z", "UTC+05:30"],
    ["Asia/Kathmandu", "2026-07-15T12:00:00Z", "UTC+05:45"],
    ["America/St_Johns", "2026-01-15T12:00:00Z", "UTC-03:30"],
    ["Pacific/Honolulu", "2026-07-15T12:00:00Z", "UTC-10:00"],
  ])("%s at %s → %s", (zone, iso, header) => {
    expect(timezoneHeader(getTimezoneOffsetIn(zone, new Date(iso)))).toBe(header);
  });
  test("a daylight-saving change: London either side of 01:00 UTC on 29 March 2026", () => {
    const before = getTimezoneOffsetIn("Europe/London", new Date("2026-03-29T00:59:59Z"));
    const after = getTimezoneOffsetIn("Europe/London", new Date("2026-03-29T01:00:00Z"));
    expect([timezoneHeader(before), timezoneHeader(after)]).toEqual(["UTC+00:00", "UTC+01:00"]);
  });
  test("a half-hour daylight-saving change: Newfoundland, and Lord Howe's 30-minute shift", () => {
    expect(timezoneHeader(getTimezoneOffsetIn("America/St_Johns", new Date("2026-07-15T12:00:00Z")))).toBe("UTC-02:30");
    expect(timezoneHeader(getTimezoneOffsetIn("Australia/Lord_Howe", new Date("2026-01-15T12:00:00Z")))).toBe("UTC+11:00");
    expect(timezoneHeader(getTimezoneOffsetIn("Australia/Lord_Howe", new Date("2026-07-15T12:00:00Z")))).toBe("UTC+10:30");
  });
  test("the process's own clock gives a value the validator accepts", () => {
    const header = timezoneHeader(new Date().getTimezoneOffset());
    expect(validateFraudHeaders(withHeaders({ "Gov-Client-Timezone": header })).code).toBe("VALID_HEADERS");
  });
  test.each([NaN, Infinity, 19 * 60])("refuses %p", (offset) => {
    expect(() => timezoneHeader(offset)).toThrow(RangeError);
  });
});

describe("screensHeader and windowSizeHeader", () => {
  test("the spec's two-screen example, fractional scaling factor", () => {
    expect(
      screensHeader([
        { width: 1920, height: 1080, scalingFactor: 1, colourDepth: 16 },
        { width: 3000, height: 2000, scalingFactor: 1.25, colourDepth: 16 },
      ]),
    ).toBe("width=1920&height=1080&scaling-factor=1&colour-depth=16,width=3000&height=2000&scaling-factor=1.25&colour-depth=16");
  });
  test("several screens, scaling 2.5, float noise trimmed, fractional pixels rounded", () => {
    const value = screensHeader([
      { width: 2560, height: 1440, scalingFactor: 2.5, colourDepth: 24 },
      { width: 1745.6, height: 981.2, scalingFactor: 1.100000023841858, colourDepth: 30 },
      { width: 1280, height: 1024, scalingFactor: 1, colourDepth: 24 },
    ]);
    expect(value).toBe("width=2560&height=1440&scaling-factor=2.5&colour-depth=24,width=1746&height=981&scaling-factor=1.1&colour-depth=30,width=1280&height=1024&scaling-factor=1&colour-depth=24");
    expect(validateFraudHeaders(withHeaders({ "Gov-Client-Screens": value! })).code).toBe("VALID_HEADERS");
  });
  test("missing data is left out, never faked, so the validator reports it", () => {
    const value = screensHeader([{ width: 1920, height: 1080, scalingFactor: NaN, colourDepth: 0 }]);
    expect(value).toBe("width=1920&height=1080");
    expect(validateFraudHeaders(withHeaders({ "Gov-Client-Screens": value! })).errors?.map((e) => e.message)).toEqual([
      "At least 1 screen is missing a value for scaling factor",
      "At least 1 screen is missing a value for colour depth",
    ]);
  });
  test("no screen at all: undefined (omit the header)", () => {
    expect(screensHeader([])).toBeUndefined();
    expect(screensHeader([{ width: NaN, height: 0, scalingFactor: -1, colourDepth: NaN }])).toBeUndefined();
  });
  test("window size: rounded; missing values left out", () => {
    expect(windowSizeHeader({ width: 420.4, height: 780 })).toBe("width=420&height=780");
    expect(windowSizeHeader({ width: 420, height: NaN })).toBe("width=420");
    expect(windowSizeHeader({ width: 0, height: NaN })).toBeUndefined();
  });
});

describe("server-side builders", () => {
  test("publicIpTimestamp: UTC with milliseconds, trailing zeros kept", () => {
    expect(publicIpTimestamp(new Date(Date.UTC(2026, 10, 21, 8, 30, 5, 0)))).toBe("2026-11-21T08:30:05.000Z");
    expect(publicIpTimestamp(new Date("2026-06-01T09:30:05.120+01:00"))).toBe("2026-06-01T08:30:05.120Z");
  });
  test("forwardedHeader: first hop first, IPv6 encoded, half-empty hops never emitted", () => {
    expect(forwardedHeader([{ by: "51.140.12.34", for: "2a00:23c5:1234::1" }, { by: "", for: "51.140.12.34" }])).toBe("by=51.140.12.34&for=2a00%3A23c5%3A1234%3A%3A1");
    expect(forwardedHeader([{ by: "51.140.12.34", for: "" }])).toBeUndefined();
  });
  test("multiFactorHeader: colons of the timestamp encoded; undefined with no factor", () => {
    const value = multiFactorHeader([{ type: "TOTP", timestamp: new Date("2026-11-21T08:20:00.000Z"), uniqueReference: "fc4b5fd6" }]);
    expect(value).toBe("type=TOTP&timestamp=2026-11-21T08%3A20%3A00.000Z&unique-reference=fc4b5fd6");
    expect(validateFraudHeaders(withHeaders({ "Gov-Client-Multi-Factor": value! })).code).toBe("VALID_HEADERS");
    expect(multiFactorHeader([])).toBeUndefined();
  });
  test("productNameHeader", () => {
    expect(productNameHeader("MTD Bridge")).toBe("MTD%20Bridge");
  });
});

describe("classifyIp", () => {
  test.each([
    ["81.2.69.142", 4, "81.2.69.142"],
    ["8.8.8.8", 4, "8.8.8.8"],
    ["2a00:1450:4009:81d::200e", 6, "2a00:1450:4009:81d::200e"],
    ["2A00:1450:4009:081D:0000:0000:0000:200E", 6, "2a00:1450:4009:81d::200e"],
    ["ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", 6, "abcd:ef01:2345:6789:abcd:ef01:2345:6789"],
    ["::ffff:81.2.69.142", 4, "81.2.69.142"],
    ["::FFFF:5102:458e", 4, "81.2.69.142"],
    ["2001:0:0:1:0:0:0:1", 6, "2001:0:0:1::1"],
  ])("public %s: IPv%i, normalised %s", (ip, version, normalised) => {
    expect(classifyIp(ip)).toEqual({ version, public: true, range: "public", normalised });
  });
  test.each([
    ["10.0.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.10", "private"],
    ["127.0.0.1", "loopback"],
    ["169.254.10.1", "link-local"],
    ["100.64.0.1", "shared-cgnat"],
    ["100.127.255.254", "shared-cgnat"],
    ["0.0.0.0", "unspecified"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.0", "documentation"],
    ["203.0.113.6", "documentation"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "link-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["fc00::1", "unique-local"],
    ["2001:db8::1", "documentation"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:192.168.1.1", "private"],
    ["::ffff:100.64.1.1", "shared-cgnat"],
  ])("%s is not public (%s)", (ip, range) => {
    expect(classifyIp(ip)).toEqual(expect.objectContaining({ public: false, range }));
  });
  test("the edges of the private and CGNAT ranges are public", () => {
    for (const ip of ["172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "11.0.0.0", "222.1.2.3", "223.255.255.255"]) {
      expect(classifyIp(ip)?.public).toBe(true);
    }
  });
  test("IPv4-mapped IPv6 is reported as IPv4", () => {
    expect(classifyIp("::ffff:10.1.2.3")).toEqual({ version: 4, public: false, range: "private", normalised: "10.1.2.3" });
  });
  test.each(["", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "[::1]", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "::ffff:1.2.3.256", "2001%3Adb8%3A%3A1"])(
    "%p is not an IP address",
    (ip) => {
      expect(classifyIp(ip)).toBeUndefined();
    },
  );
});
