/**
 * HMRC fraud-prevention headers for connection method WEB_APP_VIA_SERVER (spec 3.3; reference/fraud-headers.md).
 * The browser half (JS user agent, device ID, screens, window size, timezone) is taken from the task pane's
 * request, from an allow-list, and checked; everything network- or identity-related is the relay's own and is
 * never taken from the browser. Issue #5 completes this (licence IDs, MFA, proxy chains, HMRC's validator).
 */
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";
import { err, ok, type Result } from "../mtd";

export const CONNECTION_METHOD = "WEB_APP_VIA_SERVER";
export const PRODUCT_NAME = "MTD Bridge";

/** The headers the relay accepts from the browser, lower case as Node delivers them, with HMRC's spelling. */
export const BROWSER_FRAUD_HEADERS: Readonly<Record<string, string>> = {
  "gov-client-browser-js-user-agent": "Gov-Client-Browser-JS-User-Agent",
  "gov-client-device-id": "Gov-Client-Device-ID",
  "gov-client-screens": "Gov-Client-Screens",
  "gov-client-window-size": "Gov-Client-Window-Size",
  "gov-client-timezone": "Gov-Client-Timezone",
};

const MAX_HEADER_LENGTH = 1024;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMEZONE = /^UTC[+-](0\d|1[0-4]):[0-5]\d$/;
const POSITIVE_INT = /^[1-9]\d{0,5}$/;
// devicePixelRatio can carry float noise such as 1.100000023841858.
const DECIMAL = /^\d{1,3}(\.\d{1,20})?$/;

/** True when a value is safe to put in an HTTP header: printable US-ASCII only (no CR, LF, tab or controls). */
export function isSafeHeaderValue(value: string, maxLength = MAX_HEADER_LENGTH): boolean {
  return value.length <= maxLength && PRINTABLE_ASCII.test(value);
}

/** RFC 3986 percent-encoding: everything but `A–Z a–z 0–9 - . _ ~` (encodeURIComponent leaves `!'()*`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `k1=v1&k2=v2`, keys and values encoded separately, separators never encoded. */
export function keyValues(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&");
}

/** `::ffff:203.0.113.6` → `203.0.113.6`: HMRC wants the IPv4 form of mapped addresses. */
export function normaliseIp(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/** Parses `k=v&k=v` into a map, or undefined if the structure is wrong or a key repeats. */
function parseKeyValues(value: string): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const pair of value.split("&")) {
    const [k, v, ...rest] = pair.split("=");
    if (!k || v === undefined || rest.length > 0 || out.has(k)) return undefined;
    out.set(k, v);
  }
  return out;
}

function hasExactly(map: Map<string, string> | undefined, checks: Readonly<Record<string, RegExp>>): boolean {
  if (!map || map.size !== Object.keys(checks).length) return false;
  return Object.entries(checks).every(([k, re]) => re.test(map.get(k) ?? ""));
}

const FORMAT_CHECKS: Readonly<Record<string, (v: string) => boolean>> = {
  "gov-client-browser-js-user-agent": (v) => v.length > 0,
  "gov-client-device-id": (v) => UUID.test(v),
  "gov-client-timezone": (v) => TIMEZONE.test(v),
  "gov-client-window-size": (v) => hasExactly(parseKeyValues(v), { width: POSITIVE_INT, height: POSITIVE_INT }),
  "gov-client-screens": (v) =>
    v.split(",").every((screen) =>
      hasExactly(parseKeyValues(screen), { width: POSITIVE_INT, height: POSITIVE_INT, "scaling-factor": DECIMAL, "colour-depth": POSITIVE_INT }),
    ),
};

/**
 * The browser half, checked: only the allow-listed headers, each printable ASCII and in the spec's format.
 * Absent headers are simply not sent (HMRC's validator reports them); a malformed one refuses the request.
 */
export function browserFraudHeaders(headers: IncomingHttpHeaders): Result<Record<string, string>, { header: string }> {
  const out: Record<string, string> = {};
  for (const [name, spelled] of Object.entries(BROWSER_FRAUD_HEADERS)) {
    const raw = headers[name];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(",") : raw;
    if (!isSafeHeaderValue(value) || !FORMAT_CHECKS[name]!(value)) return err({ header: spelled });
    out[spelled] = value;
  }
  return ok(out);
}

export interface ServerFraudContext {
  /** The client's public IP as the relay saw it (socket peer, or from a trusted proxy). */
  clientIp: string;
  /** The client's source port; null when a proxy hides it. */
  clientPort: number | null;
  /** When the request arrived at the relay. */
  receivedAt: Date;
  userId: string;
  addinVersion: string;
  relayVersion: string;
  /** The public IP users' requests arrive at; null when not configured. */
  vendorPublicIp: string | null;
}

/** The server half: connection method, public IP/port/timestamp, user IDs and the Gov-Vendor-* headers. */
export function serverFraudHeaders(c: ServerFraudContext): Record<string, string> {
  const clientIp = normaliseIp(c.clientIp);
  const headers: Record<string, string> = {
    "Gov-Client-Connection-Method": CONNECTION_METHOD,
    "Gov-Client-Public-IP-Timestamp": c.receivedAt.toISOString(),
    "Gov-Client-User-IDs": keyValues([["mtd-bridge", c.userId]]),
    "Gov-Vendor-Version": keyValues([
      ["mtd-bridge-addin", c.addinVersion],
      ["mtd-bridge-relay", c.relayVersion],
    ]),
    "Gov-Vendor-Product-Name": percentEncode(PRODUCT_NAME),
  };
  if (isIP(clientIp) !== 0) headers["Gov-Client-Public-IP"] = clientIp;
  if (c.clientPort !== null && Number.isInteger(c.clientPort) && c.clientPort >= 1 && c.clientPort <= 65535) {
    headers["Gov-Client-Public-Port"] = String(c.clientPort);
  }
  if (c.vendorPublicIp !== null) {
    const vendorIp = normaliseIp(c.vendorPublicIp);
    headers["Gov-Vendor-Public-IP"] = vendorIp;
    if (headers["Gov-Client-Public-IP"]) headers["Gov-Vendor-Forwarded"] = keyValues([["by", vendorIp], ["for", clientIp]]);
  }
  return headers;
}
