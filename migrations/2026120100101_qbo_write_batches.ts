import type { Knex } from 'knex';

/**
 * Durable batch writes. A batch call is committed here (its exact wire body, its requestid and which record
 * each item writes) BEFORE it is sent, so a batch whose answer was lost is re-sent verbatim, with the same
 * requestid, instead of being re-formed from new content under a new requestid (which QuickBooks would apply
 * a second time). One member row per batch item names the caller's record ("subject", e.g. "client:42").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_write_batches', (t) => {
    t.bigIncrements('id').primary();
    t.text('realm_id').notNullable();
    t.text('account_id').notNullable();
    t.text('lane').notNullable();
    t.text('request_id').notNullable();
    // The body exactly as sent (text, not jsonb: jsonb would reorder keys and could reformat numbers).
    t.text('body').notNullable();
    t.text('body_sha256').notNullable();
    t.text('state').notNullable().defaultTo('open');
    t.text('error_code');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.unique(['realm_id', 'request_id']);
  });
  await knex.raw(
    `ALTER TABLE qbo_write_batches ADD CONSTRAINT qbo_write_batches_state_check
     CHECK ((state = 'open' AND closed_at IS NULL) OR (state IN ('answered', 'rejected') AND closed_at IS NOT NULL))`,
  );
  await knex.raw(
    `ALTER TABLE qbo_write_batches ADD CONSTRAINT qbo_write_batches_request_id_length
     CHECK (char_length(request_id) BETWEEN 1 AND 36)`,
  );
  await knex.raw(`CREATE INDEX qbo_write_batches_open ON qbo_write_batches (realm_id, id) WHERE state = 'open'`);
  await knex.raw(`CREATE INDEX qbo_write_batches_closed ON qbo_write_batches (closed_at) WHERE closed_at IS NOT NULL`);

  await knex.schema.createTable('qbo_write_batch_members', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('batch_id').notNullable().references('id').inTable('qbo_write_batches').onDelete('CASCADE');
    t.text('realm_id').notNullable();
    t.text('b_id').notNullable();
    t.text('subject').notNullable();
    t.text('operation').notNullable();
    t.text('entity').notNullable();
    t.text('state').notNullable().defaultTo('open');
    t.text('qbo_id');
    t.text('error_code');
    t.timestamp('resolved_at', { useTz: true });
    t.unique(['batch_id', 'b_id']);
  });
  await knex.raw(
    `ALTER TABLE qbo_write_batch_members ADD CONSTRAINT qbo_write_batch_members_state_check
     CHECK ((state = 'open' AND resolved_at IS NULL) OR (state IN ('applied', 'rejected', 'unknown') AND resolved_at IS NOT NULL))`,
  );
  // One unresolved write per record: a record is never in two open batches at once.
  await knex.raw(
    `CREATE UNIQUE INDEX qbo_write_batch_members_one_open_per_subject
     ON qbo_write_batch_members (realm_id, subject) WHERE state = 'open'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qbo_write_batch_members');
  await knex.schema.dropTableIfExists('qbo_write_batches');
}
