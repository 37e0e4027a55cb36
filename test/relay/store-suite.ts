/**
 * The RelayStore contract, run against every implementation (store.test.ts: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set). `open` gives a fresh, empty, migrated store; `dump` returns everything the
 * store has persisted (file bytes, table contents) as text, to scan for secrets.
 */
import type { Receipt } from "../../src/mtd";
import type { Grant, RelayStore, Session } from "../../src/relay/store";

export interface StoreUnderTest {
  store: RelayStore;
  /** Everything persisted so far, as text. */
  dump(): Promise<string>;
  /** A second store on the same data (another relay instance), or undefined if the backend has none. */
  another?(): Promise<RelayStore>;
  dispose(): Promise<void>;
}

export const T0 = "2025-08-01T10:00:00.000Z";
export const later = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

export const grant = (id: string, over: Partial<Grant> = {}): Grant => ({
  id,
  userId: `user-${id}`,
  tokens: "v1.k.iv.tag.ct",
  accessExpiresAt: later(3600_000),
  scope: "s",
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const session = (hash: string, grantId: string, expiresAt = later(3600_000), userId = `user-${grantId}`): Session => ({
  tokenHash: hash,
  grantId,
  userId,
  createdAt: T0,
  expiresAt,
});
const pending = (sid: string) => ({ sid, state: `state-${sid}`, challenge: "c", createdAt: T0, expiresAt: later(600_000) });

export function receipt(id: string, over: Partial<Receipt> = {}): Receipt {
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

export function storeContract(open: () => Promise<StoreUnderTest>): void {
  let sut: StoreUnderTest;
  let store: RelayStore;
  beforeEach(async () => {
    sut = await open();
    store = sut.store;
  });
  afterEach(async () => {
    await sut.dispose();
  });

  async function ready(sid: string, g: Grant) {
    await store.createPendingAuth(pending(sid));
    await store.useState(`state-${sid}`, T0);
    await store.completePendingAuth(sid, g);
  }
  async function connected(sid: string, g: string, hash: string, expiresAt?: string) {
    await ready(sid, grant(g));
    await store.claimPendingAuth(sid, T0, session(hash, g, expiresAt));
  }

  describe("pending auths", () => {
    test("a state is used once, and only before it expires", async () => {
      await store.createPendingAuth(pending("s1"));
      expect((await store.useState("state-s1", T0))?.sid).toBe("s1");
      expect(await store.useState("state-s1", T0)).toBeNull();
      await store.createPendingAuth(pending("s2"));
      expect(await store.useState("state-s2", later(600_000))).toBeNull();
    });

    test("a state used by two callers at once goes to exactly one", async () => {
      await store.createPendingAuth(pending("s1"));
      const results = await Promise.all(Array.from({ length: 10 }, () => store.useState("state-s1", T0)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    test("complete then claim once; the claim creates the session in the same step", async () => {
      await ready("s1", grant("g1"));
      expect(await store.getPendingAuth("s1")).toEqual({ ...pending("s1"), status: "ready", grantId: "g1", failure: null });
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

    test("a failed sid cannot be claimed; an expired ready one neither", async () => {
      await store.createPendingAuth(pending("s1"));
      await store.useState("state-s1", T0);
      await store.markPendingFailed("s1", "access_denied");
      expect(await store.getPendingAuth("s1")).toMatchObject({ status: "failed", failure: "access_denied" });
      expect(await store.claimPendingAuth("s1", T0, session("h1", "g1"))).toBe(false);
      await ready("s2", grant("g2"));
      expect(await store.claimPendingAuth("s2", later(600_000), session("h2", "g2"))).toBe(false);
      expect(await store.getSession("h2")).toBeNull();
    });
  });

  describe("grants and sessions", () => {
    test("a grant reads back exactly as stored", async () => {
      await ready("s1", grant("g1"));
      expect(await store.getGrant("g1")).toEqual(grant("g1"));
      expect(await store.getGrant("nope")).toBeNull();
    });

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

    test("a session is renewed at most once, and only while live and on its own grant", async () => {
      await connected("s1", "g1", "h1", later(1000));
      expect(await store.replaceSession("h1", T0, session("h2", "g2"))).toBe(false);
      const renewals = await Promise.all([store.replaceSession("h1", T0, session("h2", "g1")), store.replaceSession("h1", T0, session("h3", "g1"))]);
      expect([...renewals].sort()).toEqual([false, true]);
      expect(await store.getSession("h1")).toBeNull();
      const winner = renewals[0] ? "h2" : "h3";
      expect(await store.getSession(winner)).toEqual(session(winner, "g1"));
      expect(await store.replaceSession(winner, later(3600_000), session("h4", "g1"))).toBe(false);
    });

    test("claiming for a user gives the grant to that user and drops the user's older grants", async () => {
      await ready("s1", grant("g1"));
      expect(await store.claimPendingAuthForUser("s1", T0, "entra:alice")).toBe("g1");
      expect(await store.claimPendingAuthForUser("s1", T0, "entra:alice")).toBeNull();
      await ready("s2", grant("g2", { createdAt: later(1) }));
      expect(await store.claimPendingAuthForUser("s2", T0, "entra:alice")).toBe("g2");
      expect(await store.getGrant("g1")).toBeNull();
      expect(await store.findUserGrant("entra:alice")).toMatchObject({ id: "g2", userId: "entra:alice" });
      expect(await store.findUserGrant("entra:bob")).toBeNull();
      // A grant held for an Entra user has no session but is not an orphan.
      await store.purgeExpired(later(3600_000));
      expect(await store.getGrant("g2")).not.toBeNull();
    });

    test("purge removes expired sessions, expired connects and grants nobody can reach", async () => {
      await connected("s1", "g1", "h1", later(1000));
      await connected("s2", "g2", "h2", later(24 * 3600_000));
      await ready("s3", grant("g3")); // completed but never claimed

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

  describe("withGrantLocked", () => {
    test("applies the change the work returns, and hands the work the grant as locked", async () => {
      await connected("s1", "g1", "h1");
      const seen = await store.withGrantLocked("g1", async (g) => ({
        change: { kind: "tokens", tokens: "v1.k.rotated", accessExpiresAt: later(9000), updatedAt: later(5) },
        result: g?.tokens,
      }));
      expect(seen).toBe("v1.k.iv.tag.ct");
      expect(await store.getGrant("g1")).toMatchObject({ tokens: "v1.k.rotated", accessExpiresAt: later(9000), updatedAt: later(5) });
      expect(await store.withGrantLocked("g1", async () => ({ change: { kind: "delete" }, result: 1 }))).toBe(1);
      expect(await store.getGrant("g1")).toBeNull();
      expect(await store.getSession("h1")).toBeNull();
      expect(await store.withGrantLocked("g1", async (g) => ({ change: { kind: "keep" }, result: g }))).toBeNull();
    });

    test("runs one holder at a time per grant; each sees the previous holder's change", async () => {
      await connected("s1", "g1", "h1");
      let inside = 0;
      let most = 0;
      const bump = (n: number) =>
        store.withGrantLocked("g1", async (g) => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 5));
          inside -= 1;
          const count = Number(g!.tokens.split(".").pop()) || 0;
          return { change: { kind: "tokens", tokens: `v1.k.${count + 1}`, accessExpiresAt: later(n), updatedAt: later(n) }, result: count };
        });
      const seen = await Promise.all(Array.from({ length: 8 }, (_, i) => bump(i)));
      expect(most).toBe(1);
      expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect((await store.getGrant("g1"))!.tokens).toBe("v1.k.8");
    });

    test("work that throws changes nothing and releases the lock", async () => {
      await connected("s1", "g1", "h1");
      await expect(store.withGrantLocked("g1", async () => Promise.reject(new Error("HMRC exploded")))).rejects.toThrow("HMRC exploded");
      expect((await store.getGrant("g1"))!.tokens).toBe("v1.k.iv.tag.ct");
      expect(await store.withGrantLocked("g1", async () => ({ change: { kind: "keep" }, result: "again" }))).toBe("again");
    });

    test("holds across store instances on the same data", async () => {
      const other = await sut.another?.();
      if (!other) return; // SQLite serves one process: nothing to share.
      try {
        await connected("s1", "g1", "h1");
        const order: string[] = [];
        let entered!: () => void;
        const firstInside = new Promise<void>((r) => (entered = r));
        const first = store.withGrantLocked("g1", async () => {
          entered();
          order.push("first in");
          await new Promise((r) => setTimeout(r, 50));
          order.push("first out");
          return { change: { kind: "tokens", tokens: "v1.k.first", accessExpiresAt: later(1), updatedAt: later(1) }, result: null };
        });
        await firstInside;
        const second = other.withGrantLocked("g1", async (g) => {
          order.push(`second saw ${g!.tokens}`);
          return { change: { kind: "keep" }, result: null };
        });
        await Promise.all([first, second]);
        expect(order).toEqual(["first in", "first out", "second saw v1.k.first"]);
      } finally {
        await other.close();
      }
    });
  });

  describe("receipts", () => {
    const ids = async (q: Parameters<RelayStore["listReceipts"]>[0]) => (await store.listReceipts(q)).map((r) => r.id);

    test("stored whole and read back exactly", async () => {
      const full = receipt("r1", {
        receivedAt: later(1),
        businessId: "XAIS12345678901",
        periodStart: "2025-04-06",
        periodEnd: "2025-07-05",
        bodySha256: "a".repeat(64),
        correlationId: "corr-1",
        hmrcReference: "sub-1",
      });
      await store.insertReceipt(full);
      expect(await store.getReceipt("r1")).toEqual(full);
      expect(await store.getReceipt("r2")).toBeNull();
      // A receipt is never overwritten. (Outcome, not error class: better-sqlite3 makes its errors in the jest
      // context that loaded it first, so they can fail an instanceof Error check here.)
      const again = await store.insertReceipt({ ...full, status: 500 }).then(() => "stored", () => "refused");
      expect(again).toBe("refused");
      expect(await store.getReceipt("r1")).toEqual(full);
    });

    test("listed newest first, by user, with every filter", async () => {
      await store.insertReceipt(receipt("r1", { receivedAt: later(1) }));
      await store.insertReceipt(receipt("r2", { receivedAt: later(2), taxYear: "2026-27" }));
      await store.insertReceipt(receipt("r3", { receivedAt: later(3), nino: "AB123456C", businessId: "XAIS00000000001" }));
      await store.insertReceipt(receipt("r4", { receivedAt: later(4), userId: "u2" }));
      await store.insertReceipt(receipt("r5", { receivedAt: later(86_400_000), endpointId: "calculations.trigger" }));
      expect(await ids({ userId: "u1", limit: 10 })).toEqual(["r5", "r3", "r2", "r1"]);
      expect(await ids({ userId: "u1", limit: 2 })).toEqual(["r5", "r3"]);
      expect(await ids({ userId: "u1", nino: "AA123456A", limit: 10 })).toEqual(["r5", "r2", "r1"]);
      expect(await ids({ userId: "u1", taxYear: "2025-26", limit: 10 })).toEqual(["r5", "r3", "r1"]);
      expect(await ids({ userId: "u1", businessId: "XAIS00000000001", limit: 10 })).toEqual(["r3"]);
      expect(await ids({ userId: "u1", endpointId: "calculations.trigger", limit: 10 })).toEqual(["r5"]);
      expect(await ids({ userId: "u1", from: later(2), limit: 10 })).toEqual(["r5", "r3", "r2"]);
      expect(await ids({ userId: "u1", before: later(3), limit: 10 })).toEqual(["r2", "r1"]);
      expect(await ids({ userId: "u1", from: later(2), before: later(3), limit: 10 })).toEqual(["r2"]);
      expect(await ids({ userId: "u2", limit: 10 })).toEqual(["r4"]);
      expect(await ids({ userId: "u3", limit: 10 })).toEqual([]);
    });

    test("pages by cursor without skipping or repeating, also among equal times", async () => {
      const all = ["a1", "a2", "b1", "b2", "b3", "c1", "d1"];
      for (const id of all) await store.insertReceipt(receipt(id, { receivedAt: later(id.startsWith("b") ? 2 : id.charCodeAt(0)) }));
      const expected = [...(await store.listReceipts({ userId: "u1", limit: 100 }))].map((r) => r.id);
      expect(expected).toEqual(["d1", "c1", "a2", "a1", "b3", "b2", "b1"]);
      const seen: string[] = [];
      let after: { receivedAt: string; id: string } | undefined;
      for (;;) {
        const page = await store.listReceipts({ userId: "u1", limit: 2, ...(after ? { after } : {}) });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.id));
        const last = page[page.length - 1]!;
        after = { receivedAt: last.receivedAt, id: last.id };
      }
      expect(seen).toEqual(expected);
    });
  });

  test("ping answers while open and fails once closed; sessions can be deleted singly", async () => {
    await connected("s1", "g1", "h1");
    await store.deleteSession("h1");
    expect(await store.getSession("h1")).toBeNull();
    expect(await store.getGrant("g1")).not.toBeNull();
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    expect(await store.ping().then(() => "answered", () => "failed")).toBe("failed");
  });

    test("a dump of the store holds what was written (the dump sees real data)", async () => {
    await ready("s1", grant("g1", { tokens: "v1.k.marker-visible-in-dump" }));
    await store.insertReceipt(receipt("r1", { correlationId: "corr-marker-in-dump" }));
    const dump = await sut.dump();
    expect(dump).toContain("marker-visible-in-dump");
    expect(dump).toContain("corr-marker-in-dump");
  });
}
