/**
 * Document settings (Office's per-document, per-add-in property bag, `Office.context.document.settings`)
 * as a small promise-based interface. Office keeps an in-memory copy: `set` changes only that copy until
 * `save` writes it into the document.
 */
import type { SettingValue } from "../workbook/document-settings";

export interface DocumentSettingsLike {
  /** The stored value, or null/undefined when the key was never set. */
  get(name: string): unknown;
  set(name: string, value: SettingValue): void;
  /** Persists every change made with `set` into the document. */
  save(): Promise<void>;
}

/** The part of `Office.Settings` this adapter uses (so tests and the workbench can pass a stand-in). */
export interface OfficeSettingsLike {
  get(name: string): unknown;
  set(name: string, value: SettingValue): void;
  /** Office.js reports `status` as the string "succeeded" or "failed" (its typings say a numeric enum). */
  saveAsync(callback?: (result: { readonly status: unknown; readonly error?: { readonly message: string } | null }) => void): void;
}

export class SettingsSaveError extends Error {
  /** Office's own error (`code`, `name`, `message`) is kept as the cause, for diagnostics. */
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`Excel could not save MTD Bridge's settings in this workbook (${detail}). Check the workbook is not read-only, then try again.`, options);
    this.name = "SettingsSaveError";
  }
}

/** Wraps `Office.context.document.settings`. */
export function officeDocumentSettings(settings: OfficeSettingsLike): DocumentSettingsLike {
  return {
    get: (name) => settings.get(name),
    set: (name, value) => settings.set(name, value),
    save: () =>
      new Promise<void>((resolve, reject) => {
        settings.saveAsync((result) => {
          if (result.status === "failed") reject(new SettingsSaveError(result.error?.message ?? "unknown error", { cause: result.error }));
          else resolve();
        });
      }),
  };
}
