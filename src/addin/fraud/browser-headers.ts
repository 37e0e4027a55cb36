/**
 * The browser half of HMRC's fraud-prevention headers for connection method WEB_APP_VIA_SERVER
 * (reference/fraud-headers.md §2.2): what only the task pane can know. The relay checks these and adds the
 * network, identity and vendor headers itself. Formats and encoding are mtd's (src/mtd/fraud); this module
 * only gathers the browser's values, from an injectable environment so the formats are unit-tested in Node.
 * Removed headers (plugins, do-not-track, local IPs) are never sent.
 */
import { FRAUD_HEADER, percentEncode, screensHeader, timezoneHeader, windowSizeHeader } from "../../mtd";
import { deviceIdentity, type DeviceIdentity, type KeyValueStorage } from "./device-id";
import { collectScreens, type ScreenReport, type ScreenSource } from "./screens";

export type { KeyValueStorage } from "./device-id";

export interface BrowserEnvironment {
  readonly userAgent: string;
  /** Every screen the browser reports, the task pane's first. */
  readonly screens: readonly ScreenReport[];
  readonly innerWidth: number;
  readonly innerHeight: number;
  /** `Date#getTimezoneOffset()` now: minutes to ADD to local time to get UTC (positive west of Greenwich). */
  readonly timezoneOffsetMinutes: number;
  readonly device: DeviceIdentity;
}

/** The five browser headers; one the browser could not supply is left out (never faked). */
export type BrowserFraudHeaders = Readonly<Record<string, string>>;

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

function timezone(offsetMinutes: number): string | undefined {
  try {
    return timezoneHeader(offsetMinutes);
  } catch {
    return undefined; // a clock reporting nonsense: leave the header out rather than invent a zone
  }
}

export function browserFraudHeaders(env: BrowserEnvironment): BrowserFraudHeaders {
  const headers: Record<string, string | undefined> = {
    [FRAUD_HEADER.browserJsUserAgent]: env.userAgent === "" ? undefined : encodeUserAgent(env.userAgent),
    [FRAUD_HEADER.deviceId]: env.device.id,
    [FRAUD_HEADER.screens]: screensHeader(env.screens),
    [FRAUD_HEADER.windowSize]: windowSizeHeader({ width: env.innerWidth, height: env.innerHeight }),
    [FRAUD_HEADER.timezone]: timezone(env.timezoneOffsetMinutes),
  };
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
}

/** The parts of the browser the environment is read from; `window` in the task pane, a fake in tests. */
export interface BrowserSource extends ScreenSource {
  readonly navigator: ScreenSource["navigator"] & { readonly userAgent: string };
  readonly innerWidth: number;
  readonly innerHeight: number;
  readonly crypto: { randomUUID(): string };
  /** Throws when storage is blocked by policy (a SecurityError on access). */
  readonly localStorage: KeyValueStorage;
}

function storageOf(source: BrowserSource): KeyValueStorage | undefined {
  try {
    return source.localStorage;
  } catch {
    return undefined; // storage disabled by policy: the device ID falls back to memory
  }
}

/** Reads the live values; `now` is when the headers are for (its UTC offset gives the timezone, DST included). */
export async function readBrowserEnvironment(source: BrowserSource, partitionKey: string | undefined, now: Date = new Date()): Promise<BrowserEnvironment> {
  return {
    userAgent: source.navigator.userAgent,
    screens: await collectScreens(source),
    innerWidth: source.innerWidth,
    innerHeight: source.innerHeight,
    timezoneOffsetMinutes: now.getTimezoneOffset(),
    device: deviceIdentity(storageOf(source), partitionKey, () => source.crypto.randomUUID()),
  };
}

/** The task pane's collector: fresh values for every HMRC call, and whether the device ID could be kept. */
export class BrowserFraudData {
  private lastDevice: DeviceIdentity | undefined;

  constructor(
    private readonly source: BrowserSource,
    private readonly partitionKey: string | undefined,
  ) {}

  async headers(): Promise<BrowserFraudHeaders> {
    const env = await readBrowserEnvironment(this.source, this.partitionKey);
    this.lastDevice = env.device;
    return browserFraudHeaders(env);
  }

  /** "this-session" when storage is blocked and the device ID will change next time (the panel says so). */
  get deviceIdPersistence(): DeviceIdentity["persistence"] | undefined {
    return this.lastDevice?.persistence;
  }
}
