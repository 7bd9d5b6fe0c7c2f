/** How payments apply to invoices: the one place that turns payment lines into invoice balances. */
import type { QboObject } from '../../contracts';
import { formatQboTime } from '../../store/qbo-time';
import type { ApiContext } from '../api-context';
import { isObject } from '../body-checks';
import { Decimal, jsonNumber, money, sum } from '../money';

export interface Application {
  invoiceId: string;
  amount: Decimal;
}

/** The invoice applications of one payment object. */
export function applicationsOf(payment: QboObject): Application[] {
  const lines = payment['Line'];
  if (!Array.isArray(lines)) return [];
  const out: Application[] = [];
  for (const line of lines) {
    if (!isObject(line) || !Array.isArray(line['LinkedTxn'])) continue;
    for (const link of line['LinkedTxn']) {
      if (isObject(link) && link['TxnType'] === 'Invoice' && typeof link['TxnId'] === 'string') {
        out.push({ invoiceId: link['TxnId'], amount: money(String(line['Amount'] ?? 0)) });
      }
    }
  }
  return out;
}

/** Sum applied to an invoice by live payments, optionally leaving one payment out (the one being rewritten). */
export function appliedToInvoice(ctx: ApiContext, invoiceId: string, exceptPaymentId?: string): { total: Decimal; paymentIds: string[] } {
  const amounts: Decimal[] = [];
  const paymentIds: string[] = [];
  for (const payment of ctx.store.indexed(ctx.realmId, 'paidInvoice', invoiceId)) {
    if (payment.deleted || payment.id === exceptPaymentId) continue;
    const mine = applicationsOf(payment.object).filter((a) => a.invoiceId === invoiceId && !a.amount.isZero());
    if (mine.length === 0) continue;
    paymentIds.push(payment.id);
    amounts.push(...mine.map((a) => a.amount));
  }
  return { total: sum(amounts), paymentIds };
}

/**
 * Recomputes an invoice's Balance and LinkedTxn after payments changed. A changed invoice gets a new
 * SyncToken, so a client must re-read it before its next update (as with QBO).
 */
export function refreshInvoiceBalance(ctx: ApiContext, invoiceId: string): void {
  const record = ctx.store.get(ctx.realmId, 'Invoice', invoiceId);
  if (!record || record.deleted) return;
  const { total, paymentIds } = appliedToInvoice(ctx, invoiceId);
  const balance = record.voided ? new Decimal(0) : money(String(record.object['TotalAmt'] ?? 0)).minus(total);
  const linked = paymentIds.map((id) => ({ TxnId: id, TxnType: 'Payment' }));
  if (jsonNumber(balance) === record.object['Balance'] && JSON.stringify(linked) === JSON.stringify(record.object['LinkedTxn'])) return;
  const meta = isObject(record.object['MetaData']) ? record.object['MetaData'] : {};
  ctx.store.put(ctx.realmId, 'Invoice', {
    ...record.object,
    LinkedTxn: linked,
    Balance: jsonNumber(balance),
    SyncToken: String(Number(record.object['SyncToken']) + 1),
    MetaData: { ...meta, LastUpdatedTime: formatQboTime(ctx.clock.now()) },
  });
}
