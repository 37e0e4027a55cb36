/**
 * A faithful fake of the part of the Excel JavaScript API that MTD Bridge uses, over an InMemoryWorkbook.
 * It keeps Office.js's batch model: calls on proxy objects are queued and only run at `context.sync()`;
 * reading a property that was not loaded (or loaded but not yet synced) throws, as Office.js does; errors
 * from queued calls reject the sync with Office's `code` and `debugInfo`, and calls queued before the
 * failing one stay applied (Excel batches are not transactions). It runs in jest and in the browser.
 *
 * Where Excel's behaviour is undocumented the fake is the stricter choice: calls on a null object fail
 * with ItemNotFound, setting a property forgets its loaded value, and only `numberFormat` broadcasts a
 * 1×1 array. It does not calculate formulas.
 */
import type { DocumentSettingsLike, OfficeSettingsLike } from "../addin/office-settings";
import type { SettingValue } from "../workbook/document-settings";
import { WorkbookModelError, type InMemoryWorkbook } from "../workbook/in-memory";
import { FakeOfficeError, officeError, type FakeDebugInfo } from "./fake-excel-errors";
import { FakeWorkbook } from "./fake-excel-objects";

export { FakeOfficeError, type FakeDebugInfo } from "./fake-excel-errors";
export * from "./fake-excel-objects";

// ---- options and the fake itself ----------------------------------------------------------------------

export interface FakeRunOptions {
  delayForCellEdit?: boolean;
}

export interface FakeExcelOptions {
  /** Excel on the web refuses requests and responses over 5 MB; desktop has no such limit. Default "web". */
  readonly platform?: "web" | "desktop";
}

export type FakeBatch<T> = (context: FakeRequestContext) => Promise<T>;

export interface FakeExcel {
  run<T>(batch: FakeBatch<T>): Promise<T>;
  run<T>(options: FakeRunOptions, batch: FakeBatch<T>): Promise<T>;
  /** Every `context.sync()` so far, including the one `run` makes for commands left unsynced. */
  readonly syncCount: number;
  /** Sets the sync count back to zero. */
  reset(): void;
  /** While on, syncs fail with InvalidOperationInCellEditMode, or wait when the run asked to delay. */
  setCellEditMode(editing: boolean): void;
  readonly workbook: InMemoryWorkbook;
}

const PAYLOAD_LIMIT = 5 * 1024 * 1024;

export function createFakeExcel(workbook: InMemoryWorkbook, options: FakeExcelOptions = {}): FakeExcel {
  let syncs = 0;
  let editing = false;
  let editEnded: (() => void)[] = [];
  const host: Host = {
    workbook,
    platform: options.platform ?? "web",
    countSync: () => {
      syncs += 1;
    },
    isEditing: () => editing,
    whenEditingEnds: () => new Promise<void>((resolve) => editEnded.push(resolve)),
  };

  async function run<T>(a: FakeRunOptions | FakeBatch<T>, b?: FakeBatch<T>): Promise<T> {
    const batch = typeof a === "function" ? a : b;
    const runOptions = typeof a === "function" ? {} : a;
    if (typeof batch !== "function") throw new TypeError("Excel.run needs a batch function.");
    const context = new FakeRequestContext(host, runOptions);
    try {
      const result = await batch(context);
      if (context.hasPending()) await context.sync(); // Excel.run syncs commands left in the queue
      return result;
    } finally {
      context.close();
    }
  }

  return {
    run: run as FakeExcel["run"],
    get syncCount() {
      return syncs;
    },
    reset() {
      syncs = 0;
    },
    setCellEditMode(on: boolean) {
      editing = on;
      if (!on) {
        const waiting = editEnded;
        editEnded = [];
        for (const resolve of waiting) resolve();
      }
    },
    workbook,
  };
}

interface Host {
  readonly workbook: InMemoryWorkbook;
  readonly platform: "web" | "desktop";
  countSync(): void;
  isEditing(): boolean;
  whenEditingEnds(): Promise<void>;
}

interface QueuedOp {
  readonly location: string;
  readonly statement: string;
  readonly bytes: number;
  apply(): void;
}

// ---- request context ------------------------------------------------------------------------------

export class FakeRequestContext {
  readonly workbook: FakeWorkbook;
  private queue: QueuedOp[] = [];
  /** Applied to proxies when the current sync succeeds (loaded values, null-object states). */
  private onSuccess: (() => void)[] = [];
  private responseBytes = 0;
  private closed = false;

  /** @internal */
  constructor(
    readonly host: Host,
    private readonly options: FakeRunOptions,
  ) {
    this.workbook = new FakeWorkbook(this);
  }

