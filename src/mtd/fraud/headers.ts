/**
 * The fraud-prevention headers of connection method WEB_APP_VIA_SERVER (spec 3.3; reference/fraud-headers.md §2)
 * and the small builders both halves use: the task pane for the browser values, the relay for the rest.
 * Pure TypeScript (no Node or DOM APIs) so the add-in, relay, sandbox and tests share one implementation.
 */
import { keyValueList, keyValues, percentEncode } from "./encoding";

export const CONNECTION_METHOD = "WEB_APP_VIA_SERVER";
export type ConnectionMethod = typeof CONNECTION_METHOD;
export const FRAUD_SPEC_VERSION = "3.3";

/** HMRC's spelling of each header. */
export const FRAUD_HEADER = {
  connectionMethod: "Gov-Client-Connection-Method",
  browserJsUserAgent: "Gov-Client-Browser-JS-User-Agent",
  deviceId: "Gov-Client-Device-ID",
  multiFactor: "Gov-Client-Multi-Factor",
  publicIp: "Gov-Client-Public-IP",
  publicIpTimestamp: "Gov-Client-Public-IP-Timestamp",
  publicPort: "Gov-Client-Public-Port",
  screens: "Gov-Client-Screens",
  timezone: "Gov-Client-Timezone",
  userIds: "Gov-Client-User-IDs",
  windowSize: "Gov-Client-Window-Size",
  vendorForwarded: "Gov-Vendor-Forwarded",
  vendorLicenseIds: "Gov-Vendor-License-IDs",
  vendorProductName: "Gov-Vendor-Product-Name",
  vendorPublicIp: "Gov-Vendor-Public-IP",
  vendorVersion: "Gov-Vendor-Version",
} as const;

export type FraudHeaderName = (typeof FRAUD_HEADER)[keyof typeof FRAUD_HEADER];

export interface FraudHeaderSpec {
  readonly name: FraudHeaderName;
  /** Browser: collected by the task pane's JavaScript. Server: the relay's own, never taken from the browser. */
  readonly source: "browser" | "server";
  /**
   * Why the spec lets the header be omitted (only after telling HMRC), or undefined when it never may be.
   * Omitted data is left out, never faked: no placeholders such as `null`.
   */
  readonly omitWhen?: string;
}

/** The 16 headers of WEB_APP_VIA_SERVER, in the spec's order. */
export const WEB_APP_VIA_SERVER_HEADERS: readonly FraudHeaderSpec[] = [
  { name: FRAUD_HEADER.connectionMethod, source: "server" },
  { name: FRAUD_HEADER.browserJsUserAgent, source: "browser" },
  { name: FRAUD_HEADER.deviceId, source: "browser" },
  { name: FRAUD_HEADER.multiFactor, source: "server", omitWhen: "the user signed in with a single factor" },
  { name: FRAUD_HEADER.publicIp, source: "server", omitWhen: "the client reaches the relay over a private network" },
  { name: FRAUD_HEADER.publicIpTimestamp, source: "server" },
  { name: FRAUD_HEADER.publicPort, source: "server", omitWhen: "the client reaches the relay over a private network, or a proxy hides the port" },
  { name: FRAUD_HEADER.screens, source: "browser" },
  { name: FRAUD_HEADER.timezone, source: "browser" },
  { name: FRAUD_HEADER.userIds, source: "server" },
  { name: FRAUD_HEADER.windowSize, source: "browser" },
  { name: FRAUD_HEADER.vendorForwarded, source: "server" },
  { name: FRAUD_HEADER.vendorLicenseIds, source: "server", omitWhen: "the product issues no licence keys" },
  { name: FRAUD_HEADER.vendorProductName, source: "server" },
  { name: FRAUD_HEADER.vendorPublicIp, source: "server", omitWhen: "the client reaches the relay over a private network" },
  { name: FRAUD_HEADER.vendorVersion, source: "server" },
];

export const BROWSER_FRAUD_HEADER_NAMES: readonly FraudHeaderName[] = WEB_APP_VIA_SERVER_HEADERS.filter((h) => h.source === "browser").map((h) => h.name);
export const SERVER_FRAUD_HEADER_NAMES: readonly FraudHeaderName[] = WEB_APP_VIA_SERVER_HEADERS.filter((h) => h.source === "server").map((h) => h.name);

/** Headers other connection methods or older spec versions use; a web app must not send them. */
export const NOT_FOR_WEB_APPS: readonly string[] = [
  "Gov-Client-Browser-Plugins",
  "Gov-Client-Browser-Do-Not-Track",
  "Gov-Client-Local-IPs",
  "Gov-Client-Local-IPs-Timestamp",
  "Gov-Client-User-Agent",
  "Gov-Client-MAC-Addresses",
];

const CANONICAL = new Map<string, FraudHeaderName>(WEB_APP_VIA_SERVER_HEADERS.map((h) => [h.name.toLowerCase(), h.name]));

