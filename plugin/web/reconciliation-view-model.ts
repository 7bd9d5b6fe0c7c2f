import Decimal from 'decimal.js';
import { RECONCILIATION_TEXTS } from '../messages';
import type { BadgeTone } from './page-format';

/** One pushed invoice whose QBO total differs (the engine's InvoiceDifference: exact decimal strings). */
export interface DifferenceInput {
  workInvoiceId: string;
  qboInvoiceId: string;
  workTotal: string;
  qboTotal: string;
  differenceCents: string;
  explained: boolean;
  explanation: string;
}

export interface DifferenceRowView {
  invoice: string;
  qbo: string;
  workTotal: string;
  qboTotal: string;
  difference: string;
  badge: string;
  tone: BadgeTone;
  why: string;
}

/** "1,234.50": two decimals, thousands grouped, exact (decimal.js, never a float). */
export function formatMoney(value: Decimal.Value): string {
  const fixed = new Decimal(value).toFixed(2);
  const [whole = '0', cents = '00'] = fixed.replace('-', '').split('.');
  return `${fixed.startsWith('-') ? '−' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/** QBO's total minus Work's, signed: "+0.01", "−1.00". */
export function formatDifference(cents: Decimal.Value): string {
  const amount = new Decimal(cents).dividedBy(100);
  return `${amount.isNegative() ? '' : '+'}${formatMoney(amount)}`;
}

export function differenceRows(rows: readonly DifferenceInput[], numbers: ReadonlyMap<string, string>): DifferenceRowView[] {
  return rows.map((r) => {
    const number = numbers.get(r.workInvoiceId);
    return {
      invoice: number === undefined ? RECONCILIATION_TEXTS.unknownInvoice(r.workInvoiceId) : RECONCILIATION_TEXTS.invoice(number),
      qbo: RECONCILIATION_TEXTS.qboInvoice(r.qboInvoiceId),
      workTotal: formatMoney(r.workTotal),
      qboTotal: formatMoney(r.qboTotal),
      difference: formatDifference(r.differenceCents),
      badge: r.explained ? RECONCILIATION_TEXTS.explained : RECONCILIATION_TEXTS.unexplained,
      tone: r.explained ? 'muted' : 'warning',
      why: r.explanation,
    };
  });
}
