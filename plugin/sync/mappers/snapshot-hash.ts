/**
 * A stable hash of a synced-fields snapshot: sha256 of its canonical JSON (keys sorted at every level,
 * no spaces). Two snapshots with the same values hash the same whatever their key order, so the engine can
 * skip a push whose payload equals the last one sent.
 */
import { createHash } from 'node:crypto';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function canonical(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('A snapshot cannot hold a non-finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  throw new TypeError(`A snapshot cannot hold a ${typeof value}`);
}

export function canonicalJson(value: object): string {
  return JSON.stringify(canonical(value));
}

export function snapshotHash(snapshot: object): string {
  return createHash('sha256').update(canonicalJson(snapshot), 'utf8').digest('hex');
}
