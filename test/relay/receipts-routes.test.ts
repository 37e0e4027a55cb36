import { randomUUID } from "node:crypto";
import type { Receipt, ReceiptsPage } from "../../src/mtd";
import { csvCell, RECEIPT_COLUMNS } from "../../src/relay/receipts";
import { decodeCursor, encodeCursor, EXPORT_PAGE_SIZE } from "../../src/relay/receipts-routes";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";
import { BROWSER_HEADERS, Clock, connect, CUMULATIVE_BODY, CUMULATIVE_PATH, NINO, startFakeHmrc, startRelayFor, type FakeHmrc, type Relay } from "./helpers";
import { receipt } from "./store-suite";

let fake: FakeHmrc;
let relay: Relay;
let store: RelayStore;
let session: string;
let userId: string;

beforeEach(async () => {
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  store = openSqliteStore(":memory:");
  relay = await startRelayFor(fake, { deps: { now: new Clock().now, store } });
  session = (await connect(relay)).sessionToken;
  userId = (JSON.parse((await get("/api/session")).body) as { userId: string }).userId;
});
afterEach(async () => {
  await relay.app.close();
  await fake.app.close();
  await store.close();
});

const get = (path: string, token: string | null = session) => relay.browser.fetch(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const at = (minutes: number) => new Date(Date.parse("2025-08-01T00:00:00.000Z") + minutes * 60_000).toISOString();

/** Stores `n` receipts for the session's user, one a minute from `at(0)`, plus `over` on each. */
async function seed(n: number, over: (i: number) => Partial<Receipt> = () => ({})): Promise<Receipt[]> {
  const made: Receipt[] = [];
  for (let i = 0; i < n; i++) {
    const r = receipt(randomUUID(), { userId, receivedAt: at(i), ...over(i) });
    await store.insertReceipt(r);
    made.push(r);
  }
  return made;
}

const page = async (query: string) => {
  const res = await get(`/api/receipts${query}`);
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as ReceiptsPage;
};

describe("GET /api/receipts", () => {
  test("pages through every receipt of mine, newest first, with an opaque cursor", async () => {
    const mine = await seed(7, (i) => (i === 3 ? { receivedAt: at(2) } : {})); // two share a time
    await store.insertReceipt(receipt(randomUUID(), { userId: "someone-else", receivedAt: at(3) }));
    const expected = (await store.listReceipts({ userId, limit: 100 })).map((r) => r.id);
    expect(new Set(expected)).toEqual(new Set(mine.map((r) => r.id)));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: ReceiptsPage = await page(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...p.receipts.map((r) => r.id));
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    expect((await page("")).receipts[0]!.nino).toBe("AA****56A");
  });

  test("filters by NINO, business, tax year, endpoint and UTC days (inclusive)", async () => {
    const day = 24 * 60;
    const r = await seed(6, (i) => [
      { receivedAt: at(0) },
      { receivedAt: at(day - 1), nino: "AB123456C" },
      { receivedAt: at(day), businessId: "XAIS12345678901" },
      { receivedAt: at(2 * day - 1), taxYear: "2026-27" },
      { receivedAt: at(2 * day), endpointId: "calculations.trigger" },
      { receivedAt: at(3 * day) },
    ][i]!);
    const ids = async (q: string) => (await page(q)).receipts.map((x) => x.id);
    expect(await ids("?nino=AB123456C")).toEqual([r[1]!.id]);
    expect(await ids("?businessId=XAIS12345678901")).toEqual([r[2]!.id]);
    expect(await ids("?taxYear=2026-27")).toEqual([r[3]!.id]);
    expect(await ids("?endpoint=calculations.trigger")).toEqual([r[4]!.id]);
    expect(await ids("?from=2025-08-02&to=2025-08-02")).toEqual([r[3]!.id, r[2]!.id]);
    expect(await ids("?to=2025-08-01")).toEqual([r[1]!.id, r[0]!.id]);
    expect(await ids("?from=2025-08-03&nino=AA123456A")).toEqual([r[5]!.id, r[4]!.id]);
  });

  test("refuses malformed, unknown, repeated or out-of-range parameters, and forged cursors", async () => {
    const forged = Buffer.from(`${at(0)}|' OR 1=1 --`).toString("base64url");
    for (const q of [
      "?limit=0",
      "?limit=501",
      "?limit=1e2",
      "?taxYear=2025",
      "?nino=AA12345",
      "?businessId=nope",
      "?endpoint=no.such.endpoint",
      "?from=2025-13-01",
      "?from=2025-08-02&to=2025-08-01",
      "?cursor=%%%",
      `?cursor=${forged}`,
      "?nino=AA123456A&nino=AA123456A",
      "?sort=asc",
    ]) {
      const res = await get(`/api/receipts${q}`);
      expect([q, res.status, JSON.parse(res.body).code]).toEqual([q, 400, "RELAY_BAD_PARAMETER"]);
    }
    expect((await get("/api/receipts", null)).status).toBe(401);
  });

  test("cursor encoding round-trips and rejects anything else", () => {
    const r = { receivedAt: at(5), id: randomUUID() };
    expect(decodeCursor(encodeCursor(r))).toEqual(r);
    expect(decodeCursor(Buffer.from(`${at(5)}|${r.id}|x`).toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from(`2025-08-01|${r.id}`).toString("base64url"))).toBeNull();
    expect(decodeCursor(["a"])).toBeNull();
  });
});

describe("GET /api/receipts/export", () => {
  /** A strict RFC 4180 reader for the test: quoted cells, doubled quotes, CRLF rows. */
  function parseCsv(text: string): Array<Array<string>> {
    const rows: string[][] = [];
    let row: string[] = [];
    let i = 0;
    while (i < text.length) {
      let cell = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (text[i] === '"' && text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else if (text[i] === '"') break;
          else cell += text[i++];
        }
        i++;
      } else {
        while (i < text.length && text[i] !== "," && text[i] !== "\r") cell += text[i++];
      }
      row.push(cell);
      if (text[i] === ",") i++;
      else if (text.startsWith("\r\n", i)) {
        rows.push(row);
        row = [];
        i += 2;
      }
      else if (i < text.length) throw new Error(`bad CSV at ${i}`);
    }
    return rows;
  }

  test("CSV: a header row, every receipt, quoting and formula-injection protection", async () => {
    const [plain, nasty] = await seed(2, (i) =>
      i === 0
        ? {}
        : { correlationId: '=HYPERLINK("http://evil","click")', hmrcReference: "+1-2", path: '/a,b\r\n"c"', businessId: "@SUM(A1)", periodStart: "-3" },
    );
    const res = await get("/api/receipts/export?format=csv");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="mtd-bridge-receipts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body).not.toContain(NINO);
    const rows = parseCsv(res.body);
    expect(rows[0]).toEqual([...RECEIPT_COLUMNS]);
    expect(rows).toHaveLength(3);
    const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(RECEIPT_COLUMNS.map((c, i) => [c, r[i]]))]));
    expect(byId.get(nasty!.id)).toMatchObject({
      correlationId: `'=HYPERLINK("http://evil","click")`,
      hmrcReference: "'+1-2",
      path: '/a,b\r\n"c"',
      businessId: "'@SUM(A1)",
      periodStart: "'-3",
      nino: "AA****56A",
      status: "204",
      bodySha256: "",
    });
    expect(byId.get(plain!.id)).toMatchObject({ id: plain!.id, endpointId: plain!.endpointId, taxYear: "2025-26", receivedAt: plain!.receivedAt });
  });

  test("csvCell quotes text, neutralises formula starts (= + - @ tab CR), leaves numbers and null plain", () => {
    expect(csvCell("a")).toBe('"a"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(null)).toBe("");
  });

  test("JSON: every matching receipt, beyond one store page, masked, with the filters applied", async () => {
    const n = EXPORT_PAGE_SIZE + 7;
    await seed(n, (i) => (i % 2 === 0 ? { taxYear: "2026-27" } : {}));
    const all = await get("/api/receipts/export?format=json");
    expect(all.headers["content-type"]).toBe("application/json; charset=utf-8");
    const list = JSON.parse(all.body) as Receipt[];
    expect(list).toHaveLength(n);
    expect(new Set(list.map((r) => r.id)).size).toBe(n);
    expect(list[0]!.receivedAt).toBe(at(n - 1));
    expect(list.every((r) => r.nino === "AA****56A" && r.userId === userId)).toBe(true);
    const filtered = JSON.parse((await get("/api/receipts/export?format=json&taxYear=2026-27")).body) as Receipt[];
    expect(filtered).toHaveLength(Math.ceil(n / 2));
    expect(JSON.parse((await get("/api/receipts/export?format=json&nino=AB123456C")).body)).toEqual([]);
  });

  test("includes what the relay recorded for a real write, and refuses a bad format or no session", async () => {
    const put = await relay.browser.fetch(`/api/hmrc${CUMULATIVE_PATH}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${session}`, "content-type": "application/json", ...BROWSER_HEADERS },
      body: CUMULATIVE_BODY,
    });
    expect(put.status).toBe(204);
    const [exported] = JSON.parse((await get("/api/receipts/export?format=json")).body) as Receipt[];
    expect(exported).toMatchObject({ id: put.headers["x-mtd-receipt-id"], status: 204, periodStart: "2025-04-06", periodEnd: "2025-07-05" });
    expect((await get("/api/receipts/export?format=xml")).status).toBe(400);
    expect((await get("/api/receipts/export")).status).toBe(400);
    expect((await get("/api/receipts/export?format=csv&cursor=x")).status).toBe(400);
    expect((await get("/api/receipts/export?format=csv", null)).status).toBe(401);
  });
});
