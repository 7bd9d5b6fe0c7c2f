/**
 * CSV for spreadsheets (RFC 4180 quoting), safe to open in Excel or Sheets: a cell that starts with
 * = + - @ (or a tab or carriage return, which some programs skip before reading one) would be run as a
 * formula, so it gets a leading apostrophe and is read as text (OWASP's advice against CSV injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
