import { parseDialogMessage } from "../../src/addin/auth/office-dialog";
import { parseDialogPage } from "../../src/addin/dialog/page";

const SID = "Q2x4Rk9hZ1N0YXJ0aW5nLXNpZC1mb3ItdGVzdHMtMTIz";

describe("dialog.html's query string", () => {
  it("starts the sign-in when only a sid is given", () => {
    expect(parseDialogPage(`?sid=${SID}`)).toEqual({ kind: "start", sid: SID });
  });

  it("reports success as the task pane expects it", () => {
    const page = parseDialogPage(`?sid=${SID}&result=ok`);
    expect(page).toMatchObject({ kind: "result", ok: true, sid: SID });
    expect(page.kind === "result" && parseDialogMessage(page.message)).toEqual({ ok: true, sid: SID });
  });

  it("reports a refusal with its code", () => {
    const page = parseDialogPage(`?sid=${SID}&result=error&code=access_denied`);
    expect(page.kind === "result" && JSON.parse(page.message)).toEqual({ ok: false, sid: SID, code: "access_denied" });
    expect(page.kind === "result" && parseDialogMessage(page.message)).toEqual({ ok: false, code: "access_denied" });
  });

  it.each([
    ["", "no sid"],
    ["?sid=short", "a sid too short"],
    [`?sid=${SID}%3Cscript%3E`, "a sid with markup"],
    [`?sid=${SID}&result=maybe`, "an unknown result"],
  ])("refuses %s (%s)", (search) => {
    expect(parseDialogPage(search)).toEqual({ kind: "invalid" });
  });

  it("drops a code that is not a plain token", () => {
    const page = parseDialogPage(`?sid=${SID}&result=error&code=%3Cimg%20src%3Dx%3E`);
    expect(page.kind === "result" && JSON.parse(page.message)).toEqual({ ok: false, sid: SID, code: "unknown" });
  });
});

describe("the task pane's reading of dialog messages", () => {
  it.each([
    ["not json", undefined],
    [JSON.stringify({ ok: true }), undefined],
    [JSON.stringify({ ok: "yes", sid: "x" }), undefined],
    [JSON.stringify([1, 2]), undefined],
    ["x".repeat(3000), undefined],
    [JSON.stringify({ ok: false }), { ok: false, code: "unknown" }],
  ])("%s → %j", (raw, expected) => {
    expect(parseDialogMessage(raw)).toEqual(expected);
  });
});
