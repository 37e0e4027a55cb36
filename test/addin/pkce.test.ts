import { createHash } from "node:crypto";
import { base64Url, challengeFor, createVerifier } from "../../src/addin/auth/pkce";

describe("PKCE-like binding", () => {
  it("makes 43-character base64url verifiers from 32 random bytes, different every time", () => {
    const a = createVerifier();
    const b = createVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
  });

  it("derives the challenge the relay checks: base64url(SHA-256(verifier))", async () => {
    const verifier = createVerifier();
    expect(await challengeFor(verifier)).toBe(createHash("sha256").update(verifier).digest("base64url"));
  });

  it("encodes base64url without padding (RFC 4648 §5)", () => {
    expect(base64Url(new Uint8Array([0xfb, 0xff]))).toBe("-_8");
    expect(base64Url(new Uint8Array([]))).toBe("");
  });
});
