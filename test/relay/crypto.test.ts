import { randomBytes } from "node:crypto";
import { challengeOf, createTokenCipher, encryptionKeyId, randomToken, safeEqual, sha256Hex, type EncryptionKey } from "../../src/relay/crypto";

const key = (): EncryptionKey => {
  const k = randomBytes(32);
  return { id: encryptionKeyId(k), key: k };
};

describe("token cipher (AES-256-GCM)", () => {
  test("round-trips, with a fresh IV each time and the key id in the blob", () => {
    const k = key();
    const cipher = createTokenCipher(k);
    const a = cipher.encrypt("hmrc-access-token", "grant:1");
    const b = cipher.encrypt("hmrc-access-token", "grant:1");
    expect(a).not.toBe(b);
    expect(a.startsWith(`v1.${k.id}.`)).toBe(true);
    expect(a).not.toContain("hmrc-access-token");
    expect(Buffer.from(a.split(".")[2]!, "base64url")).toHaveLength(12);
    expect(cipher.decrypt(a, "grant:1")).toBe("hmrc-access-token");
  });

  test("refuses a tampered blob, a blob for another row, an unknown key and a truncated tag", () => {
    const cipher = createTokenCipher(key());
    const blob = cipher.encrypt("secret", "grant:1");
    const parts = blob.split(".");
    const flipped = Buffer.from(parts[4]!, "base64url");
    flipped[0]! ^= 1;
    expect(() => cipher.decrypt([...parts.slice(0, 4), flipped.toString("base64url")].join("."), "grant:1")).toThrow();
    expect(() => cipher.decrypt(blob, "grant:2")).toThrow();
    expect(() => createTokenCipher(key()).decrypt(blob, "grant:1")).toThrow(/key .* which this relay does not have/);
    const shortTag = [...parts.slice(0, 3), Buffer.from(parts[3]!, "base64url").subarray(0, 4).toString("base64url"), parts[4]].join(".");
    expect(() => cipher.decrypt(shortTag, "grant:1")).toThrow(/not in a known format/);
    expect(() => cipher.decrypt("plain-text", "grant:1")).toThrow(/not in a known format/);
  });

  test("an old key still opens old blobs after rotation", () => {
    const old = key();
    const blob = createTokenCipher(old).encrypt("secret", "g");
    const rotated = createTokenCipher(key(), [old]);
    expect(rotated.decrypt(blob, "g")).toBe("secret");
    expect(rotated.encrypt("secret", "g").split(".")[1]).not.toBe(old.id);
  });

  test("refuses keys that are not 32 bytes", () => {
    expect(() => createTokenCipher({ id: "x", key: randomBytes(16) })).toThrow(/32 bytes/);
  });
});

describe("helpers", () => {
  test("challengeOf is PKCE S256 (RFC 7636 appendix B)", () => {
    expect(challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  test("safeEqual compares exactly", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });

  test("randomToken and sha256Hex", () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(randomToken());
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("key rotation helpers", () => {
  test("isCurrent tells blobs sealed with the newest key from older ones", () => {
    const old = key();
    const fresh = key();
    const oldBlob = createTokenCipher(old).encrypt("secret", "g");
    const rotated = createTokenCipher(fresh, [old]);
    expect(rotated.isCurrent(oldBlob)).toBe(false);
    expect(rotated.isCurrent(rotated.encrypt("secret", "g"))).toBe(true);
    expect(rotated.isCurrent("garbage")).toBe(false);
  });
});
