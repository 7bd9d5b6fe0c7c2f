import Decimal from 'decimal.js';
import { IMPORT_TEXTS } from '../../messages';
import { findHeader, type ColumnMap } from './product-columns';
import type { Table } from './read-table';

/**
 * One product or service read from the file. A field is undefined when the file has no such column, so an
 * import never blanks what it did not carry.
 */
export interface ImportedProduct {
  /** The row number as the admin sees it in a spreadsheet (1-based). */
  row: number;
  name: string;
  description?: string | null | undefined;
  sku?: string | null | undefined;
  kind?: 'service' | 'product' | undefined;
  /** A plain decimal string (at most 7 decimal places), or null for no price. */
  unitPrice?: string | null | undefined;
  taxable?: boolean | undefined;
}

export interface RejectedRow {
  row: number;
  name: string;
  reason: string;
}

export type ProductRowsResult = { ok: true; products: ImportedProduct[]; rejected: RejectedRow[] } | { ok: false; problem: 'noHeader' | 'noRows' };

export const MAX_NAME_LENGTH = 100;
const MAX_DESCRIPTION_LENGTH = 4000;
const MAX_SKU_LENGTH = 100;
const MAX_PRICE_DECIMALS = 7;
// QuickBooks' name rules: no tab, line break, colon or double quotation mark.
const FORBIDDEN_IN_NAME = /[\t\r\n:"]/;
// Something a browser would read as a tag: never a product name.
const MARKUP = /<\s*\/?\s*[a-z!?]/i;
const PRICE = /^(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/;
const FOOTER_TIME = /\b\d{1,2}:\d{2}(:\d{2})?\s*(AM|PM)\b|\bGMT[+-]\d/i;

const SERVICE_TYPES = new Set(['service']);
const PRODUCT_TYPES = new Set(['non-inventory', 'noninventory', 'non inventory', 'inventory', 'product', 'goods']);

type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

function nameProblem(name: string): string | null {
  if (name === '') return IMPORT_TEXTS.reasons.nameMissing;
  if (name.length > MAX_NAME_LENGTH) return IMPORT_TEXTS.reasons.nameTooLong;
  if (FORBIDDEN_IN_NAME.test(name)) return IMPORT_TEXTS.reasons.nameBadCharacter;
  if (name.startsWith('=')) return IMPORT_TEXTS.reasons.nameFormula;
  if (MARKUP.test(name)) return IMPORT_TEXTS.reasons.nameMarkup;
  return null;
}

/** "1,250.5", "$19.9999", "0.1234567": a decimal string, exact (decimal.js, never a float). */
export function parsePrice(text: string): Field<string | null> {
  const cleaned = text.trim().replace(/^\$/, '').trim();
  if (cleaned === '') return { ok: true, value: null };
  if (cleaned.startsWith('-') || (cleaned.startsWith('(') && cleaned.endsWith(')'))) return { ok: false, reason: IMPORT_TEXTS.reasons.negativePrice };
  if (!PRICE.test(cleaned) || cleaned === '.') return { ok: false, reason: IMPORT_TEXTS.reasons.badPrice };
  const value = new Decimal(cleaned.replace(/,/g, ''));
  if (value.decimalPlaces() > MAX_PRICE_DECIMALS) return { ok: false, reason: IMPORT_TEXTS.reasons.tooManyDecimals };
  return { ok: true, value: value.toFixed() };
}

function parseTaxable(text: string): Field<boolean> {
  const value = text.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'taxable', 'tax'].includes(value)) return { ok: true, value: true };
  if (['no', 'n', 'false', '0', 'non-taxable', 'nontaxable', 'non', ''].includes(value)) return { ok: true, value: false };
  return { ok: false, reason: IMPORT_TEXTS.reasons.badTaxable };
}

function parseKind(text: string): Field<'service' | 'product'> {
  const value = text.trim().toLowerCase();
  if (value === '' || SERVICE_TYPES.has(value)) return { ok: true, value: 'service' };
  if (PRODUCT_TYPES.has(value)) return { ok: true, value: 'product' };
  return { ok: false, reason: IMPORT_TEXTS.reasons.notAnItem(text.trim()) };
}

function optionalText(text: string | undefined, max: number, reason: string): Field<string | null | undefined> {
  if (text === undefined) return { ok: true, value: undefined };
  const value = text.trim();
  if (value.length > max) return { ok: false, reason };
  return { ok: true, value: value === '' ? null : value };
}

/** The report's footer ("Tuesday, December 1, 2026 10:30 AM GMT-08:00"): one filled cell holding a time. */
function isFooter(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length === 1 && FOOTER_TIME.test(filled[0] ?? '');
}

function readRow(cells: readonly string[], columns: ColumnMap, row: number): ImportedProduct | RejectedRow {
  const cell = (index: number | undefined): string | undefined => (index === undefined ? undefined : (cells[index] ?? ''));
  const name = (cell(columns.name) ?? '').trim();
  const reject = (reason: string): RejectedRow => ({ row, name, reason });
  const badName = nameProblem(name);
  if (badName) return reject(badName);
  const typeText = cell(columns.type);
  const kind = typeText === undefined ? undefined : parseKind(typeText);
  if (kind && !kind.ok) return reject(kind.reason);
  const priceText = cell(columns.price);
  const price = priceText === undefined ? undefined : parsePrice(priceText);
  if (price && !price.ok) return reject(price.reason);
  const taxableText = cell(columns.taxable);
  const taxable = taxableText === undefined ? undefined : parseTaxable(taxableText);
  if (taxable && !taxable.ok) return reject(taxable.reason);
  const description = optionalText(cell(columns.description), MAX_DESCRIPTION_LENGTH, IMPORT_TEXTS.reasons.descriptionTooLong);
  if (!description.ok) return reject(description.reason);
  const sku = optionalText(cell(columns.sku), MAX_SKU_LENGTH, IMPORT_TEXTS.reasons.skuTooLong);
  if (!sku.ok) return reject(sku.reason);
  return {
    row,
    name,
    ...(description.value === undefined ? {} : { description: description.value }),
    ...(sku.value === undefined ? {} : { sku: sku.value }),
    ...(kind ? { kind: kind.value } : {}),
    ...(price ? { unitPrice: price.value } : {}),
    ...(taxable ? { taxable: taxable.value } : {}),
  };
}

/**
 * The products of an export: rows below the header until the first blank row (the report's footer follows
 * it), each read into a product or rejected with QuickBooks' reason. A name met twice (case aside) is
 * rejected the second time.
 */
export function readProductRows(table: Table): ProductRowsResult {
  const header = findHeader(table);
  if (!header) return { ok: false, problem: 'noHeader' };
  const products: ImportedProduct[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  for (let index = header.row + 1; index < table.length; index += 1) {
    const cells = table[index] ?? [];
    if (cells.every((c) => c.trim() === '') || isFooter(cells)) break;
    const read = readRow(cells, header.columns, index + 1);
    if ('reason' in read) {
      rejected.push(read);
      continue;
    }
    const key = read.name.toLowerCase();
    if (seen.has(key)) {
      rejected.push({ row: read.row, name: read.name, reason: IMPORT_TEXTS.reasons.duplicate });
      continue;
    }
    seen.add(key);
    products.push(read);
  }
  if (products.length === 0 && rejected.length === 0) return { ok: false, problem: 'noRows' };
  return { ok: true, products, rejected };
}
