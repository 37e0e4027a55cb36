import {
  BrowserFraudData,
  browserFraudHeaders,
  encodeUserAgent,
  readBrowserEnvironment,
  type BrowserEnvironment,
  type BrowserSource,
} from "../../src/addin/fraud/browser-headers";
import { deviceIdentity, resetSessionDeviceId } from "../../src/addin/fraud/device-id";
import { collectScreens } from "../../src/addin/fraud/screens";
import { validateFraudHeaders } from "../../src/mtd";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EDGE_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0";

const env = (over: Partial<BrowserEnvironment> = {}): BrowserEnvironment => ({
  userAgent: EDGE_UA,
  screens: [{ width: 1920, height: 1080, scalingFactor: 1.25, colourDepth: 24 }],
  innerWidth: 350,
  innerHeight: 803,
  timezoneOffsetMinutes: -60,
  device: { id: "beec798b-b366-47fa-b1f8-92cede14a1ce", persistence: "stored" },
  ...over,
});

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
}

/** What `Date#getTimezoneOffset()` returns at `instant` on a machine set to `zone`, from the real tz database. */
function offsetIn(zone: string, instant: string): number {
  const name = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "longOffset" })
    .formatToParts(new Date(instant))
    .find((p) => p.type === "timeZoneName")!.value; // "GMT", "GMT+05:45", "GMT-03:30"
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name)!;
  const east = m[1] ? (m[1] === "+" ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return east === 0 ? 0 : -east;
}

