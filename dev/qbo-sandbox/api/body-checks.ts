/**
 * Small typed readers for request bodies parsed as `unknown`, raising the QBO faults QBO raises for the
 * same mistakes.
 */
import { faults } from '../faults';
import type { QboObject } from '../contracts';

export function isObject(value: unknown): value is QboObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unknown top-level properties make QBO's deserializer refuse the whole request (2010). */
export function rejectUnknownProperties(entity: string, body: QboObject, known: ReadonlySet<string>): void {
  for (const key of Object.keys(body)) {
    if (!known.has(key)) throw faults.unsupportedProperty(entity, key);
  }
}

export function optionalString(entity: string, body: QboObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw faults.unsupportedProperty(entity, key);
  return value;
}

export function optionalBoolean(entity: string, body: QboObject, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw faults.unsupportedProperty(entity, key);
  return value;
}

/** Numbers may arrive as JSON numbers or numeric strings; anything else is refused. */
export function optionalNumberText(entity: string, body: QboObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim();
  throw faults.unsupportedProperty(entity, key);
}

const REFERENCE_PROPERTIES = new Set(['value', 'name', 'type']);

/** A `{ value, name }` reference; returns its value. */
export function optionalRef(entity: string, body: QboObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw faults.unsupportedProperty(entity, key);
  rejectUnknownProperties('ReferenceType', value, REFERENCE_PROPERTIES);
  const ref = value['value'];
  if (typeof ref !== 'string' || ref.trim() === '') throw faults.requiredMissing(`${key}.value`);
  return ref.trim();
}

export function maxLength(element: string, value: string | undefined, max: number): void {
  if (value !== undefined && value.length > max) throw faults.stringLength(element, max, value.length);
}

const FORBIDDEN_IN_NAMES = /[:\t\n\r]/;

export function noNameSeparators(element: string, value: string | undefined): void {
  if (value !== undefined && FORBIDDEN_IN_NAMES.test(value)) throw faults.invalidCharacter(element);
}

/** QBO ids are positive integers; "1.5" or "abc" is 2030 (400), never a 404. */
export function checkNumericId(id: string): void {
  if (!/^\d+$/.test(id) || /^0+$/.test(id)) throw faults.invalidId(id);
}

export function requireSyncToken(body: QboObject): string {
  const token = body['SyncToken'];
  if (token === undefined || token === null || token === '') throw faults.requiredMissing('SyncToken');
  if (typeof token !== 'string' && typeof token !== 'number') throw faults.unsupportedProperty('SyncToken', 'SyncToken');
  return String(token);
}

export function requireIdField(body: QboObject): string {
  const id = body['Id'];
  if (id === undefined || id === null || id === '') throw faults.requiredMissing('Id');
  if (typeof id !== 'string' && typeof id !== 'number') throw faults.invalidId(String(id));
  checkNumericId(String(id));
  return String(id);
}

/** A calendar date as QBO writes it (YYYY-MM-DD); anything else cannot be deserialized (2010). */
export function optionalDate(entity: string, body: QboObject, key: string): string | undefined {
  const value = optionalString(entity, body, key);
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw faults.unsupportedProperty(entity, key);
  return value;
}
