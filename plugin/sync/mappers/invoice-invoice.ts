/**
 * Work invoice → QBO Invoice body (pure). Ids the body refers to (customer, items) are resolved before and
 * passed in; what cannot be sent comes back as a typed refusal with a reason code, never as a throw.
 * Rules and their sources: README.md in this folder.
 */
import crypto from 'node:crypto';
import type Decimal from 'decimal.js';
import type { WorkInvoice, WorkInvoiceLine } from '../../host/work-records';
import type { InvoiceInput, InvoiceLineInput } from '../../qbo/entities/inputs';
import { US_LINE_TAX_CODES } from '../../qbo/entities/tax-code';
import { fitsQboAmount, lineMoney, originalQtyAndPrice, parseDecimal, QBO_LINE_DESCRIPTION_MAX, sumExact, type LineMoney } from './money';
import { canonicalSnapshot, payloadHash, type CanonicalValue } from './payload-hash';
import { stripControlCharacters, takeUtf16Units } from './qbo-text';

/** Intuit: DocNumber holds at most 21 characters (2050 otherwise). */
export const QBO_DOC_NUMBER_MAX = 21;
/** Intuit: PrivateNote holds at most 4000 characters. */
export const QBO_PRIVATE_NOTE_MAX = 4000;
/** Intuit: a taxable transaction holds at most 750 lines. */
export const QBO_MAX_TAXABLE_LINES = 750;
const SHORT_HASH_LENGTH = 8;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** US companies: TAX/NON on each line. Elsewhere: the company's TaxCode ids chosen in the settings. */
export type LineTaxCodes = { mode: 'us' } | { mode: 'codes'; taxable: string | null; nonTaxable: string | null };

export interface InvoiceMappingInput {
  invoice: WorkInvoice;
  /** The QBO customer to bill: the site's sub-customer when the invoice has a linked site, else the client's customer. */
  customerId: string;
  /** QBO item id per Work line id (see plan/item-resolution.ts). */
  itemIdByLineId: ReadonlyMap<string, string>;
  taxCodes: LineTaxCodes;
  /** Preferences.SalesFormsPrefs.CustomTxnNumbers: off means QBO numbers invoices itself. */
  customTxnNumbers: boolean;
}

export type InvoiceRefusalCode =
  | 'no_lines'
  | 'invalid_number'
  | 'amount_too_large'
  | 'negative_total'
  | 'too_many_lines'
  | 'missing_item'
  | 'missing_customer'
  | 'invalid_date'
  | 'tax_codes_missing';

export type InvoiceWarningCode =
  | 'zero_total'
  | 'line_sent_as_total'
  | 'doc_number_shortened'
  | 'doc_number_by_qbo'
  | 'no_invoice_number'
  | 'description_truncated'
  | 'work_total_mismatch';

export interface InvoiceRefusal {
  code: InvoiceRefusalCode;
  /** The Work line concerned, when one line is the cause. */
  lineId?: string;
  /** Plain facts for the log (numbers, field names); never a secret. */
  detail: string;
}

export interface InvoiceWarning {
  code: InvoiceWarningCode;
  lineId?: string;
  detail: string;
}

export interface DocNumberPlan {
  /** Work's number as it is. */
  workNumber: string;
  /** What is sent as DocNumber; null when QBO numbers the invoice (custom numbers off) or Work has none. */
  sent: string | null;
  shortened: boolean;
}

export interface MappedInvoiceLine {
  lineId: string;
  money: LineMoney;
  taxable: boolean;
}

export interface MappedInvoice {
  body: InvoiceInput;
  lines: MappedInvoiceLine[];
  /** QBO's subtotal once created: the sum of the rounded line amounts. */
  qboSubtotal: Decimal;
  docNumber: DocNumberPlan;
  warnings: InvoiceWarning[];
  /** Canonical form of the body (what the engine stores) and its hash (skip a send when unchanged). */
  snapshot: CanonicalValue;
  hash: string;
}

export type InvoiceMappingResult = { ok: true; invoice: MappedInvoice } | { ok: false; refusal: InvoiceRefusal };

