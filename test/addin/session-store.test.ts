import { SessionStore } from "../../src/addin/session-store";

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
}

describe("SessionStore", () => {
  const now = () => new Date("2026-11-21T10:00:00Z");

  it("keeps the token under the partition key and finds it again after a reload", () => {
    const storage = new MemoryStorage();
    new SessionStore(storage, "pk|", now).set({ token: "t1", expiresAt: "2026-11-21T18:00:00Z" });
    expect([...storage.data.keys()]).toEqual(["pk|mtd-bridge.session"]);
    expect(new SessionStore(storage, "pk|", now).token).toBe("t1");
    expect(new SessionStore(storage, "other|", now).token).toBeUndefined();
  });

  it("forgets an expired session", () => {
    const storage = new MemoryStorage();
    const s = new SessionStore(storage, undefined, now);
    s.set({ token: "t1", expiresAt: "2026-11-21T09:59:59Z" });
    expect(s.token).toBeUndefined();
    expect(storage.data.size).toBe(0);
  });

  it("ignores a corrupt stored value and works without storage", () => {
    const storage = new MemoryStorage();
    storage.setItem("mtd-bridge.session", "{not json");
    expect(new SessionStore(storage, undefined, now).token).toBeUndefined();
    const memoryOnly = new SessionStore(undefined, undefined, now);
    memoryOnly.set({ token: "t2", expiresAt: "2026-11-22T00:00:00Z" });
    expect(memoryOnly.token).toBe("t2");
    memoryOnly.clear();
    expect(memoryOnly.token).toBeUndefined();
  });
});
