/**
 * The task pane with a relay in IDENTITY_MODE=entra: "Sign in with Microsoft" comes first, "Connect to HMRC"
 * then runs the same dialog flow with the Microsoft token as bearer (claim answers 204: no relay session), and
 * every later call carries a fresh token. The relay's refusals (401, 503) and Microsoft's failures each end on
 * the sign-in step with their own sentence. Local mode never touches Microsoft.
 */
import { Bearer } from "../../src/addin/auth/bearer";
import { MicrosoftSignInError, type MicrosoftTokens } from "../../src/addin/auth/microsoft";
import { RelayClient } from "../../src/addin/relay-client";
import { SessionStore } from "../../src/addin/session-store";
import { TaskpaneController } from "../../src/addin/taskpane/controller";
import { initialState, type AppState } from "../../src/addin/taskpane/state";
import { Store } from "../../src/addin/taskpane/store";
import { STEPS } from "../../src/addin/taskpane/views/steps";
import { RELAY_ERROR_MESSAGES, type IdentityInfo, type IsoDate, type TaxYear } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { FakeDialogHost, sidOf } from "./fake-dialogs";
import { BUSINESS_ID, FakeRelay, NINO } from "./fake-relay";

const ORIGIN = "https://mtd.example";
const ENTRA: IdentityInfo = {
  mode: "entra",
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  clientId: "6e74172b-be56-4843-9ff4-e66a39bb12e3",
  scope: "api://6e74172b-be56-4843-9ff4-e66a39bb12e3/access_as_user",
};

/** msal as the controller sees it: each silent call hands out a new token (as msal does after a renewal). */
class FakeMicrosoft implements MicrosoftTokens {
  signedIn = false;
  issued = 0;
  username: string | undefined;
  signInFails: MicrosoftSignInError | undefined;
  silentCalls = 0;
  interactiveCalls = 0;
  constructor(private readonly relay: FakeRelay) {}
  private issue(): string {
    const token = `ms-token-${++this.issued}`;
    this.relay.microsoftTokens.add(token);
    return token;
  }
  async tokenSilently(): Promise<string | undefined> {
    this.silentCalls++;
    return this.signedIn ? this.issue() : undefined;
  }
  async signIn(): Promise<string> {
    this.interactiveCalls++;
    if (this.signInFails) throw this.signInFails;
    this.signedIn = true;
    this.username = "alice@contoso.example";
    return this.issue();
  }
}

function setup(identity: IdentityInfo = ENTRA, loadMsal?: () => Promise<never>) {
  const relay = new FakeRelay();
  relay.identity = identity;
  const session = new SessionStore(undefined, undefined, () => new Date("2026-11-21T10:00:00Z"));
  const bearer = new Bearer(session);
  const client = new RelayClient({ fetch: relay.fetch, sessionToken: () => bearer.token() });
  const dialogs = new FakeDialogHost();
  dialogs.script = (d) => d.send(JSON.stringify({ ok: true, sid: sidOf(d.url) }), ORIGIN);
  const microsoft = new FakeMicrosoft(relay);
  const created: IdentityInfo[] = [];
  const store = new Store<AppState>(initialState("2026-27" as TaxYear));
  const announcements: string[] = [];
  const workbook = new InMemoryWorkbook();
  const controller = new TaskpaneController(store, {
    relay: client,
    session,
    workbook,
    dialogs,
    origin: ORIGIN,
    today: () => "2026-11-21" as IsoDate,
    announce: (m) => announcements.push(m),
    microsoft: {
      create: async (i) => {
        created.push(i);
        if (loadMsal) await loadMsal();
        return microsoft;
      },
      bearer,
    },
  });
  return { relay, session, dialogs, microsoft, created, store, controller, workbook, announcements };
}

const stepStatus = (state: AppState, id: string) => STEPS.find((s) => s.id === id)!.status(state);
const bearerOf = (r: { headers: Record<string, string> }) => r.headers.authorization;

