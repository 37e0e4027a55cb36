import { versionAtMost } from "../../src/workbench/requirement-sets";

describe("requirement-set versions", () => {
  it.each([
    ["1.7", "1.17", true], // not decimals: 17 > 7
    ["1.17", "1.7", false],
    ["1.7", "1.7", true],
    ["1.1", "1.17", true],
    ["2.0", "1.17", false],
    ["1", "1.2", true],
    ["x", "1.17", false],
  ])("%s within %s: %s", (wanted, available, ok) => {
    expect(versionAtMost(wanted, available)).toBe(ok);
  });
});
