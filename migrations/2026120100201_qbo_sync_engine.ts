import type { Knex } from 'knex';

/**
 * The sync engine's state: the review list of ambiguous matches, live run progress, a log entry per record
 * with its retry state, outbox claiming with a lease, and CDC bookmarks per account and entity. CHECK
 * constraints encode every state so a bug cannot store one the code never meant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_review', (t) => {
    t.bigIncrements('id').primary();
    t.text('account_id').notNullable();
    t.bigInteger('run_id').references('id').inTable('qbo_sync_runs').onDelete('SET NULL');
    t.text('entity').notNullable();
    // One side is the record under review; `candidates` holds the other side's (two or more).
    t.text('work_id');
    t.text('qbo_id');
    t.jsonb('work_fields');
    t.jsonb('qbo_fields');
    t.jsonb('candidates').notNullable().defaultTo('[]');
    t.text('reason_code').notNullable();
    t.text('reason').notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.text('resolved_work_id');
    t.text('resolved_qbo_id');
    t.timestamp('resolved_at', { useTz: true });
    t.timestamps(true, true);
    t.index(['account_id', 'status']);
  });
  await knex.raw(
    `ALTER TABLE qbo_review ADD CONSTRAINT qbo_review_status_check
     CHECK ((status = 'open' AND resolved_at IS NULL) OR (status IN ('linked', 'created', 'skipped') AND resolved_at IS NOT NULL))`,
  );
  await knex.raw(`ALTER TABLE qbo_review ADD CONSTRAINT qbo_review_entity_check CHECK (entity IN ('client', 'site'))`);
  await knex.raw(`ALTER TABLE qbo_review ADD CONSTRAINT qbo_review_side_check CHECK (work_id IS NOT NULL OR qbo_id IS NOT NULL)`);
  // A record is under review once: a later run re-planning the same ambiguity finds the open entry.
  await knex.raw(
    `CREATE UNIQUE INDEX qbo_review_one_open_per_record
     ON qbo_review (account_id, entity, coalesce(work_id, ''), coalesce(qbo_id, '')) WHERE status = 'open'`,
  );

  await knex.schema.alterTable('qbo_sync_runs', (t) => {
    t.boolean('dry_run').notNullable().defaultTo(false);
    t.text('phase');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE qbo_sync_runs ADD CONSTRAINT qbo_sync_runs_kind_check CHECK (kind IN ('onboarding', 'continuous', 'manual'))`,
  );
  await knex.raw(
    `ALTER TABLE qbo_sync_runs ADD CONSTRAINT qbo_sync_runs_finished_check
     CHECK ((status = 'running') = (finished_at IS NULL))`,
  );

  await knex.schema.alterTable('qbo_sync_log', (t) => {
    t.text('reason_code');
    t.jsonb('details');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true });
    t.timestamp('dismissed_at', { useTz: true });
    t.timestamp('retried_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE qbo_sync_log ADD CONSTRAINT qbo_sync_log_outcome_check
     CHECK (outcome IN ('linked', 'created_in_qbo', 'created_in_work', 'updated_in_qbo', 'updated_in_work', 'unchanged',
                        'conflict', 'review', 'blocked', 'skipped', 'failed', 'warning', 'reported'))`,
  );
  await knex.raw(
    `ALTER TABLE qbo_sync_log ADD CONSTRAINT qbo_sync_log_entity_check
     CHECK (entity IS NULL OR entity IN ('client', 'site', 'invoice', 'payment', 'item'))`,
  );
  // Only a failure waits for a retry, and a dismissed entry waits for nothing.
  await knex.raw(
    `ALTER TABLE qbo_sync_log ADD CONSTRAINT qbo_sync_log_retry_check
     CHECK (next_attempt_at IS NULL OR (outcome = 'failed' AND dismissed_at IS NULL))`,
  );
  await knex.raw(
    `CREATE INDEX qbo_sync_log_retry_due ON qbo_sync_log (account_id, next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
  );
  await knex.raw(`CREATE INDEX qbo_sync_log_run ON qbo_sync_log (run_id)`);

  await knex.schema.alterTable('qbo_outbox', (t) => {
    t.timestamp('claimed_at', { useTz: true });
    t.timestamp('locked_until', { useTz: true });
    t.text('claimed_by');
  });
  await knex.raw(
    `ALTER TABLE qbo_outbox ADD CONSTRAINT qbo_outbox_claim_check
     CHECK ((status = 'processing') = (locked_until IS NOT NULL AND claimed_at IS NOT NULL))`,
  );
  // Claiming scans one account's due rows, never every account's backlog (a paused account's 200,000 rows).
  await knex.raw('DROP INDEX IF EXISTS qbo_outbox_due');
  await knex.raw(`CREATE INDEX qbo_outbox_due ON qbo_outbox (account_id, next_attempt_at) WHERE status = 'pending'`);
  await knex.raw(`CREATE INDEX qbo_outbox_leases ON qbo_outbox (account_id, locked_until) WHERE status = 'processing'`);
  await knex.raw(`CREATE INDEX qbo_outbox_done ON qbo_outbox (updated_at) WHERE status IN ('done', 'failed')`);

  await knex.schema.createTable('qbo_cdc_bookmarks', (t) => {
    t.text('account_id').notNullable();
    t.text('realm_id').notNullable();
    t.text('entity').notNullable();
    // QBO's own time (the CDC answer's `time`, or the query answer's before a full scan), as QBO wrote it.
    t.text('bookmark').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'entity']);
  });
  await knex.raw(`ALTER TABLE qbo_cdc_bookmarks ADD CONSTRAINT qbo_cdc_bookmarks_entity_check CHECK (entity ~ '^[A-Z][A-Za-z]{0,63}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qbo_cdc_bookmarks');
  await knex.raw('DROP INDEX IF EXISTS qbo_outbox_done');
  await knex.raw('DROP INDEX IF EXISTS qbo_outbox_leases');
  await knex.raw('DROP INDEX IF EXISTS qbo_outbox_due');
  await knex.raw(`CREATE INDEX qbo_outbox_due ON qbo_outbox (next_attempt_at) WHERE status = 'pending'`);
  await knex.raw('ALTER TABLE qbo_outbox DROP CONSTRAINT IF EXISTS qbo_outbox_claim_check');
  await knex.schema.alterTable('qbo_outbox', (t) => {
    t.dropColumn('claimed_by');
    t.dropColumn('locked_until');
    t.dropColumn('claimed_at');
  });
  await knex.raw('DROP INDEX IF EXISTS qbo_sync_log_run');
  await knex.raw('DROP INDEX IF EXISTS qbo_sync_log_retry_due');
  for (const c of ['qbo_sync_log_retry_check', 'qbo_sync_log_entity_check', 'qbo_sync_log_outcome_check']) {
    await knex.raw(`ALTER TABLE qbo_sync_log DROP CONSTRAINT IF EXISTS ${c}`);
  }
  await knex.schema.alterTable('qbo_sync_log', (t) => {
    for (const c of ['retried_at', 'dismissed_at', 'next_attempt_at', 'attempts', 'details', 'reason_code']) t.dropColumn(c);
  });
  await knex.raw('ALTER TABLE qbo_sync_runs DROP CONSTRAINT IF EXISTS qbo_sync_runs_finished_check');
  await knex.raw('ALTER TABLE qbo_sync_runs DROP CONSTRAINT IF EXISTS qbo_sync_runs_kind_check');
  await knex.schema.alterTable('qbo_sync_runs', (t) => {
    t.dropColumn('updated_at');
    t.dropColumn('phase');
    t.dropColumn('dry_run');
  });
  await knex.schema.dropTableIfExists('qbo_review');
}
