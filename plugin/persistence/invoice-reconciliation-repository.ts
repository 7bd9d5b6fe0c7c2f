import type Decimal from 'decimal.js';
import type { Knex } from 'knex';

export interface ReconciliationInput {
  workInvoiceId: string;
  qboInvoiceId: string;
  workTotal: Decimal;
  qboTotal: Decimal;
  qboTax: Decimal | null;
  qboBalance: Decimal;
  differenceCents: Decimal;
  explainableCents: Decimal;
  explained: boolean;
}

export interface ReconciliationRow {
  account_id: string;
  work_invoice_id: string;
  qbo_invoice_id: string;
  /** numeric columns come back as strings (pg), exact. */
  work_total: string;
  qbo_total: string;
  qbo_tax: string | null;
  qbo_balance: string;
  difference_cents: string;
  explainable_cents: string;
  explained: boolean;
  updated_at: Date;
}

const TABLE = 'qbo_invoice_reconciliation';

/** qbo_invoice_reconciliation: the only SQL for it; every query scoped to its account. */
export class InvoiceReconciliationRepository {
  constructor(private readonly knex: Knex) {}

  async save(accountId: string, input: ReconciliationInput, now: Date, trx?: Knex.Transaction): Promise<void> {
    const row = {
      account_id: accountId,
      work_invoice_id: input.workInvoiceId,
      qbo_invoice_id: input.qboInvoiceId,
      work_total: input.workTotal.toFixed(),
      qbo_total: input.qboTotal.toFixed(2),
      qbo_tax: input.qboTax === null ? null : input.qboTax.toFixed(2),
      qbo_balance: input.qboBalance.toFixed(2),
      difference_cents: input.differenceCents.toFixed(2),
      explainable_cents: input.explainableCents.toFixed(2),
      explained: input.explained,
      updated_at: now,
    };
    await (trx ?? this.knex)(TABLE).insert(row).onConflict(['account_id', 'work_invoice_id']).merge();
  }

  /** QBO's open balance per QBO invoice id, as last answered and lowered by the payments applied since. */
  async balances(accountId: string, qboInvoiceIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < qboInvoiceIds.length; i += 1000) {
      const rows = await this.knex<ReconciliationRow>(TABLE).where({ account_id: accountId }).whereIn('qbo_invoice_id', qboInvoiceIds.slice(i, i + 1000)).select('qbo_invoice_id', 'qbo_balance');
      for (const r of rows) out.set(r.qbo_invoice_id, r.qbo_balance);
    }
    return out;
  }

  /** A payment applied `amount` to the invoice: its open balance goes down by that much (never below 0). */
  async lowerBalance(accountId: string, qboInvoiceId: string, amount: Decimal, now: Date, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.knex)(TABLE)
      .where({ account_id: accountId, qbo_invoice_id: qboInvoiceId })
      .update({ qbo_balance: this.knex.raw('greatest(qbo_balance - ?::numeric, 0)', [amount.toFixed(2)]), updated_at: now });
  }

  async find(accountId: string, workInvoiceId: string): Promise<ReconciliationRow | null> {
    return (await this.knex<ReconciliationRow>(TABLE).where({ account_id: accountId, work_invoice_id: workInvoiceId }).first()) ?? null;
  }

  /** Invoices whose QBO total differs from Work's, unexplained ones first. */
  async differences(accountId: string, limit = 500): Promise<ReconciliationRow[]> {
    return this.knex<ReconciliationRow>(TABLE).where({ account_id: accountId }).whereNot('difference_cents', 0).orderBy([{ column: 'explained', order: 'asc' }, { column: 'work_invoice_id' }]).limit(limit);
  }
}