/** Work's number as a DocNumber: kept when it fits, else a readable prefix + "~" + a short hash of the whole. */
export function shortenDocNumber(workNumber: string): { docNumber: string; shortened: boolean } {
  const clean = stripControlCharacters(workNumber).trim();
  if (clean.length <= QBO_DOC_NUMBER_MAX) return { docNumber: clean, shortened: false };
  const digest = crypto.createHash('sha256').update(clean).digest('hex').slice(0, SHORT_HASH_LENGTH);
  const prefix = takeUtf16Units(clean, QBO_DOC_NUMBER_MAX - SHORT_HASH_LENGTH - 1).trimEnd();
  return { docNumber: `${prefix}~${digest}`, shortened: true };
}

export function planDocNumber(workNumber: string, customTxnNumbers: boolean): DocNumberPlan {
  const { docNumber, shortened } = shortenDocNumber(workNumber);
  // Intuit: with custom transaction numbers off QBO assigns the next number; sending one anyway risks
  // duplicates (its duplicate check is off then), so the number is left to QBO and kept in the private note.
  if (!customTxnNumbers || docNumber === '') return { workNumber, sent: null, shortened: false };
  return { workNumber, sent: docNumber, shortened };
}

export function mapInvoice(input: InvoiceMappingInput): InvoiceMappingResult {
  const { invoice } = input;
  const warnings: InvoiceWarning[] = [];
  if (input.customerId.trim() === '') return refuse('missing_customer', 'no QuickBooks customer for the invoice');
  if (!ISO_DATE.test(invoice.issueDate)) return refuse('invalid_date', `issue date "${invoice.issueDate}"`);
  if (invoice.dueDate !== null && !ISO_DATE.test(invoice.dueDate)) return refuse('invalid_date', `due date "${invoice.dueDate}"`);
  if (invoice.lines.length === 0) return refuse('no_lines', 'the invoice has no lines');
  const taxCodes = lineTaxCodes(input.taxCodes);
  if (taxCodes === null) return refuse('tax_codes_missing', 'no QuickBooks tax codes chosen for taxable and non-taxable lines');

  const lines: MappedInvoiceLine[] = [];
  const bodyLines: InvoiceLineInput[] = [];
  for (const line of orderedLines(invoice.lines)) {
    const money = lineMoney(line.quantity, line.unitPrice);
    if (!money.ok) {
      const r = money.refusal;
      return r.code === 'invalid_number'
        ? refuse('invalid_number', `${r.field} "${r.value}" is not a number`, line.id)
        : refuse('amount_too_large', `line amount ${r.amount.toFixed(2)}`, line.id);
    }
    const itemId = input.itemIdByLineId.get(line.id);
    if (itemId === undefined) return refuse('missing_item', 'no QuickBooks item resolved for the line', line.id);
    if (money.line.form === 'line_total') {
      warnings.push({ code: 'line_sent_as_total', lineId: line.id, detail: `${originalQtyAndPrice(money.line)} sent as 1 × ${money.line.amount.toFixed(2)} (${money.line.reason ?? ''})` });
    }
    const description = lineDescription(line.description, money.line);
    if (description.truncated) warnings.push({ code: 'description_truncated', lineId: line.id, detail: `cut to ${QBO_LINE_DESCRIPTION_MAX} characters` });
    lines.push({ lineId: line.id, money: money.line, taxable: line.taxable });
    const bodyLine: InvoiceLineInput = {
      Amount: money.line.amount,
      DetailType: 'SalesItemLineDetail',
      SalesItemLineDetail: {
        ItemRef: { value: itemId },
        Qty: money.line.qty,
        UnitPrice: money.line.unitPrice,
        TaxCodeRef: { value: line.taxable ? taxCodes.taxable : taxCodes.nonTaxable },
      },
    };
    if (description.text !== '') bodyLine.Description = description.text;
    bodyLines.push(bodyLine);
  }
  if (lines.some((l) => l.taxable) && lines.length > QBO_MAX_TAXABLE_LINES) {
    return refuse('too_many_lines', `${lines.length} lines; a taxable QuickBooks invoice holds at most ${QBO_MAX_TAXABLE_LINES}`);
  }
  const qboSubtotal = sumExact(lines.map((l) => l.money.amount));
  if (!fitsQboAmount(qboSubtotal)) return refuse('amount_too_large', `invoice total ${qboSubtotal.toFixed(2)}`);
  if (qboSubtotal.isNegative()) return refuse('negative_total', `invoice total ${qboSubtotal.toFixed(2)}`);
  if (qboSubtotal.isZero()) warnings.push({ code: 'zero_total', detail: 'invoice total 0.00' });
  const workSubtotal = parseDecimal(invoice.subtotal);
  const linesTotal = sumExact(lines.map((l) => l.money.workTotal));
  if (workSubtotal === null || !workSubtotal.equals(linesTotal)) {
    warnings.push({ code: 'work_total_mismatch', detail: `Work subtotal "${invoice.subtotal}", lines add up to ${linesTotal.toFixed()}` });
  }

  const docNumber = planDocNumber(invoice.number, input.customTxnNumbers);
  if (docNumber.shortened) warnings.push({ code: 'doc_number_shortened', detail: `"${invoice.number}" sent as "${docNumber.sent ?? ''}"` });
  if (!input.customTxnNumbers) warnings.push({ code: 'doc_number_by_qbo', detail: `Work number "${invoice.number}"` });
  else if (docNumber.sent === null) warnings.push({ code: 'no_invoice_number', detail: 'the Work invoice has no number' });

  const body: InvoiceInput = { CustomerRef: { value: input.customerId }, Line: bodyLines, TxnDate: invoice.issueDate };
  if (docNumber.sent !== null) body.DocNumber = docNumber.sent;
  if (invoice.dueDate !== null) body.DueDate = invoice.dueDate;
  body.PrivateNote = privateNote(invoice);
  const snapshot = canonicalSnapshot(body);
  return { ok: true, invoice: { body, lines, qboSubtotal, docNumber, warnings, snapshot, hash: payloadHash(snapshot) } };
}

