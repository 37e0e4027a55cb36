/** Self Assessment Test Support 1.0: ITSA status, deleting stateful test data, checkpoints. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { MAX_CHECKPOINTS } from "../../src/sandbox/state";
import { call, clockAt, connect, NINO, OTHER_NINO, paths, q1Body, sandbox, UKP, type Response } from "./helpers";

const TS = "/individuals/self-assessment-test-support";
const itsaUrl = (taxYear = "2025-26", nino = NINO) => `${TS}/itsa-status/${nino}/${taxYear}`;
const HMRC_EXAMPLE = (JSON.parse(readFileSync(join(__dirname, "../fixtures/hmrc/requests/test-support.itsa-status.json"), "utf8")) as Array<{ body: unknown }>)[0]!.body;

describe("sandbox: Test Support ITSA status, vendor state and checkpoints", () => {
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    app = sandbox(clockAt("2025-07-20T10:00:00Z"));
    token = await connect(app);
  });
  afterEach(() => app.close());

  const ts = (method: "GET" | "POST" | "DELETE", url: string, body?: unknown, t = token) => call(app, method, url, { token: t, version: "1.0", ...(body !== undefined ? { body } : {}) });
  const status = (s: string, submittedOn = "2025-04-10T09:00:00.000Z", statusReason = "Sign up - return available") => ({ submittedOn, status: s, statusReason });
  const ukPut = (body: unknown) => call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body });
  const ukGet = () => call(app, "GET", paths.ukCumulative(), { token, version: "6.0" });
  const error = (res: Response) => ({ status: res.statusCode, ...res.json() });

  describe("ITSA status", () => {
    it("accepts HMRC's example (204)", async () => {
      const res = await ts("POST", itsaUrl(), HMRC_EXAMPLE);
      expect({ status: res.statusCode, body: res.body }).toEqual({ status: 204, body: "" });
    });

    it("an Annual status makes cumulative updates dateless, removes the quarterly obligations and fixes the quarter basis", async () => {
      expect((await ts("POST", itsaUrl(), { itsaStatusDetails: [status("Annual")] })).statusCode).toBe(204);
      expect(error(await ukPut(q1Body({ income: { periodAmount: 100 } })))).toMatchObject({ status: 400, code: "RULE_START_AND_END_DATE_NOT_ALLOWED" });
      expect((await ukPut({ ukProperty: { income: { periodAmount: 100 } } })).statusCode).toBe(204);
      // 2025-26 is the only year so far: nothing quarterly is owed.
      const obligations = await call(app, "GET", paths.obligations(`typeOfBusiness=uk-property&businessId=${UKP}`), { token, version: "3.0" });
      expect(error(obligations)).toMatchObject({ status: 404, code: "NO_OBLIGATIONS_FOUND" });
      const qrt = await call(app, "PUT", `/individuals/business/details/${NINO}/${UKP}/2025-26`, { token, version: "2.0", body: { quarterlyPeriodType: "calendar" } });
      expect(error(qrt)).toMatchObject({ status: 400, code: "RULE_BUSINESS_ID_STATE_CONFLICT" });
      // Another year keeps the quarterly rules.
      const other = await call(app, "PUT", paths.ukCumulative(UKP, "2026-27"), { token, version: "6.0", body: { ukProperty: { income: { periodAmount: 1 } } } });
      expect(other.json().code).toBe("RULE_MISSING_SUBMISSION_DATES");
    });

    it("the latest submittedOn wins, and a new POST replaces the year's list", async () => {
      await ts("POST", itsaUrl(), { itsaStatusDetails: [status("Annual", "2025-04-10T09:00:00.000Z"), status("MTD Mandated", "2025-05-01T09:00:00.000Z")] });
      expect((await ukPut(q1Body({ income: { periodAmount: 100 } }))).statusCode).toBe(204);
      await ts("POST", itsaUrl(), { itsaStatusDetails: [status("Annual", "2025-06-01T09:00:00.000Z")] });
      expect((await ukPut(q1Body({ income: { periodAmount: 100 } }))).json().code).toBe("RULE_START_AND_END_DATE_NOT_ALLOWED");
    });

    it.each([
      ["a status HMRC does not know", { itsaStatusDetails: [status("Quarterly")] }, { code: "FORMAT_STATUS", message: "The provided status is invalid", paths: ["/itsaStatusDetails/0/status"] }],
      ["a status reason HMRC does not know", { itsaStatusDetails: [status("Annual", undefined, "Because")] }, { code: "FORMAT_STATUS_REASON", paths: ["/itsaStatusDetails/0/statusReason"] }],
      ["negative income", { itsaStatusDetails: [{ ...status("Annual"), businessIncome2YearsPrior: -1 }] }, { code: "FORMAT_BUSINESS_INCOME_2_YEARS_PRIOR", paths: ["/itsaStatusDetails/0/businessIncome2YearsPrior"] }],
      ["a date without time", { itsaStatusDetails: [status("Annual", "2025-04-10")] }, { code: "FORMAT_SUBMITTED_ON", message: "The provided submitted on date is invalid", paths: ["/itsaStatusDetails/0/submittedOn"] }],
      ["the same submittedOn twice", { itsaStatusDetails: [status("Annual"), status("MTD Mandated")] }, { code: "DUPLICATE_SUBMITTED_ON", message: "The provided submittedOn values are not unique" }],
      ["no details", { other: [] }, { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED" }],
      ["a missing status reason", { itsaStatusDetails: [{ submittedOn: "2025-04-10T09:00:00.000Z", status: "Annual" }] }, { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/itsaStatusDetails/0/statusReason"] }],
    ])("%s → HMRC's error", async (_what, body, expected) => {
      const res = await ts("POST", itsaUrl(), body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject(expected);
    });

    it("checks the path: tax year format and range, and whose NINO", async () => {
      expect(error(await ts("POST", itsaUrl("2025"), HMRC_EXAMPLE))).toMatchObject({ status: 400, code: "FORMAT_TAX_YEAR" });
      expect(error(await ts("POST", itsaUrl("2025-27"), HMRC_EXAMPLE))).toMatchObject({ status: 400, code: "RULE_TAX_YEAR_RANGE_INVALID" });
      expect(error(await ts("POST", itsaUrl("2025-26", OTHER_NINO), HMRC_EXAMPLE))).toMatchObject({ status: 403, code: "CLIENT_OR_AGENT_NOT_AUTHORISED" });
    });
  });

  describe("delete stateful test data", () => {
    it("forgets submissions and created businesses, back to HMRC's default businesses", async () => {
      expect((await ukPut(q1Body({ income: { periodAmount: 100 } }))).statusCode).toBe(204);
      expect((await ts("DELETE", paths.testBusinessDelete(UKP))).statusCode).toBe(204);
      expect((await ts("DELETE", `${TS}/vendor-state`)).statusCode).toBe(204);
      expect((await ukGet()).statusCode).toBe(404);
      const list = await call(app, "GET", paths.list(), { token, version: "2.0" });
      expect(list.json().listOfBusinesses.map((b: { businessId: string }) => b.businessId)).toContain(UKP);
    });

    it("takes ?nino= (its own NINO only) and answers 404 when that NINO holds nothing", async () => {
      expect(error(await ts("DELETE", `${TS}/vendor-state?nino=${OTHER_NINO}`))).toMatchObject({ status: 403, code: "CLIENT_OR_AGENT_NOT_AUTHORISED" });
      expect(error(await ts("DELETE", `${TS}/vendor-state?nino=AA12`))).toMatchObject({ status: 400, code: "FORMAT_NINO" });
      await ukPut(q1Body({ income: { periodAmount: 100 } }));
      expect((await ts("DELETE", `${TS}/vendor-state?nino=${NINO}`)).statusCode).toBe(204);
      expect(error(await ts("DELETE", `${TS}/vendor-state?nino=${NINO}`))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
    });
  });

  describe("checkpoints", () => {
    const create = async (): Promise<string> => {
      const res = await ts("POST", `${TS}/vendor-state/checkpoints?nino=${NINO}`);
      expect(res.statusCode).toBe(201);
      return res.json().checkpointId as string;
    };

    it("restores a NINO's state to the checkpoint, as often as asked, and survive deleting the test data", async () => {
      await ukPut(q1Body({ income: { periodAmount: 100 } }));
      const id = await create();
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await ukPut(q1Body({ income: { periodAmount: 999 } }));
      await ts("DELETE", `${TS}/vendor-state`);
      expect((await ukGet()).statusCode).toBe(404);

      const restored = await ts("POST", `${TS}/vendor-state/checkpoints/${id}/restore`);
      expect({ status: restored.statusCode, body: restored.body }).toEqual({ status: 201, body: "" });
      expect((await ukGet()).json().ukProperty).toEqual({ income: { periodAmount: 100 } });
      await ukPut(q1Body({ income: { periodAmount: 5 } }));
      expect((await ts("POST", `${TS}/vendor-state/checkpoints/${id}/restore`)).statusCode).toBe(201);
      expect((await ukGet()).json().ukProperty).toEqual({ income: { periodAmount: 100 } });
    });

    it("lists (optionally by NINO), deletes, and answers HMRC's errors", async () => {
      const id = await create();
      const list = await call(app, "GET", `${TS}/vendor-state/checkpoints`, { token, version: "1.0" });
      expect(list.json()).toEqual({ checkpoints: [{ checkpointId: id, nino: NINO, checkpointCreationTimestamp: "2025-07-20T10:00:00.000Z" }] });
      expect((await ts("GET", `${TS}/vendor-state/checkpoints?nino=${NINO}`)).json().checkpoints).toHaveLength(1);
      expect(error(await ts("GET", `${TS}/vendor-state/checkpoints?nino=AA1`))).toMatchObject({ status: 400, code: "FORMAT_NINO" });
      expect(error(await ts("POST", `${TS}/vendor-state/checkpoints`))).toMatchObject({ status: 400, code: "FORMAT_NINO" });
      expect(error(await ts("POST", `${TS}/vendor-state/checkpoints?nino=${OTHER_NINO}`))).toMatchObject({ status: 403, code: "CLIENT_OR_AGENT_NOT_AUTHORISED" });

      expect((await ts("DELETE", `${TS}/vendor-state/checkpoints/${id}`)).statusCode).toBe(204);
      expect(error(await ts("DELETE", `${TS}/vendor-state/checkpoints/${id}`))).toEqual({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" });
      expect(error(await ts("POST", `${TS}/vendor-state/checkpoints/${id}/restore`))).toMatchObject({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
      expect(error(await ts("DELETE", `${TS}/vendor-state/checkpoints/not-an-id`))).toEqual({ status: 400, code: "FORMAT_CHECKPOINT_ID", message: "The provided checkpoint ID is invalid" });
      expect((await ts("GET", `${TS}/vendor-state/checkpoints`)).json()).toEqual({ checkpoints: [] });
    });

    it(`keeps at most ${MAX_CHECKPOINTS}, dropping the oldest`, async () => {
      const first = await create();
      for (let i = 0; i < MAX_CHECKPOINTS; i++) await create();
      const ids = (await ts("GET", `${TS}/vendor-state/checkpoints`)).json().checkpoints.map((c: { checkpointId: string }) => c.checkpointId);
      expect(ids).toHaveLength(MAX_CHECKPOINTS);
      expect(ids).not.toContain(first);
    });

    it("needs the write scope to create and the read scope to list", async () => {
      const readOnly = await connect(app, NINO, "read:self-assessment");
      expect(error(await ts("POST", `${TS}/vendor-state/checkpoints?nino=${NINO}`, undefined, readOnly))).toMatchObject({ status: 403, code: "INVALID_SCOPE" });
      expect((await ts("GET", `${TS}/vendor-state/checkpoints`, undefined, readOnly)).statusCode).toBe(200);
      expect((await call(app, "GET", `${TS}/vendor-state/checkpoints`, { token, version: "2.0" })).statusCode).toBe(406);
    });
  });
});
