import { ConnectError, connectToHmrc } from "../../src/addin/auth/connect";
import { RelayClient } from "../../src/addin/relay-client";
import { FakeDialogHost, sidOf } from "./fake-dialogs";
import { FakeRelay } from "./fake-relay";

const ORIGIN = "https://mtd.example";

describe("connectToHmrc", () => {
  it("opens the dialog on our origin, then claims a session with the verifier", async () => {
    const fake = new FakeRelay();
    const relay = new RelayClient({ fetch: fake.fetch, sessionToken: () => undefined });
    const host = new FakeDialogHost();
    host.script = (d) => d.send(JSON.stringify({ ok: true, sid: sidOf(d.url) }), ORIGIN);
    const progress: string[] = [];
    const session = await connectToHmrc({ relay, dialogs: host, origin: ORIGIN, onProgress: (m) => progress.push(m) });
    expect(session?.sessionToken).toMatch(/^session-/);
    expect(host.dialogs[0]!.url.startsWith(`${ORIGIN}/dialog.html?sid=`)).toBe(true);
    // The fake relay only issues a session when SHA-256(verifier) matches the challenge sent at start.
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/auth/start", "/api/auth/claim"]);
    expect(progress.length).toBeGreaterThan(0);
  });

  it("claims nothing when the user closes the window", async () => {
    const fake = new FakeRelay();
    const relay = new RelayClient({ fetch: fake.fetch, sessionToken: () => undefined });
    const host = new FakeDialogHost();
    host.script = (d) => d.event(12006);
    const e = await connectToHmrc({ relay, dialogs: host, origin: ORIGIN }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConnectError);
    expect(e).toMatchObject({ reason: "closed" });
    expect(fake.requests.map((r) => r.path)).toEqual(["/api/auth/start"]);
  });
});
