/**
 * The browser half of HMRC's fraud-prevention headers for connection method WEB_APP_VIA_SERVER
 * (reference/fraud-headers.md §2.2): what only the task pane can know. The relay validates these and adds
 * the network, identity and vendor headers itself. Everything here reads an injectable environment so
 * the formats are unit-tested without a browser. (Issue #5 completes the set; this is the skeleton's part.)
 */

export interface BrowserEnvironment {
  readonly userAgent: string;
  readonly screen: { readonly width: number; readonly height: number; readonly colorDepth: number };
  readonly devicePixelRatio: number;
  readonly innerWidth: number;
  readonly innerHeight: number;
  /** `Date#getTimezoneOffset()`: minutes to ADD to local time to get UTC (positive west of Greenwich). */
  readonly timezoneOffsetMinutes: number;
  readonly deviceId: string;
}

export type BrowserFraudHeaders = Readonly<{
  "Gov-Client-Browser-JS-User-Agent": string;
  "Gov-Client-Device-ID": string;
  "Gov-Client-Screens": string;
  "Gov-Client-Window-Size": string;
  "Gov-Client-Timezone": string;
}>;

/** RFC 3986 §2.1: everything but unreserved characters is percent-encoded (encodeURIComponent spares `!'()*`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `k1=v1&k2=v2`, each key and value encoded separately, separators literal. */
export function keyValues(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(String(v))}`).join("&");
}

/** `UTC±hh:mm`. getTimezoneOffset is positive when local time is BEHIND UTC, so the sign is inverted. */
export function formatTimezone(offsetMinutes: number): string {
  const east = -Math.round(offsetMinutes);
  const sign = east < 0 ? "-" : "+";
  const abs = Math.abs(east);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `UTC${sign}${hh}:${mm}`;
}

/** HMRC's spec keeps the user agent as reported (spaces, brackets, `;` literal); only non-ASCII is encoded. */
export function encodeUserAgent(ua: string): string {
  return ua.replace(/[^\x20-\x7e]/gu, (c) => {
    try {
      return percentEncode(c);
    } catch {
      return "%EF%BF%BD"; // a lone surrogate cannot be UTF-8: send U+FFFD
    }
  });
}

/** Whole positive pixels (spec 3.3); a zero or fractional report is rounded up to at least 1. */
function pixels(n: number): number {
  return Math.max(1, Math.round(Number.isFinite(n) ? n : 1));
}

/** Scaling factor as reported, trimmed to 4 decimals so float noise is not sent. */
function scalingFactor(n: number): string {
  const f = Number.isFinite(n) && n > 0 ? n : 1;
  return String(Math.round(f * 10_000) / 10_000);
}

export function browserFraudHeaders(env: BrowserEnvironment): BrowserFraudHeaders {
  return {
    "Gov-Client-Browser-JS-User-Agent": encodeUserAgent(env.userAgent),
    "Gov-Client-Device-ID": env.deviceId,
    "Gov-Client-Screens": keyValues([
      ["width", pixels(env.screen.width)],
      ["height", pixels(env.screen.height)],
      ["scaling-factor", scalingFactor(env.devicePixelRatio)],
      ["colour-depth", pixels(env.screen.colorDepth)],
    ]),
    "Gov-Client-Window-Size": keyValues([
      ["width", pixels(env.innerWidth)],
      ["height", pixels(env.innerHeight)],
    ]),
    "Gov-Client-Timezone": formatTimezone(env.timezoneOffsetMinutes),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let memoryDeviceId: string | undefined;

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The device's persistent random UUID (never derived from user data). Kept in localStorage under the
 * Office partition key; where storage is blocked it lives for this page only, which the relay's
 * fraud-header notes to HMRC must mention.
 */
export function deviceId(storage: KeyValueStorage | undefined, partitionKey: string | undefined, newUuid: () => string): string {
  const key = `${partitionKey ?? ""}mtd-bridge.device-id`;
  try {
    const stored = storage?.getItem(key);
    if (stored && UUID.test(stored)) return stored;
    const id = newUuid();
    storage?.setItem(key, id);
    if (storage) return id;
    memoryDeviceId ??= id;
    return memoryDeviceId;
  } catch {
    memoryDeviceId ??= newUuid();
    return memoryDeviceId;
  }
}

/** The live browser's values (task pane only). */
export function currentBrowserEnvironment(partitionKey: string | undefined): BrowserEnvironment {
  let storage: KeyValueStorage | undefined;
  try {
    storage = window.localStorage;
  } catch {
    storage = undefined; // storage disabled by policy: fall back to memory
  }
  return {
    userAgent: navigator.userAgent,
    screen: { width: screen.width, height: screen.height, colorDepth: screen.colorDepth },
    devicePixelRatio: window.devicePixelRatio,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    timezoneOffsetMinutes: new Date().getTimezoneOffset(),
    deviceId: deviceId(storage, partitionKey, () => crypto.randomUUID()),
  };
}
