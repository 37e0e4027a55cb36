/** A stand-in for `Office.context.ui` whose dialog is scripted by the test. */
import type { DialogArg, DialogHandle, DialogHost, DialogOpenResult } from "../../src/addin/auth/office-dialog";

export class FakeDialog implements DialogHandle {
  readonly handlers = new Map<string, Array<(arg: DialogArg) => void>>();
  closed = false;
  constructor(readonly url: string) {}
  addEventHandler(eventType: string, handler: (arg: DialogArg) => void): void {
    this.handlers.set(eventType, [...(this.handlers.get(eventType) ?? []), handler]);
  }
  close(): void {
    this.closed = true;
  }
  /** What the dialog page does: `messageParent(message)`, seen by the parent with the page's origin. */
  send(message: string, origin: string): void {
    for (const h of this.handlers.get("dialogMessageReceived") ?? []) h({ message, origin });
  }
  event(error: number): void {
    for (const h of this.handlers.get("dialogEventReceived") ?? []) h({ error });
  }
}

export class FakeDialogHost implements DialogHost {
  readonly dialogs: FakeDialog[] = [];
  /** Set to fail the open itself with an Office error code (12007, 12009, 12011…). */
  openError: number | undefined;
  /** Runs once the parent has attached its handlers. */
  script: (dialog: FakeDialog) => void = () => undefined;

  displayDialogAsync(url: string, _options: { height: number; width: number }, callback: (result: DialogOpenResult) => void): void {
    const dialog = new FakeDialog(url);
    this.dialogs.push(dialog);
    setTimeout(() => {
      if (this.openError !== undefined) {
        callback({ status: "failed", value: dialog, error: { code: this.openError, message: "failed" } });
        return;
      }
      callback({ status: "succeeded", value: dialog });
      setTimeout(() => this.script(dialog), 0);
    }, 0);
  }
}

/** The sid in a dialog URL (`…/dialog.html?sid=…`). */
export function sidOf(url: string): string {
  return new URL(url).searchParams.get("sid") ?? "";
}
