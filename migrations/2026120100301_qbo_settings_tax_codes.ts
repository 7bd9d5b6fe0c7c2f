import type { Knex } from 'knex';

/**
 * Companies outside the US put a real QBO TaxCode id on every invoice line (US companies use TAX/NON), so the
 * settings keep the codes chosen for taxable and non-taxable lines (plugin/sync/plan/settings-rules.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('qbo_settings', (t) => {
    t.text('taxable_tax_code_qbo_id');
    t.text('non_taxable_tax_code_qbo_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('qbo_settings', (t) => {
    t.dropColumn('taxable_tax_code_qbo_id');
    t.dropColumn('non_taxable_tax_code_qbo_id');
  });
}
