import Database from "better-sqlite3";
import { join } from "node:path";
import type { Receipt } from "../../src/mtd";
import { migrate, MIGRATIONS, openSqliteStore, type Grant, type RelayStore, type Session } from "../../src/relay/store";
import { tempDir } from "./helpers";

const T0 = "2025-08-01T10:00:00.000Z";
const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

const grant = (id: string): Grant => ({ id, userId: `user-${id}`, tokens: "v1.k.iv.tag.ct", accessExpiresAt: later(3600_000), scope: "s", createdAt: T0, updatedAt: T0 });
const session = (hash: string, grantId: string, expiresAt = later(3600_000)): Session => ({ tokenHash: hash, grantId, userId: `user-${grantId}`, createdAt: T0, expiresAt });
const pending = (sid: string) => ({ sid, state: `state-${sid}`, challenge: "c", createdAt: T0, expiresAt: later(600_000) });

function receipt(id: string, over: Partial<Receipt> = {}): Receipt {
  return {
    id,
    receivedAt: T0,
    userId: "u1",
    nino: "AA123456A",
    businessId: null,
    endpointId: "property.uk.cumulative.amend",
    method: "PUT",
    path: "/p",
    taxYear: "2025-26",
    periodStart: null,
    periodEnd: null,
    bodySha256: null,
    status: 204,
    correlationId: null,
    hmrcReference: null,
    ...over,
  };
}

let store: RelayStore;
beforeEach(() => {
  store = openSqliteStore(":memory:");
});
afterEach(() => store.close());

describe("migrations", () => {
  test("are recorded in schema_migrations and not re-applied on reopen", async () => {
    const path = join(tempDir(), "sub", "relay.sqlite");
    await openSqliteStore(path).close();
    await openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    const rows = db.prepare("SELECT version, name FROM schema_migrations").all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
    db.close();
  });

  test("a database from a newer relay is refused", () => {
    const db = new Database(":memory:");
    migrate(db);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', ?)").run(T0);
    expect(() => migrate(db)).toThrow(/schema version 999, newer than this relay knows/);
    db.close();
  });

  test("new migrations apply in order, each once", () => {
    const db = new Database(":memory:");
    const extra = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: "extra", sql: "CREATE TABLE extra (x INTEGER)" }];
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db, extra)).toEqual([MIGRATIONS.length + 1]);
    expect(migrate(db, extra)).toEqual([]);
    db.close();
  });
});

describe("pending auths", () => {
  test("a state is used once, and only before it expires", async () => {
    await store.createPendingAuth(pending("s1"));
    expect((await store.useState("state-s1", T0))?.sid).toBe("s1");
    expect(await store.useState("state-s1", T0)).toBeNull();
    await store.createPendingAuth(pending("s2"));
    expect(await store.useState("state-s2", later(600_000))).toBeNull();
  });

  test("complete then claim once; the claim creates the session in the same step", async () => {
    await store.createPendingAuth(pending("s1"));
    await store.useState("state-s1", T0);
    await store.completePendingAuth("s1", grant("g1"));
    expect(await store.getPendingAuth("s1")).toMatchObject({ status: "ready", grantId: "g1" });
    expect(await store.claimPendingAuth("s1", T0, session("h1", "g1"))).toBe(true);
    expect(await store.claimPendingAuth("s1", T0, session("h2", "g1"))).toBe(false);
    expect(await store.getSession("h1")).toEqual(session("h1", "g1"));
    expect(await store.getSession("h2")).toBeNull();
  });

  test("completing a sid that is not exchanging stores no grant", async () => {
    await store.createPendingAuth(pending("s1"));
    await expect(store.completePendingAuth("s1", grant("g1"))).rejects.toThrow(/no longer waiting/);
    expect(await store.getGrant("g1")).toBeNull();
  });

  test("a failed sid cannot be claimed", async () => {
    await store.createPendingAuth(pending("s1"));
    await store.useState("state-s1", T0);
    await store.markPendingFailed("s1", "access_denied");
    expect(await store.getPendingAuth("s1")).toMatchObject({ status: "failed", failure: "access_denied" });
    expect(await store.claimPendingAuth("s1", T0, session("h1", "g1"))).toBe(false);
  });
});

describe("grants and sessions", () => {
  async function connected(sid: string, g: string, hash: string, expiresAt?: string) {
    await store.createPendingAuth(pending(sid));
    await store.useState(`state-${sid}`, T0);
    await store.completePendingAuth(sid, grant(g));
    await store.claimPendingAuth(sid, T0, session(hash, g, expiresAt));
  }

  test("updating tokens replaces blob and expiry", async () => {
    await connected("s1", "g1", "h1");
    await store.updateGrantTokens("g1", "v1.k.new", later(7200_000), later(1));
    expect(await store.getGrant("g1")).toMatchObject({ tokens: "v1.k.new", accessExpiresAt: later(7200_000), updatedAt: later(1) });
  });

  test("deleting a grant deletes its sessions", async () => {
    await connected("s1", "g1", "h1");
    await store.deleteGrant("g1");
    expect(await store.getGrant("g1")).toBeNull();
    expect(await store.getSession("h1")).toBeNull();
  });

  test("purge removes expired sessions, expired connects and grants nobody can reach", async () => {
    await connected("s1", "g1", "h1", later(1000));
    await connected("s2", "g2", "h2", later(24 * 3600_000));
    // Completed but never claimed:
    await store.createPendingAuth(pending("s3"));
    await store.useState("state-s3", T0);
    await store.completePendingAuth("s3", grant("g3"));

    await store.purgeExpired(later(60_000));
    expect(await store.getSession("h1")).toBeNull();
    expect(await store.getGrant("g3")).not.toBeNull(); // its connect is still live
    await store.purgeExpired(later(3600_000));
    expect(await store.getGrant("g1")).toBeNull();
    expect(await store.getGrant("g3")).toBeNull();
    expect(await store.getPendingAuth("s3")).toBeNull();
    expect(await store.getSession("h2")).not.toBeNull();
    expect(await store.getGrant("g2")).not.toBeNull();
  });
});

describe("receipts", () => {
  test("stored whole, listed newest first with filters and a limit", async () => {
    await store.insertReceipt(receipt("r1", { receivedAt: later(1) }));
    await store.insertReceipt(receipt("r2", { receivedAt: later(2), taxYear: "2026-27" }));
    await store.insertReceipt(receipt("r3", { receivedAt: later(3), nino: "AB123456C" }));
    await store.insertReceipt(receipt("r4", { receivedAt: later(4), userId: "u2" }));
    expect(await store.getReceipt("r1")).toEqual(receipt("r1", { receivedAt: later(1) }));
    const ids = async (q: Parameters<RelayStore["listReceipts"]>[0]) => (await store.listReceipts(q)).map((r) => r.id);
    expect(await ids({ userId: "u1", limit: 10 })).toEqual(["r3", "r2", "r1"]);
    expect(await ids({ userId: "u1", limit: 2 })).toEqual(["r3", "r2"]);
    expect(await ids({ userId: "u1", nino: "AA123456A", limit: 10 })).toEqual(["r2", "r1"]);
    expect(await ids({ userId: "u1", taxYear: "2025-26", limit: 10 })).toEqual(["r3", "r1"]);
    expect(await ids({ userId: "u2", limit: 10 })).toEqual(["r4"]);
  });
});
