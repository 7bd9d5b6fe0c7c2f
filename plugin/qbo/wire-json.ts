import Decimal from 'decimal.js';

/**
 * JSON for QuickBooks with money kept exact to the wire: a Decimal is written as a JSON number literal
 * from its own digits (Decimal#toJSON would write a string, and Number() would round through a float).
 */
export function toWireJson(value: unknown): string {
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new Error('cannot send a non-finite amount to QuickBooks');
    return value.toFixed();
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('cannot send a non-finite number to QuickBooks');
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined ? 'null' : toWireJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${toWireJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new Error(`cannot send a ${typeof value} to QuickBooks`);
}
