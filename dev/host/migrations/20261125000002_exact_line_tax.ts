import type { Knex } from 'knex';

/**
 * Work keeps each line's tax unrounded: quantity (4 dp) × unit price (4 dp) × rate percent (4 dp) / 100 has
 * up to 14 decimals, more than numeric(18, 8) holds, so the column becomes an exact, unconstrained numeric.
 * The invoice keeps the rate its editor chose (a percent, e.g. 8.875), copied onto each line at save.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE invoice_lines ALTER COLUMN tax_amount TYPE numeric');
  await knex.schema.alterTable('invoices', (t) => {
    t.decimal('tax_rate', 8, 4).notNullable().defaultTo(0);
  });
  await knex.raw('ALTER TABLE invoices ADD CONSTRAINT invoices_tax_rate_range CHECK (tax_rate >= 0 AND tax_rate < 100)');
  await knex.raw('ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_quantity_positive CHECK (quantity > 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_quantity_positive');
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('tax_rate');
  });
  await knex.raw('ALTER TABLE invoice_lines ALTER COLUMN tax_amount TYPE numeric(18, 8)');
}
