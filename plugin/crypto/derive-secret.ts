import crypto from 'node:crypto';

/**
 * A purpose-specific 32-byte secret derived (HKDF-SHA256) from a configured key, so one configured key
 * serves several purposes without any two sharing key material.
 */
export function deriveSecret(base64Key: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', Buffer.from(base64Key, 'base64'), 'qbo-sync-for-work', purpose, 32));
}
