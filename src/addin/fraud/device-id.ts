/**
 * Gov-Client-Device-ID (reference/fraud-headers.md §2.2 row 3, §6.6): a random UUID made once per device and
 * kept, never derived from user data. It lives in localStorage under Office's partition key where Office
 * defines one (Excel on the web partitions storage per host); where storage is blocked it lives in memory for
 * this page only, and the "What we send HMRC" panel says so (HMRC must be told why it changes).
 */

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface DeviceIdentity {
  readonly id: string;
  /** "stored": kept in this browser's storage; "this-session": storage is blocked, a new ID comes with each session. */
  readonly persistence: "stored" | "this-session";
}

export const DEVICE_ID_KEY = "mtd-bridge.device-id";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The storage key: Office's partition key in front where it is defined (it is undefined on Windows desktop). */
export function deviceIdKey(partitionKey: string | undefined): string {
  return `${partitionKey ?? ""}${DEVICE_ID_KEY}`;
}

let sessionOnly: string | undefined;

/** Reads the stored ID, or makes and stores one; falls back to one in-memory ID for the page when storage fails. */
export function deviceIdentity(storage: KeyValueStorage | undefined, partitionKey: string | undefined, newUuid: () => string): DeviceIdentity {
  const key = deviceIdKey(partitionKey);
  try {
    if (!storage) throw new Error("no storage");
    const stored = storage.getItem(key);
    if (stored !== null && UUID.test(stored)) return { id: stored, persistence: "stored" };
    const id = newUuid();
    storage.setItem(key, id);
    // Some browsers accept the write and drop it (quota 0, partitioned third-party storage): read it back.
    if (storage.getItem(key) === id) return { id, persistence: "stored" };
  } catch {
    // Storage disabled by policy or by the user: fall through to the in-memory ID.
  }
  sessionOnly ??= newUuid();
  return { id: sessionOnly, persistence: "this-session" };
}

/** Tests only: forget the in-memory fallback, as a new page load would. */
export function resetSessionDeviceId(): void {
  sessionOnly = undefined;
}
