/**
 * Small crypto helpers for the relay: random tokens, SHA-256, constant-time comparison, the PKCE-style
 * challenge, and AES-256-GCM for HMRC tokens at rest.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

export interface EncryptionKey {
  /** Short id written into every blob, so a later key rotation knows which key opens which blob. */
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** URL-safe random token with `bytes` of entropy (32 bytes → 43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** base64url(SHA-256(verifier)): the challenge the task pane sends to /api/auth/start (PKCE S256). */
export function challengeOf(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

/** Compares secrets without leaking where they differ; hashing first makes the lengths equal. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** A stable id for a key that reveals nothing useful about it. */
export function encryptionKeyId(key: Buffer): string {
  return createHash("sha256").update("mtd-bridge-key-id:").update(key).digest("hex").slice(0, 8);
}

const FORMAT = "v1";

export interface TokenCipher {
  /** `aad` binds the blob to its row (e.g. the grant id), so blobs cannot be swapped between rows. */
  encrypt(plaintext: string, aad: string): string;
  /** Throws if the blob was tampered with, was made for another row, or its key is not known. */
  decrypt(blob: string, aad: string): string;
  /** False when the blob was sealed with an older key and should be re-encrypted with the newest. */
  isCurrent(blob: string): boolean;
}

/**
 * AES-256-GCM with a random 96-bit IV per blob: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 * Encrypts with `current`; decrypts with `current` or any of `previous` (for key rotation).
 */
export function createTokenCipher(current: EncryptionKey, previous: readonly EncryptionKey[] = []): TokenCipher {
  const keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  for (const [, k] of keys) if (k.length !== 32) throw new Error("Token encryption keys must be 32 bytes.");
  return {
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current.key, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(aad, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [FORMAT, current.id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
    },
    isCurrent(blob) {
      return blob.startsWith(`${FORMAT}.${current.id}.`);
    },
    decrypt(blob, aad) {
      const [format, keyId, iv, tag, ciphertext, ...rest] = blob.split(".");
      if (format !== FORMAT || !keyId || !iv || !tag || ciphertext === undefined || rest.length > 0) {
        throw new Error("Encrypted token blob is not in a known format.");
      }
      const key = keys.get(keyId);
      if (!key) throw new Error(`Encrypted token blob uses key ${keyId}, which this relay does not have.`);
      const ivBytes = Buffer.from(iv, "base64url");
      const tagBytes = Buffer.from(tag, "base64url");
      // GCM would accept a truncated tag; insist on the full 16 bytes.
      if (ivBytes.length !== 12 || tagBytes.length !== 16) throw new Error("Encrypted token blob is not in a known format.");
      const decipher = createDecipheriv("aes-256-gcm", key, ivBytes, { authTagLength: 16 });
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    },
  };
}
