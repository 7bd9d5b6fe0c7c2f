import { z } from 'zod';
import type { InvoiceInput, InvoiceLineInput, StandinInvoice } from '../../models/invoice-model';
import { messages } from '../messages';
import { checkbox, decimalText, optionalDate, optionalId, optionalText, requiredDate, requiredId, requiredText } from './fields';
import { enteredText, parseForm, type FormResult } from './form-result';

export const INVOICE_FIELD_NAMES = ['clientId', 'siteId', 'number', 'issueDate', 'dueDate', 'taxRate', 'notes'] as const;
const LINE_FIELD_NAMES = ['itemId', 'description', 'quantity', 'unitPrice'] as const;
/** Empty rows shown below the lines, so a few can be added without any script. */
export const BLANK_LINE_ROWS = 3;

const headerSchema = z
  .object({
    clientId: requiredId('Client'),
    siteId: optionalId,
    // Work allows numbers longer than QuickBooks' 21 characters; the plugin reports those, so no cap at 21.
    number: requiredText('Invoice number', 50),
    issueDate: requiredDate('Issue date'),
    dueDate: optionalDate('Due date'),
    taxRate: decimalText({ label: 'Tax rate', maxDecimals: 4, sign: 'nonNegative', below: '100', blankMeans: '0' }),
    notes: optionalText('Notes', 2000),
  })
  .superRefine((v, ctx) => {
    // Same-format ISO dates compare correctly as text.
    if (v.dueDate !== null && v.dueDate < v.issueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: messages.dueBeforeIssue });
  });

const lineSchema = z.object({
  itemId: optionalId,
  description: requiredText('Description', 1000),
  quantity: decimalText({ label: 'Quantity', maxDecimals: 4, sign: 'positive' }),
  unitPrice: decimalText({ label: 'Unit price', maxDecimals: 4, sign: 'nonNegative' }),
  taxable: checkbox,
});

export interface LineFormValues {
  itemId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  taxable: boolean;
}

export interface InvoiceFormValues {
  text: Record<string, string>;
  lines: LineFormValues[];
}

/** Lines arrive as lines[0][description]…; qs gives an array, or an object once indexes pass its array limit. */
function rawLines(body: unknown): Record<string, unknown>[] {
  const lines = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).lines : undefined;
  if (typeof lines !== 'object' || lines === null) return [];
  const entries = Array.isArray(lines) ? lines.map((l, i) => [i, l] as const) : Object.entries(lines).map(([k, l]) => [Number(k), l] as const);
  return entries
    .filter(([i]) => Number.isInteger(i) && i >= 0)
    .sort(([a], [b]) => a - b)
    .map(([, l]) => (typeof l === 'object' && l !== null ? (l as Record<string, unknown>) : {}));
}

function lineValues(raw: Record<string, unknown>): LineFormValues {
  const text = enteredText(raw, LINE_FIELD_NAMES);
  return { itemId: text.itemId ?? '', description: text.description ?? '', quantity: text.quantity ?? '', unitPrice: text.unitPrice ?? '', taxable: checkbox.parse(raw.taxable) };
}

function isBlankLine(v: LineFormValues): boolean {
  return [v.itemId, v.description, v.quantity, v.unitPrice].every((s) => s.trim() === '');
}

export function parseInvoiceForm(body: unknown): FormResult<InvoiceInput> {
  const header = parseForm(headerSchema, body);
  const errors: Record<string, string> = header.ok ? {} : { ...header.errors };
  const lines: InvoiceLineInput[] = [];
  rawLines(body).forEach((raw, index) => {
    if (isBlankLine(lineValues(raw))) return;
    const line = parseForm(lineSchema, raw);
    if (line.ok) lines.push(line.value);
    else for (const [field, message] of Object.entries(line.errors)) errors[`lines.${index}.${field}`] = messages.lineProblem(index + 1, message);
  });
  if (lines.length === 0 && !Object.keys(errors).some((k) => k.startsWith('lines.'))) errors.lines = messages.invoiceNeedsLine;
  if (!header.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...header.value, lines } };
}

function withBlankRows(lines: LineFormValues[]): LineFormValues[] {
  const blank: LineFormValues = { itemId: '', description: '', quantity: '', unitPrice: '', taxable: false };
  return [...lines, ...Array.from({ length: BLANK_LINE_ROWS }, () => ({ ...blank }))];
}

/** Rows keep their positions (so "Line 3" in a message is still row 3); only trailing empty rows go. */
export function invoiceFormValuesFromBody(body: unknown): InvoiceFormValues {
  const lines = rawLines(body).map(lineValues);
  const end = lines.map(isBlankLine).lastIndexOf(false) + 1;
  return { text: enteredText(body, INVOICE_FIELD_NAMES), lines: withBlankRows(lines.slice(0, end)) };
}

export function invoiceFormValuesFromRecord(inv: StandinInvoice | null, defaults: { clientId?: string; issueDate: string; number?: string }): InvoiceFormValues {
  if (!inv) {
    const text = enteredText({}, INVOICE_FIELD_NAMES);
    return { text: { ...text, clientId: defaults.clientId ?? '', number: defaults.number ?? '', issueDate: defaults.issueDate, taxRate: '0' }, lines: withBlankRows([]) };
  }
  return {
    text: {
      clientId: inv.clientId,
      siteId: inv.siteId ?? '',
      number: inv.number,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate ?? '',
      taxRate: inv.taxRate,
      notes: inv.notes ?? '',
    },
    lines: withBlankRows(
      inv.lines.map((l) => ({ itemId: l.itemId ?? '', description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, taxable: l.taxable })),
    ),
  };
}
