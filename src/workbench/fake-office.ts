/**
 * A stand-in for office.js inside workbench-taskpane.html, loaded before the real task pane bundle so that
 * bundle runs unchanged (addin-engineering §5.3): `Office.onReady`, requirement checks, document settings
 * kept in the parent workbench's workbook, `displayDialogAsync` as a real popup window whose
 * `mtd-dialog-message` postMessages become DialogMessageReceived events, and `Excel.run` handed to the
 * parent's fake Excel. Dev and test only: taskpane.html loads Microsoft's office.js instead.
 */
import type { SettingValue } from "../workbook/document-settings";
import { bridgeOf, type WorkbenchBridge } from "./bridge";
import { versionAtMost } from "./requirement-sets";

const DIALOG_MESSAGE = "dialogMessageReceived";
const DIALOG_EVENT = "dialogEventReceived";
/** The highest requirement sets the workbench offers; the manifest requires ExcelApi 1.7. */
const SUPPORTED_SETS: Readonly<Record<string, string>> = { ExcelApi: "1.17", DialogApi: "1.2" };

type AsyncCallback<T> = (result: { status: "succeeded" | "failed"; value: T; error?: { code: number; name: string; message: string } }) => void;
type DialogHandler = (arg: { type: string; message?: string; origin?: string; error?: number }) => void;

function later(fn: () => void): void {
  setTimeout(fn, 0);
}

/** Office keeps an in-memory copy of the settings; `saveAsync` writes it into the document. */
function documentSettings(bridge: WorkbenchBridge | undefined) {
  const pending = new Map<string, SettingValue | undefined>();
  return {
    get(name: string): unknown {
      if (pending.has(name)) return pending.get(name) ?? null;
      return bridge ? bridge.workbook.getDocumentSetting(name) : null;
    },
    set(name: string, value: SettingValue): void {
      pending.set(name, JSON.parse(JSON.stringify(value)) as SettingValue);
    },
    remove(name: string): void {
      pending.set(name, undefined);
    },
    saveAsync(...args: unknown[]): void {
      const callback = args.find((a): a is AsyncCallback<void> => typeof a === "function");
      try {
        if (!bridge) throw new Error("No workbook is open.");
        bridge.workbook.batch(() => {
          for (const [name, value] of pending) {
            if (value === undefined) bridge.workbook.removeDocumentSetting(name);
            else bridge.workbook.setDocumentSetting(name, value);
          }
        });
        pending.clear();
        later(() => callback?.({ status: "succeeded", value: undefined }));
      } catch (e) {
        later(() => callback?.({ status: "failed", value: undefined, error: { code: 5001, name: "Internal Error", message: e instanceof Error ? e.message : String(e) } }));
      }
    },
  };
}

