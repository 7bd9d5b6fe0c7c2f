import crypto from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;
const FORMAT = 'v1';

/** Raised when a stored token cannot be read back. Never carries the ciphertext or the key. */
export class TokenDecryptError extends Error {
  constructor(reason: string) {
    super(`Stored QuickBooks token cannot be decrypted: ${reason}`);
    this.name = 'TokenDecryptError';
  }
}

export interface TokenCipherKeys {
  /** keyId → 32-byte key. */
  keys: ReadonlyMap<string, Buffer>;
  /** The key that encrypts new values; the others only decrypt older rows. */
  currentKeyId: string;
}

/**
 * AES-256-GCM for tokens at rest. The output is `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts) so a
 * row says which key wrote it and keys can rotate. `context` (e.g. realm and column) is bound as associated
 * data: a ciphertext copied into another row or column fails to decrypt instead of being used there.
 */
export class TokenCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentKeyId: string;

  constructor(config: TokenCipherKeys) {
    for (const [id, key] of config.keys) {
      if (key.length !== 32) throw new Error(`Token encryption key "${id}" must be 32 bytes`);
      if (id.includes(':')) throw new Error(`Token encryption key id "${id}" must not contain ":"`);
    }
    if (!config.keys.has(config.currentKeyId)) {
      throw new Error(`Token encryption key "${config.currentKeyId}" is not configured`);
    }
    this.keys = config.keys;
    this.currentKeyId = config.currentKeyId;
  }

  static fromBase64(keys: Readonly<Record<string, string>>, currentKeyId: string): TokenCipher {
    const map = new Map(Object.entries(keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')] as const));
    return new TokenCipher({ keys: map, currentKeyId });
  }

  encrypt(plaintext: string, context: string): string {
    const key = this.keys.get(this.currentKeyId);
    if (!key) throw new Error('Current token encryption key is missing');
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, this.currentKeyId, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join(':');
  }

  decrypt(stored: string, context: string): string {
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new TokenDecryptError('unknown format');
    const [, keyId, ivText, tagText, bodyText] = parts as [string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new TokenDecryptError(`key "${keyId}" is not configured`);
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new TokenDecryptError('malformed value');
    try {
      const decipher = crypto.createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // GCM authentication failed: the value, its context or the key was changed.
      throw new TokenDecryptError('it was altered or belongs elsewhere');
    }
  }

  /** Which key wrote a stored value (for re-encrypting old rows after a rotation). */
  static keyIdOf(stored: string): string | null {
    const parts = stored.split(':');
    return parts.length === 5 && parts[0] === FORMAT ? (parts[1] ?? null) : null;
  }
}
