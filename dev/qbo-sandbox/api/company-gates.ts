/**
 * Company-wide rules that refuse writes before any entity rule runs: a lapsed subscription (6190) and
 * closed books (6210). Both read the company's own CompanyInfo and Preferences, so a test changes them the
 * way QBO's state changes: by loading another CompanyInfo (SubscriptionStatus) or Preferences
 * (AccountingInfoPrefs.BookCloseDate) through the control API.
 */
import type { EntityName, QboObject } from '../contracts';
import { faults } from '../faults';
import type { ApiContext } from './api-context';
import { isObject } from './body-checks';

/** Intuit's subscription states that leave a company read-only. */
const READ_ONLY_STATUSES = new Set(['CANCELLED', 'EXPIRED', 'SUSPENDED']);

/** Transactions dated on or before the book close date cannot be written. */
const DATED_TRANSACTIONS: ReadonlySet<EntityName> = new Set(['Invoice', 'Payment']);

function nameValue(info: QboObject | undefined, name: string): string | undefined {
  const list = info?.['NameValue'];
  if (!Array.isArray(list)) return undefined;
  for (const item of list) {
    if (isObject(item) && item['Name'] === name && typeof item['Value'] === 'string') return item['Value'];
  }
  return undefined;
}

export function assertCompanyWritable(ctx: ApiContext): void {
  const info = ctx.store.get(ctx.realmId, 'CompanyInfo', '1')?.object;
  const status = nameValue(info, 'SubscriptionStatus');
  if (status !== undefined && READ_ONLY_STATUSES.has(status.toUpperCase())) {
    throw faults.companyNotWritable(nameValue(info, 'OfferingSku') ?? 'QuickBooks Online');
  }
}

function bookCloseDate(ctx: ApiContext): string | undefined {
  const prefs = ctx.store.get(ctx.realmId, 'Preferences', '1')?.object;
  const accounting = prefs?.['AccountingInfoPrefs'];
  const date = isObject(accounting) ? accounting['BookCloseDate'] : undefined;
  return typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined;
}

/** Refuses a write whose old or new TxnDate falls in the closed period (YYYY-MM-DD compares as text). */
export function assertPeriodOpen(ctx: ApiContext, entity: EntityName, ...objects: (QboObject | undefined)[]): void {
  if (!DATED_TRANSACTIONS.has(entity)) return;
  const closed = bookCloseDate(ctx);
  if (closed === undefined) return;
  for (const object of objects) {
    const txnDate = object?.['TxnDate'];
    if (typeof txnDate === 'string' && txnDate.slice(0, 10) <= closed) throw faults.periodClosed();
  }
}
