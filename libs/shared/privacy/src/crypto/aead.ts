import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** AES-256-GCM as used for both data keys (DEKs) and key wrapping: 96-bit random IV, 128-bit tag. */
export const AEAD_ALG = 'A256GCM' as const;
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export const seal = (key: Buffer, plaintext: Buffer, aad: Buffer): Sealed => {
  if (key.length !== KEY_BYTES) throw new RangeError('AES-256-GCM needs a 32-byte key');
  // A random 96-bit IV per message: a DEK encrypts at most a few thousand fields, far below the
  // 2^32 messages NIST SP 800-38D allows per key with random IVs.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
};

/** Throws (OpenSSL's "Unsupported state or unable to authenticate data") when anything was altered. */
export const open = (key: Buffer, sealed: Sealed, aad: Buffer): Buffer => {
  if (key.length !== KEY_BYTES) throw new RangeError('AES-256-GCM needs a 32-byte key');
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) throw new Error('Malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
};

/** iv ‖ tag ‖ ciphertext, base64: the one-column form of a wrapped key. */
export const packSealed = (s: Sealed): string => Buffer.concat([s.iv, s.tag, s.ciphertext]).toString('base64');

export const unpackSealed = (packed: string): Sealed => {
  const b = Buffer.from(packed, 'base64');
  if (b.length < IV_BYTES + TAG_BYTES) throw new Error('Malformed sealed value');
  return { iv: b.subarray(0, IV_BYTES), tag: b.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), ciphertext: b.subarray(IV_BYTES + TAG_BYTES) };
};
