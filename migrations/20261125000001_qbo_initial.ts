import type { Knex } from 'knex';

/**
 * The plugin's own tables, all prefixed qbo_. Account ids are text because the host decides their type.
 * CHECK constraints and partial unique indexes encode the state machines so a bug cannot store a state
 * that the code never meant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_connections', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable().unique();
    t.text('realm_id').notNullable().unique();
    t.text('status').notNullable().defaultTo('connected');
    t.text('company_name');
    t.text('country');
    t.text('offering_sku');
    t.text('key_id');
    t.text('access_token_enc');
    t.text('refresh_token_enc');
    t.timestamp('access_token_expires_at', { useTz: true });
    t.timestamp('refresh_token_expires_at', { useTz: true });
    t.timestamp('refresh_token_hard_expires_at', { useTz: true });
    t.timestamp('last_refreshed_at', { useTz: true });
    t.timestamp('connected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disconnected_at', { useTz: true });
    t.timestamps(true, true);
  });
  await knex.raw(
    `ALTER TABLE qbo_connections ADD CONSTRAINT qbo_connections_status_check
     CHECK (status IN ('connected', 'needs_reconnect', 'disconnected'))`,
  );

  await knex.schema.createTable('qbo_settings', (t) => {
    t.text('account_id').primary();
    t.boolean('clients_enabled').notNullable().defaultTo(true);
    t.boolean('invoices_enabled').notNullable().defaultTo(false);
    t.timestamp('invoices_enabled_at', { useTz: true });
    t.boolean('payments_enabled').notNullable().defaultTo(false);
    t.timestamp('payments_enabled_at', { useTz: true });
    t.text('income_account_qbo_id');
    t.text('expense_account_qbo_id');
    t.text('deposit_account_qbo_id');
    t.text('default_state');
    t.text('default_country');
    t.boolean('fill_site_from_client').notNullable().defaultTo(true);
    t.timestamps(true, true);
  });
  await knex.raw(
    `ALTER TABLE qbo_settings ADD CONSTRAINT qbo_settings_payments_need_invoices
     CHECK (NOT payments_enabled OR invoices_enabled)`,
  );

  await knex.schema.createTable('qbo_mappings', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable();
    t.text('realm_id').notNullable();
    t.text('entity').notNullable();
    t.text('work_id').notNullable();
    t.text('qbo_id').notNullable();
    t.text('qbo_sync_token');
    t.text('last_hash');
    t.jsonb('snapshot');
    t.timestamp('last_synced_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['account_id', 'entity', 'work_id']);
    t.unique(['realm_id', 'entity', 'qbo_id']);
  });
  await knex.raw(
    `ALTER TABLE qbo_mappings ADD CONSTRAINT qbo_mappings_entity_check
     CHECK (entity IN ('client', 'site', 'invoice', 'payment', 'item'))`,
  );

  await knex.schema.createTable('qbo_outbox', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable();
    t.text('entity').notNullable();
    t.text('record_id').notNullable();
    t.text('action').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamps(true, true);
  });
  await knex.raw(
    `ALTER TABLE qbo_outbox ADD CONSTRAINT qbo_outbox_status_check
     CHECK (status IN ('pending', 'processing', 'done', 'failed'))`,
  );
  await knex.raw(
    `ALTER TABLE qbo_outbox ADD CONSTRAINT qbo_outbox_action_check
     CHECK (action IN ('created', 'updated', 'deleted'))`,
  );
  // One pending row per record: later edits merge into it instead of queueing again.
  await knex.raw(
    `CREATE UNIQUE INDEX qbo_outbox_one_pending_per_record
     ON qbo_outbox (account_id, entity, record_id) WHERE status = 'pending'`,
  );
  await knex.raw(
    `CREATE INDEX qbo_outbox_due ON qbo_outbox (next_attempt_at) WHERE status = 'pending'`,
  );

  await knex.schema.createTable('qbo_sync_runs', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable();
    t.text('kind').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.jsonb('counts').notNullable().defaultTo('{}');
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['account_id', 'started_at']);
  });
  await knex.raw(
    `ALTER TABLE qbo_sync_runs ADD CONSTRAINT qbo_sync_runs_status_check
     CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled'))`,
  );

  await knex.schema.createTable('qbo_sync_log', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable();
    t.bigInteger('run_id').references('id').inTable('qbo_sync_runs').onDelete('SET NULL');
    t.text('entity');
    t.text('work_id');
    t.text('qbo_id');
    t.text('level').notNullable();
    t.text('outcome').notNullable();
    t.text('reason').notNullable();
    t.text('fault_code');
    t.text('intuit_tid');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE qbo_sync_log ADD CONSTRAINT qbo_sync_log_level_check
     CHECK (level IN ('info', 'warning', 'error'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['qbo_sync_log', 'qbo_sync_runs', 'qbo_outbox', 'qbo_mappings', 'qbo_settings', 'qbo_connections']) {
    await knex.schema.dropTableIfExists(table);
  }
}
