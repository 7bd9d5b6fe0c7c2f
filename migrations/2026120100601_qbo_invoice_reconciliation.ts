import type { Knex } from 'knex';

/**
 * Reconciliation of pushed invoices: Work's total beside QBO's TotalAmt from the write's own answer (never a
 * second read), the difference in cents and whether rounding explains it; plus QBO's open Balance, lowered by
 * each payment the sync applies, so payments of one run never apply more than is open.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_invoice_reconciliation', (t) => {
    t.text('account_id').notNullable();
    t.text('work_invoice_id').notNullable();
    t.text('qbo_invoice_id').notNullable();
    t.decimal('work_total', 24, 10).notNullable();
    t.decimal('qbo_total', 18, 2).notNullable();
    t.decimal('qbo_tax', 18, 2);
    t.decimal('qbo_balance', 18, 2).notNullable();
    t.decimal('difference_cents', 18, 2).notNullable();
    t.decimal('explainable_cents', 18, 2).notNullable();
    t.boolean('explained').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'work_invoice_id']);
  });
  await knex.raw(`CREATE INDEX qbo_invoice_reconciliation_unexplained ON qbo_invoice_reconciliation (account_id) WHERE difference_cents <> 0`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qbo_invoice_reconciliation');
}
