/**
 * Where the task pane keeps its relay session: in memory, mirrored to localStorage under the Office
 * partition key so reopening the pane does not mean signing in again. Only the relay's short-lived
 * opaque token is kept; HMRC's tokens never reach the browser.
 */
import type { KeyValueStorage } from "./fraud/browser-headers";

export interface StoredSession {
  readonly token: string;
  readonly expiresAt: string;
}

export class SessionStore {
  private current: StoredSession | undefined;
  private readonly key: string;

  constructor(
    private readonly storage: (KeyValueStorage & { removeItem(key: string): void }) | undefined,
    partitionKey: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.key = `${partitionKey ?? ""}mtd-bridge.session`;
    this.current = this.load();
  }

  /** The token while it is unexpired, else undefined. */
  get token(): string | undefined {
    if (this.current && Date.parse(this.current.expiresAt) <= this.now().getTime()) this.clear();
    return this.current?.token;
  }

  get expiresAt(): string | undefined {
    return this.token === undefined ? undefined : this.current?.expiresAt;
  }

  set(session: StoredSession): void {
    this.current = { token: session.token, expiresAt: session.expiresAt };
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.current));
    } catch {
      // storage full or blocked: memory only
    }
  }

  clear(): void {
    this.current = undefined;
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // nothing stored
    }
  }

  private load(): StoredSession | undefined {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw || raw.length > 8192) return undefined;
      const v = JSON.parse(raw) as Partial<StoredSession>;
      if (typeof v.token !== "string" || typeof v.expiresAt !== "string" || Number.isNaN(Date.parse(v.expiresAt))) return undefined;
      return { token: v.token, expiresAt: v.expiresAt };
    } catch {
      return undefined;
    }
  }
}
