/**
 * The real task pane bundle against a relay in IDENTITY_MODE=entra, whose keys are a loopback JWKS
 * (test/support/entra.ts). Microsoft's sign-in is played by routes on login.microsoftonline.com in this
 * browser context: the real msal-browser runs the real ms-signin.html dialog and ms-redirect.html bridge,
 * and gets a token signed by the local key, which the relay verifies with jose on every call. Nothing leaves
 * the machine (the harness aborts every other non-loopback request).
 */
import type { Browser, BrowserContext, Route } from "playwright-core";
import { startLoopback, type Loopback } from "../support/loopback";
import { ENTRA_API_CLIENT_ID, ENTRA_TENANT, startEntraKeys, type EntraKeys } from "../support/entra";
import { DIST, launchChromium, newContext, requireBuild, screenshotPath, taskpane } from "./harness";

const LOGIN = "https://login.microsoftonline.com";
const OID = "00000000-0000-0000-66f3-3332eca7ea81";

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");

/**
 * Microsoft's endpoints as msal-browser uses them: discovery, the authorize page (redirects straight back with a
 * code, as after a successful sign-in) and the token endpoint (an access token from `accessToken()`).
 */
async function playMicrosoft(context: BrowserContext, relayUrl: string, accessToken: () => Promise<string>, seen: string[]): Promise<void> {
  const nonces = new Map<string, string>();
  const cors = { "access-control-allow-origin": relayUrl, "access-control-allow-headers": "*", "access-control-allow-methods": "GET, POST, OPTIONS" };
  const json = (route: Route, body: unknown) => route.fulfill({ status: 200, headers: { "content-type": "application/json", ...cors }, body: JSON.stringify(body) });
  await context.route(`${LOGIN}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    seen.push(`${request.method()} ${url.pathname}`);
    if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    if (url.pathname.endsWith("/discovery/instance")) {
      return json(route, {
        tenant_discovery_endpoint: `${LOGIN}/${ENTRA_TENANT}/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: "login.microsoftonline.com", preferred_cache: "login.windows.net", aliases: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"] }],
      });
    }
    if (url.pathname.endsWith("/.well-known/openid-configuration")) {
      return json(route, {
        issuer: `${LOGIN}/${ENTRA_TENANT}/v2.0`,
        authorization_endpoint: `${LOGIN}/${ENTRA_TENANT}/oauth2/v2.0/authorize`,
        token_endpoint: `${LOGIN}/${ENTRA_TENANT}/oauth2/v2.0/token`,
        end_session_endpoint: `${LOGIN}/${ENTRA_TENANT}/oauth2/v2.0/logout`,
        jwks_uri: `${LOGIN}/${ENTRA_TENANT}/discovery/v2.0/keys`,
        response_modes_supported: ["query", "fragment", "form_post"],
      });
    }
    if (url.pathname.endsWith("/oauth2/v2.0/authorize")) {
      const q = url.searchParams;
      const code = `code-${nonces.size + 1}`;
      nonces.set(code, q.get("nonce") ?? "");
      const answer = new URLSearchParams({ code, state: q.get("state") ?? "", client_info: b64url({ uid: OID, utid: ENTRA_TENANT }) });
      const back = q.get("response_mode") === "query" ? `${q.get("redirect_uri")}?${answer}` : `${q.get("redirect_uri")}#${answer}`;
      return route.fulfill({ status: 302, headers: { location: back } });
    }
    if (url.pathname.endsWith("/oauth2/v2.0/token")) {
      const form = new URLSearchParams(request.postData() ?? "");
      const now = Math.floor(Date.now() / 1000);
      const idToken = `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url({
        aud: ENTRA_API_CLIENT_ID,
        iss: `${LOGIN}/${ENTRA_TENANT}/v2.0`,
        tid: ENTRA_TENANT,
        oid: OID,
        sub: "sub-alice",
        nonce: nonces.get(form.get("code") ?? "") ?? "",
        preferred_username: "alice@contoso.example",
        name: "Alice",
        iat: now,
        nbf: now,
        exp: now + 3600,
      })}.${Buffer.from("not-checked-by-msal").toString("base64url")}`;
      return json(route, {
        token_type: "Bearer",
        scope: `api://${ENTRA_API_CLIENT_ID}/access_as_user`,
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: await accessToken(),
        refresh_token: "refresh-not-used",
        id_token: idToken,
        client_info: b64url({ uid: OID, utid: ENTRA_TENANT }),
      });
    }
    return route.abort();
  });
}

