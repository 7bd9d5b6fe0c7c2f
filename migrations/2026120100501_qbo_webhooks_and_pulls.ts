import type { Knex } from 'knex';

/**
 * QuickBooks' webhooks and the CDC pulls they ask for. Each event is kept once (Intuit retries a delivery
 * it thinks failed, and a replayed body must not count twice); a pull request is one row per account, so a
 * flood of events for one company becomes one pull, whichever web process received them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_webhook_events', (t) => {
    t.bigIncrements('id').primary();
    // legacy: realm|entity|id|operation|lastUpdated; CloudEvents: the event's own id. Unique: replays are dropped.
    t.text('dedupe_key').notNullable().unique();
    t.text('format').notNullable();
    t.text('realm_id').notNullable();
    // Null while the realm belongs to no connected Work account (stored, ignored, replayable later).
    t.text('account_id');
    t.text('status').notNullable();
    t.text('entity').notNullable();
    t.text('entity_id').notNullable();
    t.text('operation').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['account_id', 'received_at']);
    t.index(['received_at']);
    t.index(['realm_id', 'received_at']);
  });
  await knex.raw(`ALTER TABLE qbo_webhook_events ADD CONSTRAINT qbo_webhook_events_format_check CHECK (format IN ('legacy', 'cloudevents'))`);
  await knex.raw(
    `ALTER TABLE qbo_webhook_events ADD CONSTRAINT qbo_webhook_events_status_check
     CHECK ((status = 'accepted' AND account_id IS NOT NULL) OR (status = 'unknown_realm' AND account_id IS NULL))`,
  );

  await knex.schema.createTable('qbo_pull_requests', (t) => {
    t.text('account_id').primary();
    t.text('reason').notNullable();
    // First request of the pending window, the latest one, and how many were folded into this pull.
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.timestamp('last_requested_at', { useTz: true }).notNullable();
    t.integer('request_count').notNullable().defaultTo(1);
    t.timestamp('due_at', { useTz: true }).notNullable();
    // A claim is a lease: a worker that dies holding it lets it go when locked_until passes.
    t.text('claimed_by');
    t.timestamp('claimed_at', { useTz: true });
    t.timestamp('locked_until', { useTz: true });
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.index(['due_at']);
  });
  await knex.raw(
    `ALTER TABLE qbo_pull_requests ADD CONSTRAINT qbo_pull_requests_claim_check
     CHECK ((claimed_by IS NULL) = (claimed_at IS NULL) AND (claimed_at IS NULL) = (locked_until IS NULL))`,
  );
  await knex.raw(`ALTER TABLE qbo_pull_requests ADD CONSTRAINT qbo_pull_requests_count_check CHECK (request_count >= 1)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qbo_pull_requests');
  await knex.schema.dropTableIfExists('qbo_webhook_events');
}
