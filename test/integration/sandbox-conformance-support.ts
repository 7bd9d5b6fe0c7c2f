/**
 * Support for the conformance test: finding and reading the recordings, and comparing response shapes
 * (keys and value types, recursively; arrays element by element) while ignoring values like ids and times.
 */
import fs from 'node:fs';
import path from 'node:path';
import { recordingsDir } from '../support/recordings';

export interface Recording {
  file: string;
  topic: string;
  recordedAt: string | null;
  request: {
    method: string;
    path: string;
    rawQuery: string | null;
    headers: Record<string, string>;
    body: unknown;
  };
  response: { status: number; headers: Record<string, string>; body: unknown };
  faultCodes?: string[];
}

/** The recordings inside the repository (test/fixtures/qbo-recordings). */
export function findRecordingsDir(): string {
  return recordingsDir();
}

export function loadRecordings(dir: string): Recording[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ ...(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Omit<Recording, 'file'>), file }));
}

/** Keys whose values the comparison checks too, because the sandbox's state makes them predictable. */
const VALUE_KEYS = new Set(['SyncToken', 'Active', 'status', 'totalCount', 'startPosition', 'maxResults', 'DisplayName', 'TotalAmt', 'PrivateNote', 'code', 'type', 'Message']);

/**
 * Differences between a recorded body and the sandbox's body, as readable lines. `allowedMissing` lists
 * key paths (array indices written as []) the recording has but the sandbox does not model.
 */
export function shapeDifferences(recorded: unknown, actual: unknown, allowedMissing: ReadonlySet<string>, at = ''): string[] {
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual)) return [`${at}: recorded an array, got ${typeName(actual)}`];
    if (recorded.length !== actual.length) return [`${at}: recorded ${recorded.length} elements, got ${actual.length}`];
    return recorded.flatMap((r, i) => shapeDifferences(r, actual[i], allowedMissing, `${at}[]`));
  }
  if (typeof recorded === 'object' && recorded !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return [`${at}: recorded an object, got ${typeName(actual)}`];
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const out: string[] = [];
    for (const key of Object.keys(r)) {
      const keyPath = at === '' ? key : `${at}.${key}`;
      if (!(key in a)) {
        if (!allowedMissing.has(keyPath)) out.push(`${keyPath}: missing in the sandbox's answer`);
        continue;
      }
      out.push(...shapeDifferences(r[key], a[key], allowedMissing, keyPath));
      if (VALUE_KEYS.has(key) && isScalar(r[key]) && r[key] !== a[key]) out.push(`${keyPath}: recorded ${JSON.stringify(r[key])}, got ${JSON.stringify(a[key])}`);
    }
    for (const key of Object.keys(a)) if (!(key in r)) out.push(`${at === '' ? key : `${at}.${key}`}: not in the recording`);
    return out;
  }
  if (typeName(recorded) !== typeName(actual)) return [`${at}: recorded ${typeName(recorded)}, got ${typeName(actual)}`];
  return [];
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
