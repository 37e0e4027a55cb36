/** SandboxState bookkeeping the routes rely on. */
import { SandboxState } from "../../src/sandbox/state";

const NINO = "AA123456A";
const UKP = "XPIS12345678901";
const SE = "XBIS12345678901";

describe("SandboxState.deleteBusiness", () => {
  it("clears the business's year-end records (BSAS, losses, Losses 7.0 records) and keeps the others'", () => {
    const state = new SandboxState();
    const y = state.yearEnd(NINO);
    const bsas = (businessId: string) => ({
      calculationId: `c-${businessId}`,
      typeOfBusiness: "uk-property" as const,
      businessId,
      taxYear: "2025-26",
      accountingPeriod: { startDate: "2025-04-06", endDate: "2026-04-05" },
      requestedDateTime: "2026-04-20T10:00:00Z",
      snapshot: {},
    });
    y.bsas.push(bsas(UKP), bsas(SE));
    y.broughtForwardLosses.push({ lossId: "L1", businessId: UKP, typeOfLoss: "uk-property", taxYearBroughtForwardFrom: "2024-25", lossAmount: 1, lastModified: "" });
    y.lossClaims.push({ claimId: "C1", businessId: UKP, typeOfLoss: "uk-property", typeOfClaim: "carry-sideways", taxYearClaimedFor: "2025-26", lastModified: "" });
    y.lossesAndClaims.set(`${UKP}/2026-27`, { submittedOn: "", body: {} });
    y.lossesAndClaims.set(`${SE}/2026-27`, { submittedOn: "", body: {} });

    expect(state.deleteBusiness(NINO, UKP)).toBe(true);
    const after = state.yearEnd(NINO);
    expect(after.bsas.map((b) => b.businessId)).toEqual([SE]);
    expect(after.broughtForwardLosses).toEqual([]);
    expect(after.lossClaims).toEqual([]);
    expect([...after.lossesAndClaims.keys()]).toEqual([`${SE}/2026-27`]);
  });
});
