import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { unpackedZipSize } from './zip-size';

/** A spreadsheet as rows of cell texts, whatever file it came from. */
export type Table = string[][];

export type TableResult = { ok: true; table: Table } | { ok: false; problem: 'unreadable' | 'formula' | 'tooManyRows' | 'unpacksTooLarge'; cell?: string };

/** What an .xlsx may unpack to: a full 5,000-row export is a few MB; a zip bomb is refused before exceljs opens it. */
export const MAX_XLSX_UNPACKED_BYTES = 32 * 1024 * 1024;

/** Tab-separated when the first lines hold more tabs than commas (Excel's "Unicode Text" export). */
function delimiterOf(text: string): string {
  const head = text.split(/\r?\n/, 10).join('\n');
  const tabs = head.split('\t').length;
  const commas = head.split(',').length;
  return tabs > commas ? '\t' : ',';
}

/** CSV text to rows, by csv-parse (quotes, embedded line breaks and commas as RFC 4180 has them). */
export function readCsvTable(text: string, maxRows: number): TableResult {
  try {
    const rows = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, relax_quotes: false, bom: true, skip_empty_lines: false, to: maxRows + 1 }) as string[][];
    if (rows.length > maxRows) return { ok: false, problem: 'tooManyRows' };
    return { ok: true, table: rows };
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
}

/** A cell's text. Numbers as plain decimals (never exponent notation); dates as yyyy-mm-dd. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Decimal(value).toFixed();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : '';
  return '';
}

/**
 * The first worksheet of an .xlsx, by exceljs. Formula cells are refused, not evaluated and not read from
 * their cached result: a file written by a tool other than Excel may carry no (or a stale) result, and a
 * price must be exactly what the admin sees in QuickBooks. QuickBooks' own exports hold values only.
 */
export async function readXlsxTable(bytes: Uint8Array, maxRows: number): Promise<TableResult> {
  const size = unpackedZipSize(bytes, MAX_XLSX_UNPACKED_BYTES);
  if (!size.ok) return { ok: false, problem: size.problem === 'tooLarge' ? 'unpacksTooLarge' : 'unreadable' };
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: true, table: [] };
  if (sheet.actualRowCount > maxRows) return { ok: false, problem: 'tooManyRows' };
  const table: Table = [];
  let formulaAt: string | null = null;
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      if (cell.type === ExcelJS.ValueType.Formula) formulaAt ??= cell.address;
      cells[column - 1] = cellText(cell);
    });
    table[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  if (formulaAt !== null) return { ok: false, problem: 'formula', cell: formulaAt };
  return { ok: true, table: Array.from(table, (r) => r ?? []) };
}
