import type { Knex } from 'knex';

/**
 * The settings page's fields that the first migration did not have (the nightly sync's time and time zone;
 * the tax codes come from 2026120100301), and the products imports the admin previews before
 * confirming (the parsed rows wait here, scoped to the account, until confirmed once).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('qbo_settings', (t) => {
    t.text('nightly_sync_time').notNullable().defaultTo('02:00');
    t.text('nightly_time_zone').notNullable().defaultTo('UTC');
  });
  await knex.raw(
    `ALTER TABLE qbo_settings ADD CONSTRAINT qbo_settings_nightly_time_check
     CHECK (nightly_sync_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')`,
  );
  // The moment invoice (payment) sync was turned on is known exactly while it is on.
  await knex.raw(
    `ALTER TABLE qbo_settings ADD CONSTRAINT qbo_settings_enabled_at_check
     CHECK ((NOT invoices_enabled OR invoices_enabled_at IS NOT NULL) AND (NOT payments_enabled OR payments_enabled_at IS NOT NULL))`,
  );

  await knex.schema.createTable('qbo_product_imports', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable();
    t.text('file_name').notNullable();
    t.jsonb('rows').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('applied_at', { useTz: true });
    t.index(['account_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('qbo_product_imports');
  await knex.raw('ALTER TABLE qbo_settings DROP CONSTRAINT qbo_settings_enabled_at_check');
  await knex.raw('ALTER TABLE qbo_settings DROP CONSTRAINT qbo_settings_nightly_time_check');
  await knex.schema.alterTable('qbo_settings', (t) => {
    t.dropColumn('nightly_time_zone');
    t.dropColumn('nightly_sync_time');
  });
}
