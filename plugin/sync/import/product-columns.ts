import type { Table } from './read-table';

/** The columns the import reads, by their names in QuickBooks' two exports and the usual variants. */
export const COLUMN_ALIASES = {
  name: ['product/service name', 'product/service', 'product/service full name', 'name', 'item name', 'product name', 'item'],
  description: ['sales description', 'description', 'memo/description'],
  sku: ['sku'],
  type: ['type', 'item type', 'product/service type'],
  price: ['sales price/rate', 'sales price', 'price/rate', 'price', 'rate', 'unit price'],
  taxable: ['taxable', 'sales tax', 'is taxable'],
  incomeAccount: ['income account'],
} as const;

export type ColumnKey = keyof typeof COLUMN_ALIASES;
export type ColumnMap = Partial<Record<ColumnKey, number>>;

/** Case, surrounding and doubled spaces, and spaces around "/" do not matter ("Sales Price / Rate"). */
export function normalizeHeading(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*\/\s*/g, '/');
}

const HEADER_SEARCH_ROWS = 30;

function columnsOf(row: readonly string[]): ColumnMap {
  const map: ColumnMap = {};
  row.forEach((cell, index) => {
    const heading = normalizeHeading(cell);
    for (const [key, aliases] of Object.entries(COLUMN_ALIASES) as [ColumnKey, readonly string[]][]) {
      if (map[key] === undefined && aliases.includes(heading)) map[key] = index;
    }
  });
  return map;
}

/**
 * The header row: the first of the top rows naming a product column and at least one other known column
 * (title lines such as "Product/Service List" and the company name sit above it in the report export).
 */
export function findHeader(table: Table): { row: number; columns: ColumnMap } | null {
  for (let row = 0; row < Math.min(table.length, HEADER_SEARCH_ROWS); row += 1) {
    const columns = columnsOf(table[row] ?? []);
    const others = (['description', 'sku', 'type', 'price'] as const).filter((key) => columns[key] !== undefined);
    if (columns.name !== undefined && others.length > 0) return { row, columns };
  }
  return null;
}
