import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'mismatch';

/**
 * Intuit signs the raw body: `intuit-signature` = base64(HMAC-SHA256(raw body, verifier token)). The body must
 * be the exact bytes received (re-serialised JSON would not match). The comparison takes the same time
 * whatever bytes differ, so the signature cannot be guessed byte by byte from response times.
 */
export function checkIntuitSignature(rawBody: Buffer, header: string | undefined, verifierToken: string): SignatureCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  const given = header.trim();
  if (!BASE64.test(given)) return 'malformed';
  const givenBytes = Buffer.from(given, 'base64');
  if (givenBytes.length !== SHA256_BYTES) return 'malformed';
  const expected = createHmac('sha256', verifierToken).update(rawBody).digest();
  return timingSafeEqual(givenBytes, expected) ? 'valid' : 'mismatch';
}