/** HMRC's spelling of a WEB_APP_VIA_SERVER header name given in any case, or undefined for any other name. */
export function canonicalFraudHeaderName(name: string): FraudHeaderName | undefined {
  return CANONICAL.get(name.toLowerCase());
}

// ---- Browser values ----------------------------------------------------------------------------------------

/** getTimezoneOffset() can be fractional for historical dates; a real UTC offset is never beyond ±18 hours. */
const MAX_OFFSET_MINUTES = 18 * 60;

/**
 * `UTC±hh:mm` from `Date#getTimezoneOffset()`, which is minutes *behind* UTC (London in summer gives -60), so
 * the sign is inverted: -60 → `UTC+01:00`, -345 → `UTC+05:45`, 210 → `UTC-03:30`, 0 → `UTC+00:00`.
 * Throws RangeError for a value no clock reports (not finite, or beyond ±18 hours).
 */
export function timezoneHeader(offsetMinutesFromGetTimezoneOffset: number): string {
  const offset = Math.round(offsetMinutesFromGetTimezoneOffset);
  if (!Number.isFinite(offset) || Math.abs(offset) > MAX_OFFSET_MINUTES) {
    throw new RangeError(`Not a timezone offset in minutes: ${offsetMinutesFromGetTimezoneOffset}`);
  }
  const east = -offset;
  const abs = Math.abs(east);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `UTC${east >= 0 ? "+" : "-"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export interface ScreenInfo {
  /** `screen.width`, CSS pixels. */
  readonly width: number;
  /** `screen.height`, CSS pixels. */
  readonly height: number;
  /** `window.devicePixelRatio`; may be fractional (1.25, 2.5). */
  readonly scalingFactor: number;
  /** `screen.colorDepth`, bits. */
  readonly colourDepth: number;
}

const isPositive = (n: number): boolean => Number.isFinite(n) && n > 0;
/** Width and height must be positive whole numbers (spec 3.3); browsers can report fractions when zoomed. */
const wholePixels = (n: number): string | undefined => (isPositive(n) && Math.round(n) > 0 ? String(Math.round(n)) : undefined);
/** devicePixelRatio carries float noise (1.100000023841858); six decimals is more than any display needs. */
const scaling = (n: number): string | undefined => (isPositive(n) ? String(Number(n.toFixed(6))) : undefined);
const bits = (n: number): string | undefined => (isPositive(n) && Number.isInteger(n) ? String(n) : undefined);

function present(pairs: ReadonlyArray<readonly [string, string | undefined]>): Array<readonly [string, string]> {
  return pairs.filter((p): p is readonly [string, string] => p[1] !== undefined);
}

/**
 * `width=1920&height=1080&scaling-factor=1&colour-depth=24,…`, one structure per screen. A value the browser did
 * not report (not finite, zero, negative) is left out rather than faked, so HMRC's validator reports it; a
 * screen with nothing usable is dropped. Undefined when no screen is left.
 */
export function screensHeader(screens: readonly ScreenInfo[]): string | undefined {
  const structures = screens.map((s) =>
    present([
      ["width", wholePixels(s.width)],
      ["height", wholePixels(s.height)],
      ["scaling-factor", scaling(s.scalingFactor)],
      ["colour-depth", bits(s.colourDepth)],
    ]),
  );
  const value = keyValueList(structures);
  return value === "" ? undefined : value;
}

/** `width=…&height=…` from `window.innerWidth/innerHeight`, rounded; a value not reported is left out. Undefined when neither is. */
export function windowSizeHeader(size: { readonly width: number; readonly height: number }): string | undefined {
  const value = keyValues(present([["width", wholePixels(size.width)], ["height", wholePixels(size.height)]]));
  return value === "" ? undefined : value;
}

// ---- Server values -----------------------------------------------------------------------------------------

/** `yyyy-MM-ddThh:mm:ss.sssZ`, UTC, milliseconds kept even when zero (exactly what toISOString gives). */
export function publicIpTimestamp(date: Date): string {
  return date.toISOString();
}

/** One TLS-terminating internet hop: the public IP it was received on (`by`) and the sender's public IP (`for`). */
export interface ForwardedHop {
  readonly by: string;
  readonly for: string;
}

/**
 * `by=<ip>&for=<ip>,…`, first hop first (its `by` is Gov-Vendor-Public-IP, its `for` Gov-Client-Public-IP).
 * IPs are percent-encoded (IPv6 colons → %3A). A hop missing either address is never emitted half-empty: it is
 * dropped. Undefined when no complete hop is left.
 */
export function forwardedHeader(hops: readonly ForwardedHop[]): string | undefined {
  const value = keyValueList(hops.filter((h) => h.by !== "" && h.for !== "").map((h) => [["by", h.by], ["for", h.for]] as const));
  return value === "" ? undefined : value;
}

export type MultiFactorType = "TOTP" | "AUTH_CODE" | "OTHER";

export interface MultiFactor {
  readonly type: MultiFactorType;
  /** The last successful prompt for this factor. */
  readonly timestamp: Date;
  /** A salted hash identifying the factor (never the secret itself), the same function every time. */
  readonly uniqueReference: string;
}

/** `type=TOTP&timestamp=2025-01-02T10%3A20%3A30.000Z&unique-reference=…,…`; undefined when there was no second factor. */
export function multiFactorHeader(factors: readonly MultiFactor[]): string | undefined {
  const value = keyValueList(
    factors.map((f) => [
      ["type", f.type],
      ["timestamp", f.timestamp.toISOString()],
      ["unique-reference", f.uniqueReference],
    ]),
  );
  return value === "" ? undefined : value;
}

/** The marketed product name, percent-encoded (`MTD Bridge` → `MTD%20Bridge`). */
export function productNameHeader(name: string): string {
  return percentEncode(name);
}

// ---- IP addresses ------------------------------------------------------------------------------------------

/** Why an address is or is not public (IANA special-purpose registries, RFC 6890 and successors). */
export type IpRange =
  | "public"
  | "private"
  | "loopback"
  | "link-local"
  | "shared-cgnat"
  | "unique-local"
  | "documentation"
  | "multicast"
  | "unspecified"
  | "reserved";

export interface IpClassification {
  readonly version: 4 | 6;
  /** True when the address is routable on the public internet, i.e. fit for Gov-Client-Public-IP. */
  readonly public: boolean;
  readonly range: IpRange;
  /** Canonical form: dotted IPv4 (IPv4-mapped IPv6 unwrapped), RFC 5952 lower-case compressed IPv6. */
  readonly normalised: string;
}

function parseIpv4(ip: string): number[] | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const p of parts) {
    // No leading zeros: `010` is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

/** Eight 16-bit groups, or undefined. Accepts `::` compression and a dotted IPv4 tail; rejects zone ids and brackets. */
function parseIpv6(ip: string): number[] | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(ip) || ip.length > 45) return undefined;
  let head = ip;
  const tail: number[] = [];
  const lastColon = ip.lastIndexOf(":");
  if (ip.includes(".")) {
    const v4 = parseIpv4(ip.slice(lastColon + 1));
    if (!v4) return undefined;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    head = ip.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const known = left.length + right.length + tail.length;
  if (halves.length === 2) {
    if (known > 7) return undefined;
    return [...left, ...new Array<number>(8 - known).fill(0), ...right, ...tail];
  }
  return known === 8 ? [...left, ...tail] : undefined;
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIpv6(g: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = g.map((n) => n.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

function ipv4Range([a, b, c]: readonly number[]): IpRange {
  if (a === 0) return "unspecified";
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b! >= 64 && b! <= 127) return "shared-cgnat";
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local";
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return "documentation";
  if ((a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19)) || a! >= 240) return "reserved";
  if (a! >= 224) return "multicast";
  return "public";
}

function ipv6Range(g: readonly number[]): IpRange {
  const [g0, g1] = g as [number, number];
  if (g.every((n) => n === 0)) return "unspecified";
  if (g.slice(0, 7).every((n) => n === 0) && g[7] === 1) return "loopback";
  if ((g0 & 0xfe00) === 0xfc00) return "unique-local";
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "reserved"; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if ((g0 === 0x2001 && g1 === 0x0db8) || (g0 & 0xfff0) === 0x3ff0) return "documentation";
  if (g0 === 0x0100 && g1 === 0 && g[2] === 0 && g[3] === 0) return "reserved"; // discard-only 100::/64
  if ((g0 & 0xff00) === 0) return "reserved"; // 0000::/8 (IPv4-compatible and other reserved forms)
  return "public";
}

/**
 * Parses and classifies an IP address: IPv4-mapped IPv6 (`::ffff:203.0.113.6`) is unwrapped to IPv4 first.
 * Private, loopback, link-local, CGNAT (100.64/10), unique-local, documentation, multicast, unspecified and
 * reserved addresses are not public. Undefined when `ip` is not an IP address.
 */
export function classifyIp(ip: string): IpClassification | undefined {
  const v4 = parseIpv4(ip);
  if (v4) return { version: 4, range: ipv4Range(v4), public: ipv4Range(v4) === "public", normalised: v4.join(".") };
  const v6 = parseIpv6(ip);
  if (!v6) return undefined;
  if (v6.slice(0, 5).every((n) => n === 0) && v6[5] === 0xffff) {
    const mapped = [v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff];
    const range = ipv4Range(mapped);
    return { version: 4, range, public: range === "public", normalised: mapped.join(".") };
  }
  const range = ipv6Range(v6);
  return { version: 6, range, public: range === "public", normalised: formatIpv6(v6) };
}