/**
 * A sparse update: Work is the master, so every field the plugin owns is sent again, and `Line` (sent whole,
 * without line Ids) replaces QBO's lines as a set. DocNumber is in the body only with custom numbers on.
 */
export function invoiceUpdateBody(ref: { Id: string; SyncToken: string }, body: InvoiceInput): InvoiceInput & { Id: string; SyncToken: string; sparse: true } {
  return { ...body, Id: ref.Id, SyncToken: ref.SyncToken, sparse: true };
}

/** Whether a mapped payload differs from the last one sent (by hash; a missing hash means never sent). */
export function invoicePayloadChanged(lastSentHash: string | null, mapped: Pick<MappedInvoice, 'hash'>): boolean {
  return lastSentHash !== mapped.hash;
}

function refuse(code: InvoiceRefusalCode, detail: string, lineId?: string): InvoiceMappingResult {
  return { ok: false, refusal: lineId === undefined ? { code, detail } : { code, detail, lineId } };
}

function lineTaxCodes(codes: LineTaxCodes): { taxable: string; nonTaxable: string } | null {
  if (codes.mode === 'us') return { taxable: US_LINE_TAX_CODES.taxable, nonTaxable: US_LINE_TAX_CODES.nonTaxable };
  if (!codes.taxable || !codes.nonTaxable) return null;
  return { taxable: codes.taxable, nonTaxable: codes.nonTaxable };
}

function orderedLines(lines: readonly WorkInvoiceLine[]): WorkInvoiceLine[] {
  return [...lines].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Work's description; a line sent at its total also says Work's quantity and price. ≤ 4000 characters. */
function lineDescription(description: string, money: LineMoney): { text: string; truncated: boolean } {
  const clean = stripControlCharacters(description, true).trim();
  const suffix = money.form === 'line_total' ? `(${originalQtyAndPrice(money)})` : '';
  const room = QBO_LINE_DESCRIPTION_MAX - (suffix === '' ? 0 : suffix.length + 1);
  const truncated = clean.length > room;
  const kept = truncated ? `${takeUtf16Units(clean, room - 1).trimEnd()}…` : clean;
  const text = suffix === '' ? kept : kept === '' ? suffix : `${kept} ${suffix}`;
  return { text, truncated };
}

function privateNote(invoice: WorkInvoice): string {
  const number = stripControlCharacters(invoice.number).trim();
  const head = number === '' ? 'Work invoice' : `Work invoice ${number}`;
  const notes = invoice.notes === null ? '' : stripControlCharacters(invoice.notes, true).trim();
  const full = notes === '' ? head : `${head}\n${notes}`;
  return full.length <= QBO_PRIVATE_NOTE_MAX ? full : `${takeUtf16Units(full, QBO_PRIVATE_NOTE_MAX - 1)}…`;
}
