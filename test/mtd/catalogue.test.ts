import oasPaths from "../../src/mtd/generated/oas-paths.json";
import { acceptHeader, buildPath, ENDPOINTS, getEndpoint, matchEndpoint } from "../../src/mtd/catalogue";

const API_FOLDER: Record<string, string> = {
  "business-details": "business-details-api",
  obligations: "obligations-api",
  "self-employment": "self-employment-business-api",
  property: "property-business-api",
  biss: "self-assessment-biss-api",
  bsas: "self-assessment-bsas-api",
  calculations: "individual-calculations-api",
  losses: "individual-losses-api",
};

describe("endpoint catalogue", () => {
  it("lists only operations HMRC publishes, with HMRC's scope", () => {
    for (const e of ENDPOINTS) {
      const op = oasPaths.find(
        (o) => o.api === API_FOLDER[e.api] && o.version === e.version && o.method === e.method && o.path === e.path,
      );
      expect({ id: e.id, found: Boolean(op) }).toEqual({ id: e.id, found: true });
      if (op?.scope) expect({ id: e.id, scope: e.scope }).toEqual({ id: e.id, scope: op.scope });
    }
  });

  it("has unique ids and covers the quarterly journey", () => {
    expect(new Set(ENDPOINTS.map((e) => e.id)).size).toBe(ENDPOINTS.length);
    for (const id of ["business-details.list", "obligations.income-and-expenditure", "property.uk.cumulative.amend", "biss.retrieve"]) {
      expect(getEndpoint(id)).toBeDefined();
    }
  });

  it("matches HMRC paths with valid parameters", () => {
    const m = matchEndpoint("PUT", "/individuals/business/property/uk/AA123456A/XPIS12345678901/cumulative/2025-26");
    expect(m.ok && m.endpoint.id).toBe("property.uk.cumulative.amend");
    expect(m.ok && m.params).toEqual({ nino: "AA123456A", businessId: "XPIS12345678901", taxYear: "2025-26" });
    expect(m.ok && acceptHeader(m.endpoint)).toBe("application/vnd.hmrc.6.0+json");
  });

  it("prefers literal segments over parameters", () => {
    const m = matchEndpoint("GET", "/individuals/business/details/AA123456A/list");
    expect(m.ok && m.endpoint.id).toBe("business-details.list");
  });

  it("refuses what is not in the catalogue, bad parameters and unsupported tax years", () => {
    expect(matchEndpoint("DELETE", "/individuals/business/property/uk/AA123456A/XPIS12345678901/cumulative/2025-26")).toMatchObject({ ok: false, reason: "no-such-endpoint" });
    expect(matchEndpoint("GET", "/individuals/business/details/AA123456A/../../admin")).toMatchObject({ ok: false });
    expect(matchEndpoint("GET", "/individuals/business/details/NOTANINO/list")).toMatchObject({ ok: false, reason: "bad-parameter" });
    expect(matchEndpoint("PUT", "/individuals/business/property/uk/AA123456A/XPIS12345678901/cumulative/2024-25")).toMatchObject({ ok: false, reason: "tax-year-not-supported" });
    expect(matchEndpoint("GET", "/individuals/losses/AA123456A/businesses/XPIS12345678901/loss-claims/2025-26")).toMatchObject({ ok: false, reason: "tax-year-not-supported" });
  });

  it("builds paths and refuses smuggled segments", () => {
    const e = getEndpoint("business-details.retrieve");
    expect(buildPath(e, { nino: "AA123456A", businessId: "XPIS12345678901" })).toBe("/individuals/business/details/AA123456A/XPIS12345678901");
    expect(() => buildPath(e, { nino: "AA123456A/../x", businessId: "XPIS12345678901" })).toThrow(/nino/);
  });
});