describe("the task pane in entra mode", () => {
  it("asks for Microsoft sign-in first, with HMRC's connect locked until then", async () => {
    const t = setup();
    await t.controller.start();
    expect(t.created).toEqual([ENTRA]); // msal is set up with what the relay said
    expect(t.store.state.signIn).toEqual({ status: "signed-out" });
    expect(stepStatus(t.store.state, "sign-in")).toBe("current");
    expect(stepStatus(t.store.state, "connect")).toBe("locked");
    await t.controller.connect();
    expect(t.dialogs.dialogs).toHaveLength(0); // nothing opens before the person is known
    expect(t.relay.requests.map((r) => r.path)).toEqual(["/api/identity"]);
  });

  it("signs in, connects with the Microsoft token as bearer (claim 204, no relay session), then sends a fresh token each call", async () => {
    const t = setup();
    await t.controller.start();
    await t.controller.signInWithMicrosoft();
    expect(t.store.state.signIn).toEqual({ status: "signed-in", account: "alice@contoso.example" });
    expect(stepStatus(t.store.state, "sign-in")).toBe("done");
    expect(t.store.state.connection.status).toBe("disconnected"); // the relay checked the token: no HMRC grant yet
    expect(t.announcements).toContain("Signed in with Microsoft.");

    await t.controller.connect();
    expect(t.store.state.connection).toMatchObject({ status: "connected", environment: "local-sandbox" });
    expect(t.session.token).toBeUndefined(); // entra mode keeps no relay session
    expect(t.relay.linked).toBe(true);
    const start = t.relay.requests.find((r) => r.path === "/api/auth/start")!;
    const claim = t.relay.requests.find((r) => r.path === "/api/auth/claim")!;
    expect(bearerOf(start)).toMatch(/^Bearer ms-token-\d+$/);
    expect(bearerOf(claim)).toMatch(/^Bearer ms-token-\d+$/);

    t.relay.businesses = t.relay.businesses.filter((b) => b.businessId === BUSINESS_ID); // one business: chosen without asking
    await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
    expect(t.store.state.businessId).toBe(BUSINESS_ID);
    const calls = t.relay.hmrcCalls("GET");
    // The workbook has no MTD names yet, so the pane asks where the figures are before it lists any periods.
    expect(calls.map((r) => r.path)).toEqual([`/api/hmrc/individuals/business/details/${NINO}/list`]);
    expect(t.store.state.mapping.confirmed).toBe(false);
    // Every relay call asked msal for a token: all different, the last one the newest msal gave out.
    const bearers = t.relay.requests.filter((r) => r.path !== "/api/identity").map(bearerOf);
    expect(new Set(bearers).size).toBe(bearers.length);
    expect(bearers.at(-1)).toBe(`Bearer ms-token-${t.microsoft.issued}`);
    expect(t.microsoft.interactiveCalls).toBe(1); // silent from then on
  });

  it("signs in silently on start when msal already has the person, and shows the HMRC connection", async () => {
    const t = setup();
    t.microsoft.signedIn = true;
    t.relay.linked = true;
    await t.controller.start();
    expect(t.store.state.signIn.status).toBe("signed-in");
    expect(t.store.state.connection.status).toBe("connected");
    expect(t.microsoft.interactiveCalls).toBe(0);
  });

  it.each([
    ["consent-needed", /administrator to grant consent/],
    ["popup-blocked", /blocked Microsoft's sign-in window/],
    ["wrong-tenant", /not part of the organisation/],
  ] as const)("shows Microsoft's refusal (%s) on the sign-in step and connects nothing", async (reason, message) => {
    const t = setup();
    const sentences = {
      "consent-needed": "Ask your Microsoft 365 administrator to grant consent for MTD Bridge, then sign in again.",
      "popup-blocked": "Your browser blocked Microsoft's sign-in window. Allow pop-ups for this add-in.",
      "wrong-tenant": "That Microsoft account is not part of the organisation that runs this MTD Bridge.",
    };
    t.microsoft.signInFails = new MicrosoftSignInError(reason, sentences[reason]);
    await t.controller.start();
    await t.controller.signInWithMicrosoft();
    expect(t.store.state.signIn.status).toBe("signed-out");
    expect(t.store.state.signIn.error).toMatch(message);
    expect(t.announcements.at(-1)).toMatch(message);
    expect(stepStatus(t.store.state, "connect")).toBe("locked");
  });

  it("says so when the relay cannot check Microsoft sign-ins (503)", async () => {
    const t = setup();
    await t.controller.start();
    t.relay.signInUnavailable = true;
    await t.controller.signInWithMicrosoft();
    expect(t.store.state.signIn).toEqual({ status: "signed-out", error: RELAY_ERROR_MESSAGES.RELAY_SIGN_IN_UNAVAILABLE });
    expect(t.store.state.connection.status).toBe("disconnected");
  });

  it("says the account is not accepted when the relay refuses Microsoft's token (401)", async () => {
    const t = setup();
    await t.controller.start();
    t.relay.microsoftTokens.add = () => t.relay.microsoftTokens; // the relay accepts none of this account's tokens
    await t.controller.signInWithMicrosoft();
    expect(t.store.state.signIn.status).toBe("signed-out");
    expect(t.store.state.signIn.error).toMatch(/did not accept that account/);
  });

  it("goes back to the sign-in step when Microsoft needs the person again mid-session", async () => {
    const t = setup();
    await t.controller.start();
    await t.controller.signInWithMicrosoft();
    await t.controller.connect();
    t.microsoft.signedIn = false; // e.g. the refresh token was revoked: msal cannot renew silently
    await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
    expect(t.store.state.signIn).toEqual({ status: "signed-out", error: "Your Microsoft sign-in has ended. Choose “Sign in with Microsoft” to continue." });
    expect(t.store.state.connection.status).toBe("disconnected");
    expect(t.relay.hmrcCalls()).toHaveLength(0); // nothing was sent without a token
  });

  it("offers to try again when the relay cannot say how to sign in, or msal cannot load", async () => {
    const t = setup();
    t.relay.answer = (r) => (r.path === "/api/identity" ? { status: 502 } : undefined);
    await t.controller.start();
    expect(t.store.state.signIn.status).toBe("unavailable");
    expect(stepStatus(t.store.state, "connect")).toBe("locked");
    t.relay.answer = () => undefined;
    await t.controller.start();
    expect(t.store.state.signIn.status).toBe("signed-out");

    const broken = setup(ENTRA, () => Promise.reject(new Error("chunk failed to load")));
    await broken.controller.start();
    expect(broken.store.state.signIn).toMatchObject({ status: "unavailable", error: expect.stringMatching(/could not be loaded/) });
  });
});

describe("the task pane in local mode", () => {
  it("hides the sign-in step, never loads msal, and connects with a relay session as before", async () => {
    const t = setup({ mode: "local" });
    await t.controller.start();
    expect(t.store.state.signIn).toEqual({ status: "not-needed" });
    expect(stepStatus(t.store.state, "sign-in")).toBe("hidden");
    expect(stepStatus(t.store.state, "connect")).toBe("current");
    await t.controller.connect();
    expect(t.store.state.connection.status).toBe("connected");
    expect(t.session.token).toMatch(/^session-/);
    expect(t.created).toEqual([]);
    expect(t.microsoft.silentCalls + t.microsoft.interactiveCalls).toBe(0);
    const session = t.relay.requests.find((r) => r.path === "/api/session")!;
    expect(bearerOf(session)).toBe(`Bearer ${t.session.token}`);
    // Start and claim carry no bearer in local mode: the HMRC connection itself makes the session.
    expect(t.relay.requests.filter((r) => r.path.startsWith("/api/auth/")).map(bearerOf)).toEqual([undefined, undefined]);
  });
});
