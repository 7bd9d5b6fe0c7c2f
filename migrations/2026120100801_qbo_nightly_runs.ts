import type { Knex } from 'knex';

/**
 * The nightly sync's bookkeeping: one row per account naming the last local night it ran for, and the
 * process holding this night's run (a lease, so a worker that dies lets another take the night over).
 * Every process checks the schedule; this row makes one of them run it, once per night.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_nightly_runs', (t) => {
    t.text('account_id').primary();
    // The account's local date ('YYYY-MM-DD') of the last night that ran (or was skipped as not connected).
    t.text('last_slot');
    t.text('last_status');
    t.bigInteger('last_run_id');
    t.timestamp('last_finished_at', { useTz: true });
    t.text('claimed_slot');
    t.text('claimed_by');
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE qbo_nightly_runs ADD CONSTRAINT qbo_nightly_runs_claim_check
     CHECK ((claimed_by IS NULL) = (locked_until IS NULL) AND (claimed_by IS NULL) = (claimed_slot IS NULL))`,
  );
  await knex.raw(`ALTER TABLE qbo_nightly_runs ADD CONSTRAINT qbo_nightly_runs_slot_check CHECK (last_slot IS NULL OR last_slot ~ '^\\d{4}-\\d{2}-\\d{2}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qbo_nightly_runs');
}
