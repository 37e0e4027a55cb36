/**
 * Issue #5's "done when": the fraud-prevention headers made by the REAL task pane code in headless Chromium,
 * plus the relay's own half, judged by the sandbox's validator (GET /test/fraud-prevention-headers/validate,
 * forwarded by the relay like any HMRC call) → VALID_HEADERS.
 *
 * The relay is configured as if behind a TLS proxy on loopback (TRUST_PROXY=127.0.0.1) at a public address
 * (VENDOR_PUBLIC_IP); the browser context plays that proxy by adding X-Forwarded-For (a public client address)
 * and X-Client-Port (the client's source port) to every request it sends the relay.
 *
 * Two relays share one sandbox. Relay A (local identity) serves the workbench: the task pane connects, opens
 * "What we send HMRC" (screenshot at 350 px) and sends its headers. HMRC's validator can only say VALID when
 * Gov-Client-Multi-Factor is present, which needs a sign-in with a second factor: relay B runs in Microsoft
 * (entra) identity mode with a local stand-in for the tenant's signing keys and a token whose `amr` has `mfa`.
 * The browser headers the task pane produced are sent through relay B to the validator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { FraudHeadersCheckResponse, FraudValidationResult } from "../../src/mtd";
import { loadConfig } from "../../src/relay/config";
import { startRelay, type RunningRelay } from "../../src/relay/main";
import { connectEntraToSandbox, startEntraKeys, type EntraKeys } from "../support/entra";
import { freePort, startLoopback, type Loopback } from "../support/loopback";
import { DIST, launchChromium, newContext, requireBuild, screenshotPath, taskpane } from "./harness";

const CLIENT_IP = "81.2.69.142"; // a public address (not in any reserved or documentation range)
const CLIENT_PORT = "50123";
const VENDOR_IP = "51.140.12.7"; // a public address for the relay's front door
const PROXY = { TRUST_PROXY: "127.0.0.1", VENDOR_PUBLIC_IP: VENDOR_IP, CLIENT_PORT_HEADER: "X-Client-Port", LICENSE_KEY: "MTDB-E2E-0001-LICENCE" };
const VALIDATE = "/api/hmrc/test/fraud-prevention-headers/validate";

function findingsOf(v: FraudValidationResult): string {
  return JSON.stringify({ errors: v.errors ?? [], warnings: v.warnings ?? [] }, null, 2);
}

describe("fraud-prevention headers from the real task pane", () => {
  let stack: Loopback;
  let relayB: RunningRelay;
  let keys: EntraKeys;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    requireBuild();
    keys = await startEntraKeys();
    stack = await startLoopback({ env: { ADDIN_DIST_DIR: DIST, DATABASE_PATH: ":memory:", ...PROXY } });
    dataDir = mkdtempSync(join(tmpdir(), "mtd-relay-b-"));
    const port = await freePort();
    relayB = await startRelay(
      loadConfig({
        PORT: String(port),
        HOST: "127.0.0.1",
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        HMRC_BASE_URL: stack.sandbox.url,
        DATA_DIR: dataDir,
        DATABASE_PATH: ":memory:",
        LOG_LEVEL: "silent",
        ...keys.env,
        FRAUD_HEADERS_STRICT: "true",
        ...PROXY,
      }),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await relayB?.app.close();
    await stack?.close();
    await keys?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A browser context whose requests to the relay arrive as if through the TLS proxy; remembers what the pane sent. */
  async function proxiedContext(): Promise<{ context: BrowserContext; sent: Map<string, Record<string, string>> }> {
    const context = await newContext(browser);
    const relayOrigin = new URL(stack.relayUrl).origin;
    const sent = new Map<string, Record<string, string>>();
    // Registered after newContext's handler, so it runs first and falls back to it (which keeps everything on loopback).
    await context.route("**/*", async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (url.origin !== relayOrigin) return route.fallback();
      if (url.pathname.startsWith("/api/")) sent.set(url.pathname, request.headers());
      return route.fallback({ headers: { ...request.headers(), "x-forwarded-for": CLIENT_IP, "x-client-port": CLIENT_PORT } });
    });
    return { context, sent };
  }

  async function connect(context: BrowserContext, page: Page): Promise<void> {
    const pane = taskpane(page);
    await pane.getByRole("button", { name: "Connect to HMRC" }).waitFor();
    const popupOpened = context.waitForEvent("page");
    await pane.getByRole("button", { name: "Connect to HMRC" }).click();
    const popup = await popupOpened;
    await popup.locator("#grant").click();
    await popup.waitForEvent("close");
    await pane.getByText("Connected to").waitFor();
  }

  it("shows what is sent in the task pane, and the sandbox validator finds the whole set VALID_HEADERS", async () => {
    const { context, sent } = await proxiedContext();
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${stack.relayUrl}/workbench.html`);
    await connect(context, page);
    const pane = taskpane(page);

    // "What we send HMRC": the relay's check of exactly what an HMRC call from this pane would carry.
    const checked = page.waitForResponse((r) => r.url().endsWith("/api/fraud-headers/check"));
    await pane.getByText("What we send HMRC").click();
    const check = (await (await checked).json()) as FraudHeadersCheckResponse;
    await pane.locator("#fraud-panel .fraud-headers").waitFor();
    // Local identity has no second factor: HMRC's only remark is the missing Gov-Client-Multi-Factor.
    expect({ code: check.code, errors: check.errors ?? [] }).toEqual({ code: "POTENTIALLY_INVALID_HEADERS", errors: [] });
    expect((check.warnings ?? []).flatMap((w) => w.headers)).toEqual(["gov-client-multi-factor"]);
    expect(await pane.locator("#fraud-panel").textContent()).toContain("HMRC's checks pass, with advisories");
    const publicIpRow = check.headers.find((r) => r.header === "Gov-Client-Public-IP")!;
    expect(publicIpRow.verdict).toBe("valid");
    expect(publicIpRow.value).not.toBe(CLIENT_IP); // personal values are masked before they reach the page

    await page.setViewportSize({ width: 1440, height: 2200 }); // tall enough for the whole open panel
    await pane.locator("#fraud-panel").scrollIntoViewIfNeeded();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-fraud-headers.png") });
    await pane.locator("#fraud-panel").screenshot({ path: screenshotPath("fraud-panel-350.png") });

    // The browser half exactly as the real task pane code produced it in Chromium.
    const paneHeaders = sent.get("/api/fraud-headers/check")!;
    const browserHalf = Object.fromEntries(Object.entries(paneHeaders).filter(([name]) => name.startsWith("gov-client-")));
    expect(Object.keys(browserHalf).sort()).toEqual(["gov-client-browser-js-user-agent", "gov-client-device-id", "gov-client-screens", "gov-client-timezone", "gov-client-window-size"]);
    // The context runs in Europe/London: GMT or BST, whichever it is now.
    const london = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "longOffset" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName")!.value;
    expect(browserHalf["gov-client-timezone"]).toBe(london === "GMT" ? "UTC+00:00" : london.replace("GMT", "UTC"));
    expect(pageErrors).toEqual([]);

    // Through relay B (signed in with a second factor), as if behind the same proxy, to the sandbox's validator.
    const bearer = await keys.token({ amr: ["pwd", "mfa"] });
    await connectEntraToSandbox(relayB.url, bearer);
    const res = await fetch(`${relayB.url}${VALIDATE}`, {
      headers: { authorization: `Bearer ${bearer}`, ...browserHalf, "x-forwarded-for": CLIENT_IP, "x-client-port": CLIENT_PORT },
    });
    const verdict = (await res.json()) as FraudValidationResult;
    expect(res.status).toBe(200);
    expect({ code: verdict.code, findings: findingsOf(verdict) }).toEqual({ code: "VALID_HEADERS", findings: findingsOf({ ...verdict, errors: [], warnings: [] }) });
    expect(verdict.specVersion).toBe("3.3");
    await context.close();
  });
});
