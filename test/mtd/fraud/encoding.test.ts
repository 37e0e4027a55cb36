import { isPercentEncoded, keyValueList, keyValues, list, parseKeyValueList, parseKeyValues, parseList, percentDecode, percentEncode } from "../../../src/mtd/fraud";

describe("percentEncode (RFC 3986 §2.1)", () => {
  test("keeps only the unreserved characters", () => {
    expect(percentEncode("AZaz09-._~")).toBe("AZaz09-._~");
  });
  test.each([
    [" ", "%20"],
    ["@", "%40"],
    [":", "%3A"],
    ["/", "%2F"],
    ["=", "%3D"],
    ["&", "%26"],
    [",", "%2C"],
    ["%", "%25"],
    ["+", "%2B"],
    ["?", "%3F"],
    ["#", "%23"],
    // encodeURIComponent leaves these five alone; RFC 3986 does not.
    ["!", "%21"],
    ["'", "%27"],
    ["(", "%28"],
    [")", "%29"],
    ["*", "%2A"],
  ])("reserved %p → %p", (raw, encoded) => {
    expect(percentEncode(raw)).toBe(encoded);
  });
  test.each([
    ["é", "%C3%A9"],
    ["£", "%C2%A3"],
    ["Zoë’s", "Zo%C3%AB%E2%80%99s"],
    ["😀", "%F0%9F%98%80"],
  ])("non-ASCII %p → UTF-8 %p", (raw, encoded) => {
    expect(percentEncode(raw)).toBe(encoded);
  });
  test("round-trips through percentDecode", () => {
    const s = "alice@example.co.uk & Zoë (admin)!*'";
    expect(percentDecode(percentEncode(s))).toBe(s);
  });
  test("percentDecode rejects malformed escapes", () => {
    expect(percentDecode("%E0%A4%A")).toBeUndefined();
    expect(percentDecode("%ZZ")).toBeUndefined();
  });
});

describe("keyValues", () => {
  test("encodes keys and values separately, never the separators", () => {
    expect(keyValues([["my app", "alice@example.co.uk"], ["id", "a=b&c"]])).toBe("my%20app=alice%40example.co.uk&id=a%3Db%26c");
  });
  test("keeps an empty value (the spec allows it) and drops an empty key", () => {
    expect(keyValues([["a", ""], ["", "x"], ["b", "1"]])).toBe("a=&b=1");
  });
  test("the spec's User-IDs and Version examples", () => {
    expect(keyValues([["my-application", "alice123"]])).toBe("my-application=alice123");
    expect(keyValues([["my-desktop-app", "2.2.2"], ["my-serverside-code", "v3.8"]])).toBe("my-desktop-app=2.2.2&my-serverside-code=v3.8");
  });
});

describe("list and keyValueList", () => {
  test("list: comma-separated, each value encoded, commas kept, no empty items", () => {
    expect(list(["10.0.0.1", "", "fe80::1", "a,b"])).toBe("10.0.0.1,fe80%3A%3A1,a%2Cb");
    expect(list([])).toBe("");
  });
  test("keyValueList: the spec's Forwarded example with IPv6", () => {
    const v6 = "2001:0db8:85a3:0000:0000:8a2e:0370:7334";
    expect(
      keyValueList([
        [["by", v6], ["for", "198.51.100.0"]],
        [["by", "203.0.113.6"], ["for", v6]],
        [["by", "176.30.57.118"], ["for", "203.0.113.6"]],
      ]),
    ).toBe(
      "by=2001%3A0db8%3A85a3%3A0000%3A0000%3A8a2e%3A0370%3A7334&for=198.51.100.0,by=203.0.113.6&for=2001%3A0db8%3A85a3%3A0000%3A0000%3A8a2e%3A0370%3A7334,by=176.30.57.118&for=203.0.113.6",
    );
  });
  test("keyValueList drops empty structures", () => {
    expect(keyValueList([[], [["a", "1"]], []])).toBe("a=1");
  });
});

describe("parseKeyValues", () => {
  test("decodes a well-formed structure with no problems", () => {
    expect(parseKeyValues("my%20app=alice%40example.co.uk&id=")).toEqual({ pairs: [["my app", "alice@example.co.uk"], ["id", ""]], problems: [] });
  });
  test.each([
    ["1.4.0", "NOT_KEY_VALUE"],
    ["", "NOT_KEY_VALUE"],
    ["=1", "NOT_KEY_VALUE"],
    ["a=1=2", "NOT_KEY_VALUE"],
    ["a=alice@example.com", "NOT_PERCENT_ENCODED"],
    ["a b=1", "NOT_PERCENT_ENCODED"],
    ["a=10:20", "NOT_PERCENT_ENCODED"],
    ["a=caf\u00e9", "NOT_PERCENT_ENCODED"],
    ["a=100%", "NOT_PERCENT_ENCODED"],
    ["a=%E0%A4%A", "NOT_PERCENT_ENCODED"],
    ["a%3D1%26b%3D2", "SEPARATOR_ENCODED"],
    ["a=1%26b%3D2", "SEPARATOR_ENCODED"],
    ["a=1&&b=2", "EMPTY_ITEM"],
    ["a=1&", "EMPTY_ITEM"],
    ["a=1&a=2", "DUPLICATE_KEY"],
  ])("%p has problem %s", (value, problem) => {
    expect(parseKeyValues(value).problems).toContain(problem);
  });
  test("an encoded & inside a value is data, not a separator", () => {
    expect(parseKeyValues("name=Smith%20%26%20Sons").problems).toEqual([]);
  });
});

describe("parseList and parseKeyValueList", () => {
  test("parseList: items kept raw; empty items, raw reserved characters and encoded commas found", () => {
    expect(parseList("a,b%20c")).toEqual({ items: ["a", "b%20c"], problems: [] });
    expect(parseList("a,,b").problems).toEqual(["EMPTY_ITEM"]);
    expect(parseList(",a").problems).toEqual(["EMPTY_ITEM"]);
    expect(parseList("a b").problems).toEqual(["NOT_PERCENT_ENCODED"]);
    expect(parseList("a%2Cb").problems).toEqual(["SEPARATOR_ENCODED"]);
  });
  test("parseKeyValueList: each structure parsed, problems merged", () => {
    const parsed = parseKeyValueList("width=1920&height=1080,width=1280&height=720");
    expect(parsed.items.map((i) => i.pairs)).toEqual([[["width", "1920"], ["height", "1080"]], [["width", "1280"], ["height", "720"]]]);
    expect(parsed.problems).toEqual([]);
    expect(parseKeyValueList("width=1,").problems).toEqual(["EMPTY_ITEM"]);
    expect(parseKeyValueList("by=::1&for=1.2.3.4").problems).toEqual(["NOT_PERCENT_ENCODED"]);
    expect(parseKeyValueList("width=1%2Cwidth=2").problems).toEqual(["SEPARATOR_ENCODED"]);
  });
  test("isPercentEncoded", () => {
    expect(isPercentEncoded("MTD%20Bridge")).toBe(true);
    expect(isPercentEncoded("MTD Bridge")).toBe(false);
    expect(isPercentEncoded("50%")).toBe(false);
  });
});
