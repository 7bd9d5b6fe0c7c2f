/**
 * Invoice lines: SalesItemLineDetail and DescriptionOnly lines are kept, the SubTotalLineDetail line is
 * recomputed, and every amount rule QBO enforces is checked with exact decimals.
 */
import type { QboObject } from '../../contracts';
import { faults } from '../../faults';
import type { ApiContext } from '../api-context';
import { isObject, maxLength, optionalNumberText, optionalRef, optionalString, rejectUnknownProperties } from '../body-checks';
import type { Decimal } from '../money';
import { jsonNumber, money, roundCents, sum } from '../money';
import { activeRef } from './refs';

const LINE_PROPERTIES = new Set(['Id', 'LineNum', 'Description', 'Amount', 'DetailType', 'SalesItemLineDetail', 'SubTotalLineDetail', 'DescriptionLineDetail', 'DiscountLineDetail', 'GroupLineDetail', 'LinkedTxn', 'CustomField']);
const SALES_DETAIL_PROPERTIES = new Set([
  'ItemRef', 'ClassRef', 'UnitPrice', 'RatePercent', 'PriceLevelRef', 'MarkupInfo', 'Qty', 'UOMRef', 'ItemAccountRef', 'TaxCodeRef',
  'TaxClassificationRef', 'ServiceDate', 'TaxInclusiveAmt', 'DiscountRate', 'DiscountAmt',
]);
const US_LINE_TAX_CODES = ['TAX', 'NON'];
/** Intuit: a taxable invoice holds at most 750 lines. */
const MAX_TAXABLE_LINES = 750;

export interface BuiltLines {
  lines: QboObject[];
  total: Decimal;
}

export function buildInvoiceLines(ctx: ApiContext, rawLines: unknown): BuiltLines {
  if (rawLines === undefined || rawLines === null) throw faults.requiredMissing('Line');
  if (!Array.isArray(rawLines)) throw faults.unsupportedProperty('Invoice', 'Line');
  const kept = rawLines.filter((line) => !(isObject(line) && line['DetailType'] === 'SubTotalLineDetail'));
  if (kept.length === 0) throw faults.requiredMissing('Line');
  const lines: QboObject[] = [];
  const amounts: Decimal[] = [];
  let taxable = 0;
  kept.forEach((raw, index) => {
    if (!isObject(raw)) throw faults.unsupportedProperty('Invoice', 'Line');
    rejectUnknownProperties('Line', raw, LINE_PROPERTIES);
    const number = index + 1;
    const description = optionalString('Line', raw, 'Description');
    maxLength('Line.Description', description, 4000);
    const detailType = optionalString('Line', raw, 'DetailType');
    if (detailType === undefined) throw faults.requiredMissing('Line.DetailType');
    if (detailType === 'DescriptionOnly') {
      const line: QboObject = { Id: String(number), LineNum: number, DetailType: 'DescriptionOnly', DescriptionLineDetail: {} };
      if (description !== undefined) line['Description'] = description;
      lines.push(line);
      return;
    }
    if (detailType !== 'SalesItemLineDetail') throw faults.invalidEnumeration('Line.DetailType', detailType);
    const amountText = optionalNumberText('Line', raw, 'Amount');
    if (amountText === undefined) throw faults.requiredMissing('Line.Amount');
    const amount = money(amountText);
    const detail = salesDetail(ctx, raw['SalesItemLineDetail'], amount);
    if ((detail['TaxCodeRef'] as { value: string }).value !== 'NON') taxable += 1;
    const line: QboObject = { Id: String(number), LineNum: number };
    if (description !== undefined) line['Description'] = description;
    Object.assign(line, { Amount: jsonNumber(amount), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: detail });
    lines.push(line);
    amounts.push(amount);
  });
  if (taxable > 0 && kept.length > MAX_TAXABLE_LINES) throw faults.business(`A taxable invoice can have at most ${MAX_TAXABLE_LINES} lines`, 'Line');
  const total = sum(amounts);
  lines.push({ Amount: jsonNumber(total), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
  return { lines, total };
}

function salesDetail(ctx: ApiContext, raw: unknown, amount: Decimal): QboObject {
  if (raw === undefined || raw === null) throw faults.requiredMissing('Line.SalesItemLineDetail');
  if (!isObject(raw)) throw faults.unsupportedProperty('Line', 'SalesItemLineDetail');
  rejectUnknownProperties('SalesItemLineDetail', raw, SALES_DETAIL_PROPERTIES);
  const itemId = optionalRef('SalesItemLineDetail', raw, 'ItemRef');
  if (itemId === undefined) throw faults.requiredMissing('Line.SalesItemLineDetail.ItemRef');
  const item = activeRef(ctx, 'Item', itemId, 'Line.SalesItemLineDetail.ItemRef');
  const out: QboObject = { ItemRef: { value: itemId, name: String(item['Name']) } };
  const unitPrice = optionalNumberText('SalesItemLineDetail', raw, 'UnitPrice');
  const qty = optionalNumberText('SalesItemLineDetail', raw, 'Qty');
  if (unitPrice !== undefined) out['UnitPrice'] = jsonNumber(money(unitPrice));
  if (qty !== undefined) out['Qty'] = jsonNumber(money(qty));
  // QBO compares Amount with Qty × UnitPrice; the tolerance is undocumented, so the sandbox allows none.
  if (unitPrice !== undefined && qty !== undefined && !roundCents(money(qty).times(money(unitPrice))).equals(amount)) {
    throw faults.amountMismatch();
  }
  out['TaxCodeRef'] = { value: lineTaxCode(ctx, raw) };
  const serviceDate = optionalString('SalesItemLineDetail', raw, 'ServiceDate');
  if (serviceDate !== undefined) out['ServiceDate'] = serviceDate;
  return out;
}

function lineTaxCode(ctx: ApiContext, detail: QboObject): string {
  const code = optionalRef('SalesItemLineDetail', detail, 'TaxCodeRef');
  if (ctx.company.country === 'US') {
    if (code === undefined) return 'NON';
    if (!US_LINE_TAX_CODES.includes(code)) throw faults.invalidUsTaxCode(code);
    return code;
  }
  // Outside the US every line needs a real tax code (stricter than leaving it to company defaults).
  if (code === undefined) throw faults.business('Make sure all your transactions have a tax rate before you save', 'TaxCodeRef');
  activeRef(ctx, 'TaxCode', code, 'Line.SalesItemLineDetail.TaxCodeRef');
  return code;
}

/** The voided form of lines: every amount zero, as in the invoice-void recording. */
export function zeroedLines(lines: unknown): QboObject[] {
  if (!Array.isArray(lines)) return [];
  return lines.filter(isObject).map((line) => {
    const copy = structuredClone(line);
    copy['Amount'] = 0;
    const detail = copy['SalesItemLineDetail'];
    if (isObject(detail) && detail['Qty'] !== undefined) detail['Qty'] = 0;
    return copy;
  });
}
