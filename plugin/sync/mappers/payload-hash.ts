/**
 * A canonical snapshot of a QBO write payload and its hash, so a payload equal to the last one sent is not
 * sent again. Canonical: object keys sorted, undefined dropped, Decimals as plain decimal strings (so 1.50
 * and 1.5 hash the same), dates as ISO strings. Pure: node:crypto hashing only.
 */
import crypto from 'node:crypto';
import Decimal from 'decimal.js';

/** A JSON-safe value: what the engine stores in qbo_mappings.snapshot. */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

export function canonicalSnapshot(value: unknown): CanonicalValue {
  if (Decimal.isDecimal(value)) return new Decimal(value).toFixed();
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('cannot snapshot a non-finite number');
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v: unknown) => (v === undefined ? null : canonicalSnapshot(v)));
  if (typeof value === 'object') {
    const out: { [key: string]: CanonicalValue } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalSnapshot(v);
    }
    return out;
  }
  throw new Error(`cannot snapshot a ${typeof value}`);
}

/** Hex sha256 of the canonical JSON of a payload. */
export function payloadHash(value: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(canonicalSnapshot(value))).digest('hex');
}
