import type { Knex } from 'knex';

/**
 * What the admin's "Sync now" page needs from a run: a cancel request the running process sees between
 * batches (cooperative: the run stops at its next checkpoint, never mid-write), and the number of records a
 * run expects per entity once it has planned, so the page can draw a progress bar that reaches its end.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('qbo_sync_runs', (t) => {
    t.timestamp('cancel_requested_at', { useTz: true });
    t.jsonb('expected');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('qbo_sync_runs', (t) => {
    t.dropColumn('expected');
    t.dropColumn('cancel_requested_at');
  });
}
