import Decimal from 'decimal.js';

/**
 * QuickBooks query statements built from parts, never by pasting values:
 * `SELECT * | COUNT(*) FROM Entity [WHERE a AND b] [ORDERBY f ASC|DESC] [MAXRESULTS n] [STARTPOSITION n]`.
 * Strings are single-quoted with `\` escaping `'` and `\`: QBO accepted `'Amy\'s Bird Sanctuary'` and
 * rejected the other spellings in the recordings. For `'Amy\\'s…'` its parser stopped at the `s` after the
 * quote, i.e. it read `\\` as one escaped backslash and the quote as the end of the literal, which is why
 * a backslash in a value is doubled. Identifiers must match a strict pattern.
 */

export type QueryOperator = '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
export type QueryScalar = string | number | boolean | Decimal | Date;
export type SortDirection = 'ASC' | 'DESC';

/** QBO returns at most 1000 rows per query page. */
export const MAX_PAGE_SIZE = 1000;

const ENTITY_NAME = /^[A-Za-z]{1,64}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}(?:\.[A-Za-z][A-Za-z0-9]{0,63}){0,3}$/;
const OPERATORS: ReadonlySet<string> = new Set(['=', '<', '>', '<=', '>=', 'IN', 'LIKE']);

export class UnsafeQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeQueryError';
  }
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The body of a single-quoted QBO string literal. */
export function escapeQueryString(value: string): string {
  // Control characters cannot be escaped in QBO's grammar, and no QBO name may contain them.
  if (hasControlCharacter(value)) throw new UnsafeQueryError('query values may not contain control characters');
  return value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export function queryLiteral(value: QueryScalar): string {
  if (typeof value === 'string') return `'${escapeQueryString(value)}'`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UnsafeQueryError('invalid date in query');
    return `'${value.toISOString()}'`;
  }
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new UnsafeQueryError('non-finite number in query');
    return value.toFixed();
  }
  if (!Number.isFinite(value)) throw new UnsafeQueryError('non-finite number in query');
  return new Decimal(value).toFixed();
}

function checkField(field: string): string {
  if (!FIELD_NAME.test(field)) throw new UnsafeQueryError(`unsafe query field name: ${JSON.stringify(field)}`);
  return field;
}

function checkCount(n: number, what: string, max: number): number {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UnsafeQueryError(`${what} must be an integer from 1 to ${max}`);
  return n;
}

function condition(field: string, operator: QueryOperator, value: QueryScalar | readonly QueryScalar[]): string {
  if (!OPERATORS.has(operator)) throw new UnsafeQueryError(`unsupported query operator: ${JSON.stringify(operator)}`);
  if (operator === 'IN') {
    if (!Array.isArray(value) || value.length === 0) throw new UnsafeQueryError('IN needs a non-empty list');
    return `${checkField(field)} IN (${value.map((v: QueryScalar) => queryLiteral(v)).join(', ')})`;
  }
  if (Array.isArray(value)) throw new UnsafeQueryError(`${operator} takes a single value`);
  const scalar = value as QueryScalar;
  if (operator === 'LIKE' && typeof scalar !== 'string') throw new UnsafeQueryError('LIKE takes a string');
  return `${checkField(field)} ${operator} ${queryLiteral(scalar)}`;
}

/** An immutable query; each method returns a new one. */
export class QboQuery {
  private constructor(
    readonly entity: string,
    private readonly countOnly: boolean,
    private readonly conditions: readonly string[],
    readonly order: { field: string; direction: SortDirection } | null,
    readonly maxResults: number | null,
    readonly startPosition: number | null,
  ) {}

  static select(entity: string): QboQuery {
    return new QboQuery(QboQuery.checkEntity(entity), false, [], null, null, null);
  }

  static count(entity: string): QboQuery {
    return new QboQuery(QboQuery.checkEntity(entity), true, [], null, null, null);
  }

  private static checkEntity(entity: string): string {
    if (!ENTITY_NAME.test(entity)) throw new UnsafeQueryError(`unsafe query entity: ${JSON.stringify(entity)}`);
    return entity;
  }

  /** Adds a condition; several are joined with AND (QBO has no OR). */
  where(field: string, operator: QueryOperator, value: QueryScalar | readonly QueryScalar[]): QboQuery {
    return new QboQuery(this.entity, this.countOnly, [...this.conditions, condition(field, operator, value)], this.order, this.maxResults, this.startPosition);
  }

  orderBy(field: string, direction: SortDirection = 'ASC'): QboQuery {
    if (direction !== 'ASC' && direction !== 'DESC') throw new UnsafeQueryError('sort direction must be ASC or DESC');
    return new QboQuery(this.entity, this.countOnly, this.conditions, { field: checkField(field), direction }, this.maxResults, this.startPosition);
  }

  limit(maxResults: number): QboQuery {
    return new QboQuery(this.entity, this.countOnly, this.conditions, this.order, checkCount(maxResults, 'MAXRESULTS', MAX_PAGE_SIZE), this.startPosition);
  }

  /** 1-based. */
  from(startPosition: number): QboQuery {
    return new QboQuery(this.entity, this.countOnly, this.conditions, this.order, this.maxResults, checkCount(startPosition, 'STARTPOSITION', Number.MAX_SAFE_INTEGER));
  }

  toString(): string {
    const parts = [`SELECT ${this.countOnly ? 'COUNT(*)' : '*'} FROM ${this.entity}`];
    if (this.conditions.length > 0) parts.push(`WHERE ${this.conditions.join(' AND ')}`);
    if (this.order) parts.push(`ORDERBY ${this.order.field} ${this.order.direction}`);
    // The order QBO accepted in the recorded paging calls.
    if (this.maxResults !== null) parts.push(`MAXRESULTS ${this.maxResults}`);
    if (this.startPosition !== null) parts.push(`STARTPOSITION ${this.startPosition}`);
    return parts.join(' ');
  }
}