/** One dialog at a time (Office's rule, error 12007), as a popup window on our own origin. */
function dialogs() {
  let open: { popup: Window; close(): void } | undefined;

  return {
    displayDialogAsync(url: string, ...rest: unknown[]): void {
      const options = (rest.find((a) => typeof a === "object" && a !== null) ?? {}) as { height?: number; width?: number };
      const callback = rest.find((a): a is AsyncCallback<unknown> => typeof a === "function");
      if (open) {
        later(() => callback?.({ status: "failed", value: undefined, error: { code: 12007, name: "Display Dialog Error", message: "A dialog is already opened." } }));
        return;
      }
      let target: URL;
      try {
        target = new URL(url, location.href);
      } catch {
        later(() => callback?.({ status: "failed", value: undefined, error: { code: 12003, name: "Display Dialog Error", message: "Invalid URL." } }));
        return;
      }
      // Office insists the first page is on the add-in's own origin.
      if (target.origin !== location.origin) {
        later(() => callback?.({ status: "failed", value: undefined, error: { code: 12004, name: "Display Dialog Error", message: "The domain of the URL is not trusted." } }));
        return;
      }
      const width = Math.round((screen.availWidth * (options.width ?? 30)) / 100);
      const height = Math.round((screen.availHeight * (options.height ?? 60)) / 100);
      const popup = window.open(target.href, "mtd-bridge-dialog", `popup,width=${Math.max(width, 420)},height=${Math.max(height, 520)}`);
      if (!popup) {
        later(() => callback?.({ status: "failed", value: undefined, error: { code: 12011, name: "Display Dialog Error", message: "The browser blocked the dialog." } }));
        return;
      }
      const handlers = new Map<string, DialogHandler[]>();
      const fire = (type: string, arg: Parameters<DialogHandler>[0]) => {
        for (const h of handlers.get(type) ?? []) h(arg);
      };
      const onMessage = (event: MessageEvent) => {
        if (event.source !== popup || event.origin !== location.origin) return;
        const data = event.data as { type?: unknown; message?: unknown } | null;
        if (!data || data.type !== "mtd-dialog-message" || typeof data.message !== "string") return;
        fire(DIALOG_MESSAGE, { type: DIALOG_MESSAGE, message: data.message, origin: event.origin });
      };
      const watch = setInterval(() => {
        if (!popup.closed) return;
        cleanup();
        fire(DIALOG_EVENT, { type: DIALOG_EVENT, error: 12006 }); // the user closed the window
      }, 250);
      const cleanup = () => {
        clearInterval(watch);
        window.removeEventListener("message", onMessage);
        open = undefined;
      };
      window.addEventListener("message", onMessage);
      const dialog = {
        addEventHandler(type: string, handler: DialogHandler, ...more: unknown[]): void {
          handlers.set(type, [...(handlers.get(type) ?? []), handler]);
          const cb = more.find((a): a is AsyncCallback<void> => typeof a === "function");
          later(() => cb?.({ status: "succeeded", value: undefined }));
        },
        close(): void {
          cleanup();
          if (!popup.closed) popup.close();
        },
        messageChild(): void {
          throw new Error("messageChild is not used by MTD Bridge.");
        },
      };
      open = { popup, close: dialog.close };
      later(() => callback?.({ status: "succeeded", value: dialog }));
    },
    messageParent(): void {
      throw new Error("messageParent is only available inside a dialog.");
    },
    openBrowserWindow(url: string): void {
      window.open(url, "_blank", "noopener");
    },
  };
}

function installFakeOffice(win: Window): void {
  const bridge = win.parent !== win ? bridgeOf(win.parent) : undefined;
  const info = bridge ? { host: "Excel", platform: "PC" } : { host: null, platform: null };
  const office = {
    HostType: { Excel: "Excel" },
    PlatformType: { PC: "PC", OfficeOnline: "OfficeOnline", Mac: "Mac" },
    EventType: { DialogMessageReceived: DIALOG_MESSAGE, DialogEventReceived: DIALOG_EVENT },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    onReady(callback?: (i: typeof info) => void): Promise<typeof info> {
      return new Promise((resolve) =>
        later(() => {
          callback?.(info);
          resolve(info);
        }),
      );
    },
    context: {
      // Windows desktop has no partition key (WebView2 does not partition storage).
      partitionKey: undefined,
      diagnostics: { host: "Excel", platform: "PC", version: "16.0 (MTD Bridge workbench)" },
      requirements: {
        isSetSupported(name: string, minVersion?: string | number): boolean {
          const available = SUPPORTED_SETS[name];
          return available !== undefined && versionAtMost(String(minVersion ?? "1.1"), available);
        },
      },
      document: { settings: documentSettings(bridge) },
      ui: dialogs(),
    },
  };
  const excel = {
    run: (...args: unknown[]) => {
      if (!bridge) return Promise.reject(new Error("The workbench workbook is not available."));
      return bridge.excel.run(...args);
    },
  };
  const target = win as unknown as Record<string, unknown>;
  target.Office = office;
  target.Excel = excel;
}

installFakeOffice(window);
