import { isNino, maskNino, maskNinosIn, parseBusinessId, parseNino } from "../../src/mtd/identifiers";

describe("NINO", () => {
  it("normalises what people type", () => {
    expect(parseNino(" aa 12 34 56 a ")).toEqual({ ok: true, value: "AA123456A" });
    expect(parseNino("AA123456")).toEqual({ ok: true, value: "AA123456" });
  });

  it.each(["BG123456A", "GB123456A", "ZZ123456A", "DA123456A", "AA12345A", "AA123456E", "AO123456A", ""])("rejects %p", (n) => {
    expect(parseNino(n).ok).toBe(false);
  });

  it("is strict in paths", () => {
    expect(isNino("AA123456A")).toBe(true);
    expect(isNino("aa123456a")).toBe(false);
  });

  it("is masked in logs", () => {
    expect(maskNino("AA123456A")).toBe("AA****56A");
    expect(maskNinosIn("/individuals/business/details/AA123456A/list")).toBe("/individuals/business/details/AA****56A/list");
  });
});

describe("businessId", () => {
  it("follows HMRC's pattern", () => {
    expect(parseBusinessId("XPIS12345678901").ok).toBe(true);
    expect(parseBusinessId("XPIS1234567890").ok).toBe(false);
    expect(parseBusinessId("xpis12345678901").ok).toBe(false);
  });
});
