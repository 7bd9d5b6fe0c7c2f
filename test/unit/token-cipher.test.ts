import crypto from 'node:crypto';
import { expect } from 'chai';
import { TokenCipher, TokenDecryptError } from '../../plugin/crypto/token-cipher';

const key = () => crypto.randomBytes(32);

describe('TokenCipher (AES-256-GCM for tokens at rest)', () => {
  const k1 = key();
  const k2 = key();
  const cipher = new TokenCipher({ keys: new Map([['k1', k1]]), currentKeyId: 'k1' });

  it('round-trips a token and never stores it in clear', () => {
    const token = 'AB11700000000secret-refresh-token';
    const stored = cipher.encrypt(token, 'realm-1:refresh');
    expect(stored).not.to.contain(token);
    expect(stored.startsWith('v1:k1:')).to.equal(true);
    expect(cipher.decrypt(stored, 'realm-1:refresh')).to.equal(token);
  });

  it('uses a fresh random 12-byte IV each time', () => {
    const a = cipher.encrypt('same', 'c');
    const b = cipher.encrypt('same', 'c');
    expect(a).not.to.equal(b);
    expect(Buffer.from(a.split(':')[2] ?? '', 'base64url')).to.have.length(12);
  });

  it('detects a tampered ciphertext, tag or IV', () => {
    const stored = cipher.encrypt('token-value', 'c');
    const parts = stored.split(':');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const altered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join(':');
      expect(() => cipher.decrypt(altered, 'c')).to.throw(TokenDecryptError);
    }
  });

  it('refuses a ciphertext moved to another context (row or column)', () => {
    const stored = cipher.encrypt('token-value', 'realm-1:access');
    expect(() => cipher.decrypt(stored, 'realm-2:access')).to.throw(TokenDecryptError);
  });

  it('still reads rows written under an older key after rotation, and writes with the new one', () => {
    const old = new TokenCipher({ keys: new Map([['k1', k1]]), currentKeyId: 'k1' }).encrypt('old-token', 'c');
    const rotated = new TokenCipher({ keys: new Map([['k1', k1], ['k2', k2]]), currentKeyId: 'k2' });
    expect(rotated.decrypt(old, 'c')).to.equal('old-token');
    const fresh = rotated.encrypt('new-token', 'c');
    expect(TokenCipher.keyIdOf(fresh)).to.equal('k2');
    expect(TokenCipher.keyIdOf(old)).to.equal('k1');
  });

  it('says which key is missing without revealing the value', () => {
    const stored = new TokenCipher({ keys: new Map([['gone', key()]]), currentKeyId: 'gone' }).encrypt('tok-123', 'c');
    const err = (() => { try { cipher.decrypt(stored, 'c'); return null; } catch (e) { return e as Error; } })();
    expect(err).to.be.instanceOf(TokenDecryptError);
    expect(err?.message).to.contain('"gone"');
    expect(err?.message).not.to.contain(stored.split(':')[4] ?? 'x');
  });

  it('rejects keys that are not 32 bytes and an unknown current key', () => {
    expect(() => new TokenCipher({ keys: new Map([['k', Buffer.alloc(16)]]), currentKeyId: 'k' })).to.throw(/32 bytes/);
    expect(() => new TokenCipher({ keys: new Map([['k', k1]]), currentKeyId: 'x' })).to.throw(/not configured/);
  });

  it('rejects garbage in a clear error', () => {
    expect(() => cipher.decrypt('plain-token', 'c')).to.throw(TokenDecryptError, /unknown format/);
  });
});