/** A browser stand-in: one screen, storage that works, no Window Management API. */
function fakeWindow(over: Partial<Record<keyof BrowserSource, unknown>> = {}): BrowserSource {
  let n = 0;
  return {
    navigator: { userAgent: EDGE_UA },
    screen: { width: 1920, height: 1080, colorDepth: 24 },
    devicePixelRatio: 1.5,
    innerWidth: 348,
    innerHeight: 790,
    crypto: { randomUUID: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` },
    localStorage: new MemoryStorage(),
    ...over,
  } as BrowserSource;
}

describe("Gov-Client-Timezone (UTC±hh:mm, sign inverted from getTimezoneOffset, DST followed)", () => {
  it.each([
    ["Europe/London", "2025-01-15T12:00:00Z", "UTC+00:00"],
    ["Europe/London", "2025-07-15T12:00:00Z", "UTC+01:00"],
    ["Asia/Kathmandu", "2025-07-15T12:00:00Z", "UTC+05:45"],
    ["Asia/Kolkata", "2025-07-15T12:00:00Z", "UTC+05:30"],
    ["America/St_Johns", "2025-01-15T12:00:00Z", "UTC-03:30"],
    ["America/St_Johns", "2025-07-15T12:00:00Z", "UTC-02:30"],
    ["America/New_York", "2025-01-15T12:00:00Z", "UTC-05:00"],
    ["Pacific/Chatham", "2025-01-15T12:00:00Z", "UTC+13:45"],
  ])("%s at %s is %s", (zone, instant, expected) => {
    expect(browserFraudHeaders(env({ timezoneOffsetMinutes: offsetIn(zone, instant) }))["Gov-Client-Timezone"]).toBe(expected);
  });

  it("changes at the UK's spring-forward instant (01:00 UTC, 30 March 2025)", () => {
    const before = browserFraudHeaders(env({ timezoneOffsetMinutes: offsetIn("Europe/London", "2025-03-30T00:59:59.999Z") }));
    const after = browserFraudHeaders(env({ timezoneOffsetMinutes: offsetIn("Europe/London", "2025-03-30T01:00:00.000Z") }));
    expect([before["Gov-Client-Timezone"], after["Gov-Client-Timezone"]]).toEqual(["UTC+00:00", "UTC+01:00"]);
  });

  it("is read at the time of the call, so it follows the clock across a DST change", async () => {
    const win = fakeWindow();
    const at = (instant: string) => ({ getTimezoneOffset: () => offsetIn("Europe/London", instant) }) as Date;
    const autumn = await readBrowserEnvironment(win, undefined, at("2025-10-26T00:30:00Z"));
    const later = await readBrowserEnvironment(win, undefined, at("2025-10-26T01:30:00Z"));
    expect([browserFraudHeaders(autumn)["Gov-Client-Timezone"], browserFraudHeaders(later)["Gov-Client-Timezone"]]).toEqual(["UTC+01:00", "UTC+00:00"]);
  });

  it("leaves the header out rather than inventing a zone when the clock reports nonsense", () => {
    expect(browserFraudHeaders(env({ timezoneOffsetMinutes: Number.NaN }))).not.toHaveProperty("Gov-Client-Timezone");
  });
});

describe("Gov-Client-Browser-JS-User-Agent", () => {
  it("keeps the user agent as reported, encoding only non-ASCII", () => {
    expect(encodeUserAgent("Mozilla/5.0 (X11; Linux x86_64) Ünï")).toBe("Mozilla/5.0 (X11; Linux x86_64) %C3%9Cn%C3%AF");
    expect(browserFraudHeaders(env())["Gov-Client-Browser-JS-User-Agent"]).toBe(EDGE_UA);
  });
});

describe("the five browser headers", () => {
  it("formats WEB_APP_VIA_SERVER's browser half, and nothing else (no removed headers)", () => {
    expect(browserFraudHeaders(env())).toEqual({
      "Gov-Client-Browser-JS-User-Agent": EDGE_UA,
      "Gov-Client-Device-ID": "beec798b-b366-47fa-b1f8-92cede14a1ce",
      "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1.25&colour-depth=24",
      "Gov-Client-Window-Size": "width=350&height=803",
      "Gov-Client-Timezone": "UTC+01:00",
    });
  });

  it("lists several screens, with fractional scaling factors and whole pixels", () => {
    const h = browserFraudHeaders(
      env({
        screens: [
          { width: 1535.6, height: 863.4, scalingFactor: 1.100000023841858, colourDepth: 24 },
          { width: 3840, height: 2160, scalingFactor: 2.75, colourDepth: 30 },
        ],
        innerWidth: 319.5,
        innerHeight: 600.2,
      }),
    );
    expect(h["Gov-Client-Screens"]).toBe("width=1536&height=863&scaling-factor=1.1&colour-depth=24,width=3840&height=2160&scaling-factor=2.75&colour-depth=30");
    expect(h["Gov-Client-Window-Size"]).toBe("width=320&height=600");
  });

  it("passes HMRC's rules for the browser headers (no finding names them)", () => {
    const v = validateFraudHeaders(browserFraudHeaders(env()), { connectionMethod: "WEB_APP_VIA_SERVER" });
    const browserNames = ["gov-client-browser-js-user-agent", "gov-client-device-id", "gov-client-screens", "gov-client-window-size", "gov-client-timezone"];
    const findings = [...(v.errors ?? []), ...(v.warnings ?? [])].filter((f) => f.headers.some((x) => browserNames.includes(x)));
    expect(findings).toEqual([]);
  });

  it("leaves out what the browser did not report instead of faking it", () => {
    const h = browserFraudHeaders(env({ userAgent: "", screens: [], innerWidth: 0, innerHeight: 0 }));
    expect(Object.keys(h).sort()).toEqual(["Gov-Client-Device-ID", "Gov-Client-Timezone"]);
  });
});

describe("screens the browser reports", () => {
  const screens = [
    { width: 2560, height: 1440, colorDepth: 24, devicePixelRatio: 1.25 },
    { width: 1920, height: 1080, colorDepth: 24, devicePixelRatio: 1 },
  ];

  it("lists every screen when window management is already granted", async () => {
    const win = fakeWindow({
      screen: { width: 2560, height: 1440, colorDepth: 24, isExtended: true },
      getScreenDetails: async () => ({ screens }),
      navigator: { userAgent: EDGE_UA, permissions: { query: async () => ({ state: "granted" }) } },
    });
    expect(await collectScreens(win)).toEqual([
      { width: 2560, height: 1440, scalingFactor: 1.25, colourDepth: 24 },
      { width: 1920, height: 1080, scalingFactor: 1, colourDepth: 24 },
    ]);
  });

  it("never prompts: without the permission it reports the task pane's screen only", async () => {
    const getScreenDetails = jest.fn(async () => ({ screens }));
    const win = fakeWindow({
      screen: { width: 2560, height: 1440, colorDepth: 24, isExtended: true },
      getScreenDetails,
      navigator: { userAgent: EDGE_UA, permissions: { query: async () => ({ state: "prompt" }) } },
    });
    expect(await collectScreens(win)).toEqual([{ width: 2560, height: 1440, scalingFactor: 1.5, colourDepth: 24 }]);
    expect(getScreenDetails).not.toHaveBeenCalled();
  });

  it("falls back to window.screen when the browser does not know the permission or the API fails", async () => {
    const unknownPermission = fakeWindow({
      getScreenDetails: async () => ({ screens }),
      navigator: { userAgent: EDGE_UA, permissions: { query: async () => Promise.reject(new TypeError("bad name")) } },
    });
    const failing = fakeWindow({
      getScreenDetails: async () => Promise.reject(new Error("NotAllowedError")),
      navigator: { userAgent: EDGE_UA, permissions: { query: async () => ({ state: "granted" }) } },
    });
    const one = [{ width: 1920, height: 1080, scalingFactor: 1.5, colourDepth: 24 }];
    expect(await collectScreens(unknownPermission)).toEqual(one);
    expect(await collectScreens(failing)).toEqual(one);
  });
});

describe("Gov-Client-Device-ID", () => {
  beforeEach(() => resetSessionDeviceId());

  it("is a random UUID made once, kept under Office's partition key, and reused", () => {
    const storage = new MemoryStorage();
    const first = deviceIdentity(storage, "excel.cloud.microsoft|", () => crypto.randomUUID());
    expect(first).toEqual({ id: expect.stringMatching(UUID), persistence: "stored" });
    expect(storage.data.get("excel.cloud.microsoft|mtd-bridge.device-id")).toBe(first.id);
    expect(deviceIdentity(storage, "excel.cloud.microsoft|", () => crypto.randomUUID())).toEqual(first);
  });

  it("uses a plain key where Office defines no partition key (Windows desktop)", () => {
    const storage = new MemoryStorage();
    const id = deviceIdentity(storage, undefined, () => crypto.randomUUID()).id;
    expect([...storage.data]).toEqual([["mtd-bridge.device-id", id]]);
  });

  it("replaces a stored value that is not a UUID (never user data)", () => {
    const storage = new MemoryStorage();
    storage.setItem("mtd-bridge.device-id", "alice@example.com");
    const { id } = deviceIdentity(storage, undefined, () => crypto.randomUUID());
    expect(id).toMatch(UUID);
    expect(storage.getItem("mtd-bridge.device-id")).toBe(id);
  });

  it("falls back to one in-memory ID for the session when storage is blocked, and says so", () => {
    const blocked = {
      getItem(): string | null {
        throw new Error("SecurityError");
      },
      setItem(): void {
        throw new Error("SecurityError");
      },
    };
    const a = deviceIdentity(blocked, undefined, () => crypto.randomUUID());
    const b = deviceIdentity(undefined, undefined, () => crypto.randomUUID());
    expect(a).toEqual({ id: expect.stringMatching(UUID), persistence: "this-session" });
    expect(b).toEqual(a);
  });

  it("notices storage that accepts a write and keeps nothing", () => {
    const forgetful = { getItem: () => null, setItem: () => undefined };
    expect(deviceIdentity(forgetful, undefined, () => crypto.randomUUID()).persistence).toBe("this-session");
  });
});

describe("BrowserFraudData (what the task pane uses)", () => {
  beforeEach(() => resetSessionDeviceId());

  it("collects all five headers from the browser and keeps the device ID across calls", async () => {
    const data = new BrowserFraudData(fakeWindow(), "pk|");
    const first = await data.headers();
    const second = await data.headers();
    expect(Object.keys(first).sort()).toEqual(["Gov-Client-Browser-JS-User-Agent", "Gov-Client-Device-ID", "Gov-Client-Screens", "Gov-Client-Timezone", "Gov-Client-Window-Size"]);
    expect(first["Gov-Client-Screens"]).toBe("width=1920&height=1080&scaling-factor=1.5&colour-depth=24");
    expect(first["Gov-Client-Window-Size"]).toBe("width=348&height=790");
    expect(second["Gov-Client-Device-ID"]).toBe(first["Gov-Client-Device-ID"]);
    expect(data.deviceIdPersistence).toBe("stored");
  });

  it("reports a session-only device ID when reading localStorage throws (storage blocked by policy)", async () => {
    const win = fakeWindow();
    Object.defineProperty(win, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    });
    const data = new BrowserFraudData(win, undefined);
    const h = await data.headers();
    expect(h["Gov-Client-Device-ID"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.deviceIdPersistence).toBe("this-session");
  });
});
