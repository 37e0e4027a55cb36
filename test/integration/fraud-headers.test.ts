/**
 * The add-in's browser half (src/addin/fraud, on a stand-in window) + the relay behind a (simulated) TLS proxy
 * at a public address → the local sandbox's copy of HMRC's validator, forwarded like any HMRC call. The same
 * journey with the real task pane in Chromium is test/e2e/fraud-headers.e2e.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrowserFraudData, type BrowserSource } from "../../src/addin/fraud/browser-headers";
import type { FraudHeadersCheckResponse, FraudValidationResult } from "../../src/mtd";
import { loadConfig } from "../../src/relay/config";
import { startRelay, type RunningRelay } from "../../src/relay/main";
import { connectEntraToSandbox, startEntraKeys, type EntraKeys } from "../support/entra";
import { startSandbox, type RunningSandbox } from "../../src/sandbox";
import { freePort } from "../support/loopback";

const CLIENT_IP = "81.2.69.142";
const PROXY_HEADERS = { "x-forwarded-for": CLIENT_IP, "x-client-port": "50123" };
const PROXY_ENV = { TRUST_PROXY: "127.0.0.1", VENDOR_PUBLIC_IP: "51.140.12.7", CLIENT_PORT_HEADER: "X-Client-Port", LICENSE_KEY: "MTDB-IT-0001" };
const VALIDATE = "/api/hmrc/test/fraud-prevention-headers/validate";

/** Two screens, fractional scaling, Excel's task pane width, storage that works. */
function taskPaneWindow(): BrowserSource {
  const storage = new Map<string, string>();
  return {
    navigator: {
      userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      permissions: { query: async () => ({ state: "granted" }) },
    },
    screen: { width: 1536, height: 864, colorDepth: 24, isExtended: true },
    devicePixelRatio: 1.25,
    getScreenDetails: async () => ({
      screens: [
        { width: 1536, height: 864, colorDepth: 24, devicePixelRatio: 1.25 },
        { width: 2560, height: 1440, colorDepth: 30, devicePixelRatio: 1.5 },
      ],
    }),
    innerWidth: 350,
    innerHeight: 803,
    crypto: { randomUUID: () => crypto.randomUUID() },
    localStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
}

let sandbox: RunningSandbox;
let keys: EntraKeys;
let entraRelay: RunningRelay;
let dataDir: string;
let browserHalf: Record<string, string>;

beforeAll(async () => {
  keys = await startEntraKeys();
  sandbox = await startSandbox(0, "127.0.0.1", {});
  dataDir = mkdtempSync(join(tmpdir(), "mtd-relay-fraud-"));
  const port = await freePort();
  entraRelay = await startRelay(
    loadConfig({
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      HMRC_BASE_URL: sandbox.url,
      DATA_DIR: dataDir,
      DATABASE_PATH: ":memory:",
      LOG_LEVEL: "silent",
      FRAUD_HEADERS_STRICT: "true",
      ...keys.env,
      ...PROXY_ENV,
    }),
  );
  browserHalf = { ...(await new BrowserFraudData(taskPaneWindow(), "excel.cloud.microsoft|").headers()) };
});

afterAll(async () => {
  await entraRelay?.app.close();
  await sandbox?.close();
  await keys?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function describeFindings(v: FraudValidationResult): string[] {
  return [...(v.errors ?? []), ...(v.warnings ?? [])].map((f) => `${f.code} ${f.headers.join(",")}: ${f.message}`);
}

test("signed in with a second factor: the sandbox validator answers VALID_HEADERS, and the relay's check agrees", async () => {
  const bearer = await keys.token({ amr: ["pwd", "mfa"] });
  await connectEntraToSandbox(entraRelay.url, bearer);
  const headers = { authorization: `Bearer ${bearer}`, ...browserHalf, ...PROXY_HEADERS };

  const res = await fetch(`${entraRelay.url}${VALIDATE}`, { headers });
  expect(res.status).toBe(200);
  const verdict = (await res.json()) as FraudValidationResult;
  expect({ code: verdict.code, findings: describeFindings(verdict) }).toEqual({ code: "VALID_HEADERS", findings: [] });

  const check = (await (await fetch(`${entraRelay.url}/api/fraud-headers/check`, { headers })).json()) as FraudHeadersCheckResponse;
  expect(check.code).toBe("VALID_HEADERS");
  expect(check.notSent).toEqual([]);
  expect(check.headers.filter((h) => h.value !== undefined)).toHaveLength(16);
});

test("a single-factor sign-in: only the missing Multi-Factor is remarked on (a warning), nothing invalid", async () => {
  const bearer = await keys.token({ amr: ["pwd"] });
  await connectEntraToSandbox(entraRelay.url, bearer);
  const res = await fetch(`${entraRelay.url}${VALIDATE}`, { headers: { authorization: `Bearer ${bearer}`, ...browserHalf, ...PROXY_HEADERS } });
  const verdict = (await res.json()) as FraudValidationResult;
  expect(verdict.code).toBe("POTENTIALLY_INVALID_HEADERS");
  expect(verdict.errors ?? []).toEqual([]);
  expect((verdict.warnings ?? []).flatMap((w) => w.headers)).toEqual(["gov-client-multi-factor"]);
});

test("without the proxy the client is on loopback: strict mode refuses before anything reaches the sandbox", async () => {
  const bearer = await keys.token({ amr: ["pwd", "mfa"] });
  await connectEntraToSandbox(entraRelay.url, bearer);
  const res = await fetch(`${entraRelay.url}${VALIDATE}`, { headers: { authorization: `Bearer ${bearer}`, ...browserHalf } });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { code: string; message: string };
  expect(body.code).toBe("RELAY_FRAUD_HEADERS_INVALID");
  expect(body.message).toContain("gov-client-public-ip");
});