  /** @internal */
  enqueue(op: Omit<QueuedOp, "bytes"> & { bytes?: number }): void {
    if (this.closed) throw officeError("InvalidRequestContext", undefined, { errorLocation: op.location, statement: op.statement });
    this.queue.push({ bytes: 100, ...op });
  }

  /** @internal a result to hand to a proxy once this sync succeeds */
  deliver(bytes: number, fn: () => void): void {
    this.responseBytes += bytes;
    this.onSuccess.push(fn);
  }

  /** @internal */
  hasPending(): boolean {
    return this.queue.length > 0;
  }

  /** @internal */
  close(): void {
    this.closed = true;
  }

  async sync(): Promise<void> {
    this.host.countSync();
    const ops = this.queue;
    this.queue = [];
    this.onSuccess = [];
    this.responseBytes = 0;
    if (this.host.isEditing()) {
      if (!this.options.delayForCellEdit) throw officeError("InvalidOperationInCellEditMode");
      while (this.host.isEditing()) await this.host.whenEditingEnds();
    }
    await Promise.resolve(); // a round trip is asynchronous
    const requestBytes = ops.reduce((n, op) => n + op.bytes, 0);
    if (this.host.platform === "web" && requestBytes > PAYLOAD_LIMIT) throw officeError("RequestPayloadSizeLimitExceeded");
    let current: QueuedOp | undefined;
    try {
      this.host.workbook.batch(() => {
        for (const op of ops) {
          current = op;
          op.apply();
        }
      });
    } catch (e) {
      this.onSuccess = [];
      throw asOfficeError(e, current);
    }
    if (this.host.platform === "web" && this.responseBytes > PAYLOAD_LIMIT) {
      this.onSuccess = [];
      throw officeError("ResponsePayloadSizeLimitExceeded");
    }
    const deliveries = this.onSuccess;
    this.onSuccess = [];
    for (const d of deliveries) d();
  }
}

function asOfficeError(e: unknown, op: QueuedOp | undefined): FakeOfficeError {
  const location = op ? { errorLocation: op.location, statement: op.statement } : {};
  if (e instanceof FakeOfficeError) return new FakeOfficeError(e.code, e.message, { ...location, ...pick(e.debugInfo) });
  if (e instanceof WorkbookModelError) return new FakeOfficeError(e.code, e.message, location);
  return new FakeOfficeError("GeneralException", e instanceof Error ? e.message : String(e), location);
}

function pick(d: FakeDebugInfo): { errorLocation?: string; statement?: string } {
  return { ...(d.errorLocation ? { errorLocation: d.errorLocation } : {}), ...(d.statement ? { statement: d.statement } : {}) };
}

// ---- document settings -----------------------------------------------------------------------------

/**
 * A stand-in for `Office.context.document.settings` over the workbook: like Office, `set` changes an
 * in-memory copy and only `saveAsync` writes it into the document.
 */
export function createFakeOfficeSettings(workbook: InMemoryWorkbook, options: { failSave?: () => boolean } = {}): OfficeSettingsLike & { remove(name: string): void } {
  const copy = new Map<string, SettingValue>();
  const removed = new Set<string>();
  for (const k of workbook.documentSettingNames()) copy.set(k, workbook.getDocumentSetting(k)!);
  return {
    get(name: string): unknown {
      const v = copy.get(name);
      return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as unknown);
    },
    set(name: string, value: SettingValue): void {
      copy.set(name, JSON.parse(JSON.stringify(value)) as SettingValue);
      removed.delete(name);
    },
    remove(name: string): void {
      copy.delete(name);
      removed.add(name);
    },
    saveAsync(callback) {
      queueMicrotask(() => {
        if (options.failSave?.()) {
          callback?.({ status: "failed", error: { message: "The document is read-only." } });
          return;
        }
        workbook.batch(() => {
          for (const k of removed) workbook.removeDocumentSetting(k);
          for (const [k, v] of copy) workbook.setDocumentSetting(k, v);
        });
        removed.clear();
        callback?.({ status: "succeeded", error: null });
      });
    },
  };
}

/** The DocumentSettingsLike the workbench and tests hand to OfficeJsWorkbook. */
export function createFakeDocumentSettings(workbook: InMemoryWorkbook, options: { failSave?: () => boolean } = {}): DocumentSettingsLike {
  const office = createFakeOfficeSettings(workbook, options);
  return {
    get: (name) => office.get(name),
    set: (name, value) => office.set(name, value),
    save: () =>
      new Promise<void>((resolve, reject) =>
        office.saveAsync((r) => (r.status === "failed" ? reject(new Error(r.error?.message ?? "save failed")) : resolve())),
      ),
  };
}
