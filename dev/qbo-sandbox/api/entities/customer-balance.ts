/**
 * A customer's Balance (open invoices minus unapplied payments) and BalanceWithJobs (with its
 * sub-customers'), recomputed after every invoice or payment change. Unverified: whether QBO counts this as
 * an edit of the customer; the sandbox keeps the customer's SyncToken and change time (see
 * SandboxStore.patchComputed).
 */
import type { ApiContext } from '../api-context';
import { isObject } from '../body-checks';
import { Decimal, jsonNumber, money } from '../money';

function refValue(ref: unknown): string | undefined {
  return isObject(ref) && typeof ref['value'] === 'string' ? ref['value'] : undefined;
}

function ownBalance(ctx: ApiContext, customerId: string): Decimal {
  let balance = new Decimal(0);
  for (const txn of ctx.store.indexed(ctx.realmId, 'customer', customerId)) {
    if (txn.deleted) continue;
    if (txn.entity === 'Invoice') balance = balance.plus(money(String(txn.object['Balance'] ?? 0)));
    if (txn.entity === 'Payment') balance = balance.minus(money(String(txn.object['UnappliedAmt'] ?? 0)));
  }
  return balance;
}

/** Recomputes one customer and every ancestor above it. */
export function refreshCustomerBalance(ctx: ApiContext, customerId: string | undefined): void {
  let current = customerId;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    const customer = ctx.store.get(ctx.realmId, 'Customer', current);
    if (!customer) return;
    const own = ownBalance(ctx, current);
    let withJobs = own;
    for (const child of ctx.store.indexed(ctx.realmId, 'parent', current)) {
      if (child.entity === 'Customer') withJobs = withJobs.plus(money(String(child.object['BalanceWithJobs'] ?? 0)));
    }
    ctx.store.patchComputed(ctx.realmId, 'Customer', current, { Balance: jsonNumber(own), BalanceWithJobs: jsonNumber(withJobs) });
    current = refValue(customer.object['ParentRef']);
  }
}

export function customerOf(object: { [key: string]: unknown } | undefined): string | undefined {
  return object ? refValue(object['CustomerRef']) : undefined;
}
