/**
 * Runs a parsed query over stored objects: filtering, the implicit Active filter of name lists, ordering,
 * paging and the QueryResponse envelope exactly as QBO shapes it (empty result → {}, count → totalCount).
 */
import type { QboObject } from '../contracts';
import { faults } from '../faults';
import { parseQboTime } from '../store/qbo-time';
import type { StoredRecord } from '../store/stored-record';
import Decimal from 'decimal.js';
import { canonicalField, entityInfo } from './entity-catalog';
import type { Condition, Literal, ParsedQuery } from './query-ast';

/** Intuit's documented page limit; larger MAXRESULTS values are capped to it. */
export const MAX_RESULTS_LIMIT = 1000;
/** Unverified default page size when MAXRESULTS is omitted. */
export const DEFAULT_MAX_RESULTS = 100;

export interface ValidatedQuery extends ParsedQuery {
  entityName: NonNullable<ReturnType<typeof entityInfo>>;
}

/** Checks the entity and fields (4001) and gives them their canonical spelling. */
export function validateQuery(parsed: ParsedQuery): ValidatedQuery {
  const info = entityInfo(parsed.entity);
  if (!info) throw faults.queryInvalid(`invalid context declaration: ${parsed.entity}`);
  const field = (name: string): string => {
    const canonical = canonicalField(info, name);
    if (!canonical) throw faults.queryInvalid(`property '${name}' is not queryable for entity ${info.entity}`);
    return canonical;
  };
  return {
    ...parsed,
    entityName: info,
    where: parsed.where.map((c) => ({ ...c, field: field(c.field) })),
    orderBy: parsed.orderBy ? { ...parsed.orderBy, field: field(parsed.orderBy.field) } : undefined,
  };
}

export function runQuery(query: ValidatedQuery, records: StoredRecord[]): Record<string, unknown> {
  const info = query.entityName;
  const filtersActive = query.where.some((c) => c.field === 'Active');
  let rows = records.filter((r) => !r.deleted).map((r) => r.object);
  if (info.nameList && !filtersActive) rows = rows.filter((o) => o['Active'] !== false);
  rows = rows.filter((o) => query.where.every((c) => matches(o, c)));
  if (query.count) return { totalCount: rows.length };
  const order = query.orderBy ?? (info.defaultOrder ? { field: info.defaultOrder, descending: false } : undefined);
  if (order) rows = stableSort(rows, order.field, order.descending);
  const start = Math.max(1, query.startPosition ?? 1);
  const max = Math.min(MAX_RESULTS_LIMIT, query.maxResults ?? DEFAULT_MAX_RESULTS);
  const page = rows.slice(start - 1, start - 1 + max).map((o) => structuredClone(o));
  if (page.length === 0) return {};
  return { [info.entity]: page, startPosition: start, maxResults: page.length };
}

/** The comparable value of a field: Ref objects compare by value, e-mail objects by Address. */
function fieldValue(object: QboObject, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'object' && current !== null) {
    const o = current as Record<string, unknown>;
    if ('value' in o) return o['value'];
    if ('Address' in o) return o['Address'];
  }
  return current;
}

function matches(object: QboObject, condition: Condition): boolean {
  const value = fieldValue(object, condition.field);
  if (value === undefined || value === null) return false;
  switch (condition.operator) {
    case 'IN':
      return condition.values.some((v) => compare(value, v, condition.field) === 0);
    case 'LIKE':
      return likeMatches(String(value), String(condition.values[0]?.value ?? ''));
    default: {
      const literal = condition.values[0];
      if (!literal) return false;
      const c = compare(value, literal, condition.field);
      if (c === null) return false;
      return condition.operator === '=' ? c === 0
        : condition.operator === '<' ? c < 0
        : condition.operator === '>' ? c > 0
        : condition.operator === '<=' ? c <= 0
        : c >= 0;
    }
  }
}

/** -1/0/1, or null when the two cannot be compared. Strings compare case-insensitively, as QBO does. */
function compare(value: unknown, literal: Literal, field: string): number | null {
  if (typeof value === 'boolean') {
    const wanted = literal.kind === 'boolean' ? literal.value : String(literal.value).toLowerCase() === 'true';
    return value === wanted ? 0 : value ? 1 : -1;
  }
  if (typeof value === 'number') {
    const text = String(literal.value);
    if (!/^-?\d+(\.\d+)?$/.test(text.trim())) return null;
    return new Decimal(String(value)).comparedTo(new Decimal(text.trim()));
  }
  const text = String(value);
  const wanted = String(literal.value);
  if (field.startsWith('MetaData.')) {
    const a = parseQboTime(text);
    const b = parseQboTime(wanted);
    if (a === null || b === null) throw faults.queryInvalid(`invalid date-time value '${wanted}' for ${field}`);
    return Math.sign(a - b);
  }
  if (field === 'Id' && /^\d+$/.test(text) && /^\d+$/.test(wanted)) return Math.sign(Number(text) - Number(wanted));
  const a = text.toLowerCase();
  const b = wanted.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeMatches(value: string, pattern: string): boolean {
  const regex = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`, 'is').test(value);
}

/** Ordinal order (uppercase before lowercase), missing values first; Ids and numbers numerically. */
function stableSort(rows: QboObject[], field: string, descending: boolean): QboObject[] {
  const keyed = rows.map((row, index) => ({ row, index, key: fieldValue(row, field) }));
  keyed.sort((x, y) => {
    const c = orderCompare(x.key, y.key, field);
    return (descending ? -c : c) || x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

function orderCompare(a: unknown, b: unknown, field: string): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  if (field === 'Id' && /^\d+$/.test(sa) && /^\d+$/.test(sb)) return Number(sa) - Number(sb);
  if (field.startsWith('MetaData.')) return Math.sign((parseQboTime(sa) ?? 0) - (parseQboTime(sb) ?? 0));
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