describe("the task pane with Microsoft sign-in (entra mode)", () => {
  let keys: EntraKeys;
  let loop: Loopback;
  let browser: Browser;

  beforeAll(async () => {
    requireBuild();
    keys = await startEntraKeys();
    loop = await startLoopback({ env: { ADDIN_DIST_DIR: DIST, DATABASE_PATH: ":memory:", ...keys.env } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await loop?.close();
    await keys?.close();
  });

  it("shows “Sign in with Microsoft” first, signs in through the Office dialog, and connects to HMRC as that person", async () => {
    const context = await newContext(browser);
    const seen: string[] = [];
    await playMicrosoft(context, loop.relayUrl, () => keys.token({ amr: ["pwd", "mfa"] }), seen);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${loop.relayUrl}/workbench.html`);
    const pane = taskpane(page);
    const signIn = pane.getByRole("button", { name: "Sign in with Microsoft" });
    await signIn.waitFor();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-entra-sign-in.png") });
    // HMRC's connect waits for the person to be known.
    await expect(pane.getByRole("button", { name: "Connect to HMRC" }).count()).resolves.toBe(0);

    // The workbench's Office is a desktop host without nested app authentication: the Office dialog it is.
    const dialogOpened = context.waitForEvent("page");
    await signIn.click();
    const dialog = await dialogOpened;
    await dialog.waitForEvent("close");
    await pane.getByText("alice@contoso.example").waitFor(); // the account msal signed in, named by the dialog
    expect(seen).toEqual(expect.arrayContaining([`GET /${ENTRA_TENANT}/oauth2/v2.0/authorize`, `POST /${ENTRA_TENANT}/oauth2/v2.0/token`]));
    expect(new URL(dialog.url()).pathname).toBe("/ms-signin.html");

    const hmrcOpened = context.waitForEvent("page");
    await pane.getByRole("button", { name: "Connect to HMRC" }).click();
    const hmrc = await hmrcOpened;
    await hmrc.locator("#grant").click();
    await hmrc.waitForEvent("close");
    await pane.getByText("Connected to").waitFor();

    // The relay linked the HMRC grant to the Microsoft person (tid + oid) and saw the second factor.
    const session = (await page.evaluate(async (token) => {
      const res = await fetch("/api/session", { headers: { authorization: `Bearer ${token}` } });
      return res.json() as Promise<unknown>;
    }, await keys.token({ amr: ["pwd", "mfa"] }))) as Record<string, unknown>;
    expect(session).toMatchObject({ connected: true, identity: "entra", multiFactor: true, userId: `entra:${ENTRA_TENANT}:${OID}` });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses a Microsoft token the relay cannot verify, and says so on the sign-in step", async () => {
    const context = await newContext(browser);
    const seen: string[] = [];
    // Signed by the right key but without the API's delegated scope: the relay refuses it.
    await playMicrosoft(context, loop.relayUrl, () => keys.token({ scp: "User.Read" }), seen);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${loop.relayUrl}/workbench.html`);
    const pane = taskpane(page);
    const dialogOpened = context.waitForEvent("page");
    await pane.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await (await dialogOpened).waitForEvent("close");
    await pane.getByText("did not accept that account").waitFor();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-entra-refused.png") });
    await expect(pane.getByRole("button", { name: "Connect to HMRC" }).count()).resolves.toBe(0);
    expect(seen).toContain(`POST /${ENTRA_TENANT}/oauth2/v2.0/token`); // Microsoft did issue a token: the relay refused it
    await context.close();
  });
});
