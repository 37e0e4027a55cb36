/** Obligations 3.0 income and expenditure: derived cumulative quarters, query validation, filters, fulfilment. */
import type { FastifyInstance } from "fastify";
import { call, clockAt, connect, FP, paths, q1Body, sandbox, SE, UKP, type Clock } from "./helpers";

const Q_2025_26 = [
  { periodStartDate: "2025-04-06", periodEndDate: "2025-07-05", dueDate: "2025-08-05", status: "open" },
  { periodStartDate: "2025-04-06", periodEndDate: "2025-10-05", dueDate: "2025-11-05", status: "open" },
  { periodStartDate: "2025-04-06", periodEndDate: "2026-01-05", dueDate: "2026-02-05", status: "open" },
  { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05", dueDate: "2026-05-05", status: "open" },
];
const WHOLE_2025_26 = "fromDate=2025-04-06&toDate=2026-04-05";

describe("sandbox: obligations", () => {
  let clock: Clock;
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    clock = clockAt("2025-07-20T10:00:00Z");
    app = sandbox(clock);
    token = await connect(app);
  });
  afterEach(() => app.close());

  const get = (query: string) => call(app, "GET", paths.obligations(query), { token, version: "3.0" });

  it("derives the four cumulative standard quarters of 2025-26 for each business", async () => {
    const res = await get(WHOLE_2025_26);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      obligations: [
        { typeOfBusiness: "self-employment", businessId: SE, obligationDetails: Q_2025_26 },
        { typeOfBusiness: "uk-property", businessId: UKP, obligationDetails: Q_2025_26 },
        { typeOfBusiness: "foreign-property", businessId: FP, obligationDetails: Q_2025_26 },
      ],
    });
  });

  it("adds each later tax year up to the clock's, due on the 7th from 2026-27", async () => {
    clock.now = new Date("2026-05-01T08:00:00Z");
    token = await connect(app);
    const res = await get(`typeOfBusiness=uk-property&businessId=${UKP}&fromDate=2026-04-01&toDate=2027-03-31`);
    expect(res.json().obligations[0].obligationDetails).toEqual([
      { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05", dueDate: "2026-05-05", status: "open" },
      { periodStartDate: "2026-04-06", periodEndDate: "2026-07-05", dueDate: "2026-08-07", status: "open" },
      { periodStartDate: "2026-04-06", periodEndDate: "2026-10-05", dueDate: "2026-11-07", status: "open" },
      { periodStartDate: "2026-04-06", periodEndDate: "2027-01-05", dueDate: "2027-02-07", status: "open" },
      { periodStartDate: "2026-04-06", periodEndDate: "2027-04-05", dueDate: "2027-05-07", status: "open" },
    ]);
  });

  it("marks a quarter fulfilled, with the day it was received, once a cumulative update reaches its end", async () => {
    expect((await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: q1Body({ income: { periodAmount: 10 } }) })).statusCode).toBe(204);
    const after = await get(`typeOfBusiness=uk-property&businessId=${UKP}&${WHOLE_2025_26}`);
    expect(after.json().obligations).toEqual([
      {
        typeOfBusiness: "uk-property",
        businessId: UKP,
        obligationDetails: [{ ...Q_2025_26[0], status: "fulfilled", receivedDate: "2025-07-20" }, ...Q_2025_26.slice(1)],
      },
    ]);

    // Q2's update restates the year to date: Q1 keeps its first received date, Q2 gets today's.
    clock.now = new Date("2025-10-06T12:00:00Z");
    token = await connect(app);
    await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: q1Body({ income: { periodAmount: 20 } }, "2025-04-06", "2025-10-05") });
    const details = (await get(`typeOfBusiness=uk-property&businessId=${UKP}&${WHOLE_2025_26}`)).json().obligations[0].obligationDetails;
    expect(details.map((d: { status: string; receivedDate?: string }) => [d.status, d.receivedDate])).toEqual([
      ["fulfilled", "2025-07-20"],
      ["fulfilled", "2025-10-06"],
      ["open", undefined],
      ["open", undefined],
    ]);
  });

  it("filters by status", async () => {
    await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body: q1Body({ income: { periodAmount: 10 } }) });
    const fulfilled = await get(`status=fulfilled&${WHOLE_2025_26}`);
    expect(fulfilled.json().obligations).toEqual([
      { typeOfBusiness: "uk-property", businessId: UKP, obligationDetails: [{ ...Q_2025_26[0], status: "fulfilled", receivedDate: "2025-07-20" }] },
    ]);
    const open = (await get("status=open")).json().obligations;
    expect(open.map((o: { businessId: string; obligationDetails: unknown[] }) => [o.businessId, o.obligationDetails.length])).toEqual([
      [SE, 4],
      [UKP, 3],
      [FP, 4],
    ]);
  });

  it("filters by type of business and business", async () => {
    const byType = await get(`typeOfBusiness=foreign-property&${WHOLE_2025_26}`);
    expect(byType.json().obligations.map((o: { businessId: string }) => o.businessId)).toEqual([FP]);
    const byId = await get(`typeOfBusiness=self-employment&businessId=${SE}&${WHOLE_2025_26}`);
    expect(byId.json().obligations.map((o: { businessId: string }) => o.businessId)).toEqual([SE]);
  });

  it("keeps obligations whose period overlaps the dates asked for", async () => {
    const res = await get(`typeOfBusiness=uk-property&fromDate=2025-12-01&toDate=2026-03-01`);
    expect(res.json().obligations[0].obligationDetails.map((d: { periodEndDate: string }) => d.periodEndDate)).toEqual(["2026-01-05", "2026-04-05"]);
  });

  it("looks from today to a year ahead when no dates are given (HMRC's default), unless asking for open ones", async () => {
    clock.now = new Date("2025-11-20T10:00:00Z");
    token = await connect(app);
    const byDefault = await get("typeOfBusiness=uk-property");
    expect(byDefault.json().obligations[0].obligationDetails.map((d: { periodEndDate: string }) => d.periodEndDate)).toEqual(["2026-01-05", "2026-04-05"]);
    const open = await get("typeOfBusiness=uk-property&status=open");
    expect(open.json().obligations[0].obligationDetails).toHaveLength(4);
  });

  it("answers NO_OBLIGATIONS_FOUND when nothing matches", async () => {
    for (const query of [`typeOfBusiness=uk-property&businessId=XPIS99999999999&${WHOLE_2025_26}`, `typeOfBusiness=uk-property&businessId=${SE}&${WHOLE_2025_26}`, "fromDate=2024-04-06&toDate=2025-04-05", `status=fulfilled&${WHOLE_2025_26}`]) {
      const res = await get(query);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: "NO_OBLIGATIONS_FOUND", message: "No obligations found using this filter" });
    }
  });

  it("derives calendar quarters for a business that chose them", async () => {
    await call(app, "DELETE", paths.testBusinessDelete(UKP), { token, version: "1.0" });
    const created = await call(app, "POST", paths.testBusiness(), {
      token,
      version: "1.0",
      body: { typeOfBusiness: "uk-property", quarterlyTypeChoice: { quarterlyPeriodType: "calendar", taxYearOfChoice: "2025-26" } },
    });
    const res = await get(`typeOfBusiness=uk-property&fromDate=2025-04-01&toDate=2026-03-31`);
    expect(res.json().obligations).toEqual([
      {
        typeOfBusiness: "uk-property",
        businessId: created.json().businessId,
        obligationDetails: [
          { periodStartDate: "2025-04-01", periodEndDate: "2025-06-30", dueDate: "2025-08-05", status: "open" },
          { periodStartDate: "2025-04-01", periodEndDate: "2025-09-30", dueDate: "2025-11-05", status: "open" },
          { periodStartDate: "2025-04-01", periodEndDate: "2025-12-31", dueDate: "2026-02-05", status: "open" },
          { periodStartDate: "2025-04-01", periodEndDate: "2026-03-31", dueDate: "2026-05-05", status: "open" },
        ],
      },
    ]);
  });

  describe("query validation (HMRC's codes and order)", () => {
    const one = async (query: string, code: string, message: string) => {
      const res = await get(query);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code, message });
    };

    it.each([
      ["typeOfBusiness=uk-property-fhl", "FORMAT_TYPE_OF_BUSINESS", "The provided typeOfBusiness field is invalid"],
      ["typeOfBusiness=uk-property&businessId=XPIS1", "FORMAT_BUSINESS_ID", "The provided businessId is invalid"],
      ["fromDate=2025-13-01&toDate=2026-01-01", "FORMAT_FROM_DATE", "The provided fromDate is invalid"],
      ["fromDate=2025-04-06&toDate=06-04-2026", "FORMAT_TO_DATE", "The provided toDate is invalid"],
      ["status=closed", "FORMAT_STATUS", "The provided status is invalid"],
      ["toDate=2026-04-05", "MISSING_FROM_DATE", "The From date parameter is missing"],
      ["fromDate=2025-04-06", "MISSING_TO_DATE", "The To date parameter is missing"],
      [`businessId=${UKP}`, "MISSING_TYPE_OF_BUSINESS", "The type of business query parameter must be provided when an incomeSourceId is supplied"],
      ["fromDate=2026-04-05&toDate=2025-04-06", "RANGE_TO_DATE_BEFORE_FROM_DATE", "The To date must be after the From date"],
      ["fromDate=2025-04-06&toDate=2026-04-07", "RULE_DATE_RANGE_INVALID", "The specified date range is invalid"],
      ["fromDate=2025-04-06&toDate=2025-04-06", "RULE_DATE_RANGE_INVALID", "The specified date range is invalid"],
      ["fromDate=2018-04-05&toDate=2018-12-31", "RULE_FROM_DATE_NOT_SUPPORTED", "The specified From date is not supported as too early"],
    ])("%s → %s", (query, code, message) => one(query, code, message));

    it("accepts a range of up to 365 days after the start (HMRC: toDate < fromDate + 366 days)", async () => {
      expect((await get("fromDate=2025-04-06&toDate=2026-04-06")).statusCode).toBe(200);
    });

    it("reports several format errors together", async () => {
      const res = await get("typeOfBusiness=shop&status=closed");
      expect(res.json()).toEqual({
        code: "INVALID_REQUEST",
        message: "Invalid request",
        errors: [
          { code: "FORMAT_TYPE_OF_BUSINESS", message: "The provided typeOfBusiness field is invalid" },
          { code: "FORMAT_STATUS", message: "The provided status is invalid" },
        ],
      });
    });
  });
});
