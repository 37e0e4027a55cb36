/** What dialog.html was asked to do, read from its query string and bounded (it is attacker-reachable). */

export type DialogPage =
  | { readonly kind: "start"; readonly sid: string }
  | { readonly kind: "result"; readonly ok: boolean; readonly sid: string; readonly message: string }
  | { readonly kind: "invalid" };

const SID = /^[A-Za-z0-9_-]{8,200}$/;
const CODE = /^[A-Za-z0-9_.-]{1,100}$/;

export function parseDialogPage(search: string): DialogPage {
  const params = new URLSearchParams(search);
  const sid = params.get("sid") ?? "";
  if (!SID.test(sid)) return { kind: "invalid" };
  const result = params.get("result");
  if (result === null) return { kind: "start", sid };
  if (result !== "ok" && result !== "error") return { kind: "invalid" };
  const ok = result === "ok";
  const rawCode = params.get("code");
  const code = rawCode !== null && CODE.test(rawCode) ? rawCode : ok ? undefined : "unknown";
  // The task pane parses exactly this (src/addin/auth/office-dialog.ts parseDialogMessage).
  const message = JSON.stringify({ ok, sid, ...(code !== undefined ? { code } : {}) });
  return { kind: "result", ok, sid, message };
}
