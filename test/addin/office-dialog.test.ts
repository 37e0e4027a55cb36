import { dialogErrorMessage, runSignInDialog } from "../../src/addin/auth/office-dialog";
import { FakeDialogHost } from "./fake-dialogs";

const ORIGIN = "https://mtd.example";
const SID = "sid-1-abcdefgh";

describe("runSignInDialog", () => {
  it("resolves with the sid when the dialog reports success from our origin, and closes it", async () => {
    const host = new FakeDialogHost();
    host.script = (d) => d.send(JSON.stringify({ ok: true, sid: SID }), ORIGIN);
    await expect(runSignInDialog(host, `${ORIGIN}/dialog.html?sid=${SID}`, ORIGIN, SID)).resolves.toEqual({ ok: true, sid: SID });
    expect(host.dialogs[0]!.url).toBe(`${ORIGIN}/dialog.html?sid=${SID}`);
    expect(host.dialogs[0]!.closed).toBe(true);
  });

  it("ignores messages from another origin or about another sign-in", async () => {
    const host = new FakeDialogHost();
    host.script = (d) => {
      d.send(JSON.stringify({ ok: true, sid: SID }), "https://evil.example");
      d.send(JSON.stringify({ ok: true, sid: "sid-2-other" }), ORIGIN);
      d.send("garbage", ORIGIN);
      d.event(12006);
    };
    const outcome = await runSignInDialog(host, `${ORIGIN}/dialog.html`, ORIGIN, SID);
    expect(outcome).toMatchObject({ ok: false, reason: "closed" });
  });

  it("explains a refusal at HMRC", async () => {
    const host = new FakeDialogHost();
    host.script = (d) => d.send(JSON.stringify({ ok: false, code: "access_denied" }), ORIGIN);
    const outcome = await runSignInDialog(host, `${ORIGIN}/dialog.html`, ORIGIN, SID);
    expect(outcome).toMatchObject({ ok: false, reason: "denied" });
    expect(host.dialogs[0]!.closed).toBe(true);
  });

  it.each([
    [12007, "already-open", /already open/],
    [12009, "ignored", /choose Allow/],
    [12011, "blocked", /blocked/],
    [12005, "unavailable", /Office error 12005/],
  ])("turns open failure %i into %s", async (code, reason, message) => {
    const host = new FakeDialogHost();
    host.openError = code;
    const outcome = await runSignInDialog(host, `${ORIGIN}/dialog.html`, ORIGIN, SID);
    expect(outcome).toMatchObject({ ok: false, reason });
    expect(!outcome.ok && outcome.message).toMatch(message);
  });

  it("says the window was closed for 12006", () => {
    expect(dialogErrorMessage(12006)).toMatchObject({ reason: "closed", message: expect.stringMatching(/closed/) as unknown });
  });
});
