import { Writable } from "node:stream";
import { messageForError } from "../../src/mtd";
import { BROWSER_HEADERS, BUSINESS_ID, Clock, connect, CUMULATIVE_BODY, startFakeHmrc, startRelayFor, TAX_YEAR, type FakeHmrc, type Relay } from "./helpers";

/** An accountant's one connection, used for several clients. */
const CLIENTS = ["AA123456A", "BC654321D", "JT112233C"];
const cumulative = (nino: string) => `/individuals/business/property/uk/${nino}/${BUSINESS_ID}/cumulative/${TAX_YEAR}`;

let fake: FakeHmrc;
let relay: Relay;
let logs: string[];
let session: string;

beforeEach(async () => {
  logs = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  relay = await startRelayFor(fake, { env: { LOG_LEVEL: "info" }, deps: { now: new Clock().now, logStream } });
  session = (await connect(relay)).sessionToken;
  // HMRC: the agent is authorised for the first two clients only.
  fake.answer = (call) =>
    call.url.includes(CLIENTS[2]!) ? { status: 403, body: { code: "CLIENT_OR_AGENT_NOT_AUTHORISED", message: "The client and/or agent is not authorised" } } : undefined;
});
afterEach(async () => {
  await relay.app.close();
  await fake.app.close();
});

const put = (nino: string) =>
  relay.browser.fetch(`/api/hmrc${cumulative(nino)}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${session}`, "content-type": "application/json", ...BROWSER_HEADERS },
    body: CUMULATIVE_BODY,
  });

test("one connection acts for many clients; each receipt and log line says which client, masked", async () => {
  for (const nino of CLIENTS.slice(0, 2)) expect((await put(nino)).status).toBe(204);
  expect(fake.calls.map((c) => c.url)).toEqual(CLIENTS.slice(0, 2).map(cumulative));

  const list = async (query = "") =>
    (JSON.parse((await relay.browser.fetch(`/api/receipts${query}`, { headers: { authorization: `Bearer ${session}` } })).body) as { receipts: Array<{ nino: string }> }).receipts;
  expect((await list()).map((r) => r.nino).sort()).toEqual(["AA****56A", "BC****21D"]);
  expect((await list(`?nino=${CLIENTS[1]}`)).map((r) => r.nino)).toEqual(["BC****21D"]);

  const forwarded = logs.filter((l) => l.includes("forwarded to HMRC")).map((l) => JSON.parse(l) as { client: string });
  expect(forwarded.map((l) => l.client)).toEqual(["AA****56A", "BC****21D"]);
  for (const nino of CLIENTS) expect(logs.join("\n")).not.toContain(nino);
});

test("a client the agent is not authorised for comes back as HMRC's 403 with a plain, agent-aware message", async () => {
  const res = await put(CLIENTS[2]!);
  expect(res.status).toBe(403);
  const body = JSON.parse(res.body) as { code: string; message: string };
  expect(body.code).toBe("CLIENT_OR_AGENT_NOT_AUTHORISED");
  expect(messageForError(body)).toMatch(/not allowed to act for this National Insurance number[\s\S]*agent services account/);
  // The refused attempt is still on record, against the client it was for.
  const receipts = JSON.parse((await relay.browser.fetch("/api/receipts", { headers: { authorization: `Bearer ${session}` } })).body).receipts as Array<{ nino: string; status: number }>;
  expect(receipts).toEqual([expect.objectContaining({ nino: "JT****33C", status: 403 })]);
  // A 403 is HMRC's decision, not a passing fault: not retried.
  expect(fake.calls).toHaveLength(1);
});
