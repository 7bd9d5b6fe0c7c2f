import { IMPORT_TEXTS } from '../../messages';
import { decodeText } from './decode-text';
import { readProductRows, type ImportedProduct, type RejectedRow } from './product-rows';
import { MAX_XLSX_UNPACKED_BYTES, readCsvTable, readXlsxTable, type TableResult } from './read-table';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
export const MAX_ROWS = 5000;

export type ProductFileResult = { ok: true; format: 'csv' | 'xlsx'; products: ImportedProduct[]; rejected: RejectedRow[] } | { ok: false; problem: string };

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);

function formatOf(fileName: string, bytes: Uint8Array): 'csv' | 'xlsx' | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  // The content decides, the name must agree: a renamed binary is refused, not parsed as something else.
  if (ext === 'xlsx') return startsWith(bytes, ZIP) ? 'xlsx' : null;
  if (ext === 'csv' || ext === 'txt') return startsWith(bytes, ZIP) ? null : 'csv';
  return null;
}

function tableProblem(result: Extract<TableResult, { ok: false }>, format: 'csv' | 'xlsx'): string {
  if (result.problem === 'formula') return IMPORT_TEXTS.problems.formula(result.cell ?? '?');
  if (result.problem === 'tooManyRows') return IMPORT_TEXTS.problems.tooManyRows(MAX_ROWS);
  if (result.problem === 'unpacksTooLarge') return IMPORT_TEXTS.problems.unpacksTooLarge(MAX_XLSX_UNPACKED_BYTES / (1024 * 1024));
  return format === 'xlsx' ? IMPORT_TEXTS.problems.unreadableXlsx : IMPORT_TEXTS.problems.badEncoding;
}

/**
 * An uploaded QuickBooks products export, read without running anything in it: the format from its content
 * and name, the text's encoding, the table, the header row and every product row. Pure: bytes in, rows or
 * one clear problem out.
 */
export async function readProductFile(fileName: string, bytes: Uint8Array): Promise<ProductFileResult> {
  if (bytes.length === 0) return { ok: false, problem: IMPORT_TEXTS.problems.empty };
  if (bytes.length > MAX_UPLOAD_BYTES) return { ok: false, problem: IMPORT_TEXTS.problems.tooLarge(MAX_UPLOAD_BYTES / (1024 * 1024)) };
  const format = formatOf(fileName, bytes);
  if (!format) return { ok: false, problem: IMPORT_TEXTS.problems.wrongType };
  let table: TableResult;
  if (format === 'xlsx') {
    table = await readXlsxTable(bytes, MAX_ROWS);
  } else {
    const decoded = decodeText(bytes);
    if (!decoded.ok) return { ok: false, problem: IMPORT_TEXTS.problems.badEncoding };
    if (decoded.text.trim() === '') return { ok: false, problem: IMPORT_TEXTS.problems.empty };
    table = readCsvTable(decoded.text, MAX_ROWS);
  }
  if (!table.ok) return { ok: false, problem: tableProblem(table, format) };
  if (table.table.every((row) => row.every((c) => c.trim() === ''))) return { ok: false, problem: IMPORT_TEXTS.problems.empty };
  const rows = readProductRows(table.table);
  if (!rows.ok) return { ok: false, problem: rows.problem === 'noHeader' ? IMPORT_TEXTS.problems.noHeader : IMPORT_TEXTS.problems.noRows };
  return { ok: true, format, products: rows.products, rejected: rows.rejected };
}
