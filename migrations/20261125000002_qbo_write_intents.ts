import type { Knex } from 'knex';

/**
 * One row per QuickBooks write the plugin intends to make: the requestid is chosen and committed here
 * before the first send and reused on every retry, so a write whose response was lost is never applied
 * twice (QBO answers a repeated requestid with the original response). Keyed by realm and the caller's
 * operation key, independent of the Work account, because idempotency is per QuickBooks company.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_write_intents', (t) => {
    t.bigIncrements('id').primary();
    t.text('realm_id').notNullable();
    t.text('op_key').notNullable();
    t.text('request_id').notNullable();
    t.text('outcome');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.unique(['realm_id', 'op_key']);
    t.unique(['realm_id', 'request_id']);
  });
  // QBO accepts requestid up to 50 characters (36 on batch calls); we send UUIDs.
  await knex.raw(
    `ALTER TABLE qbo_write_intents ADD CONSTRAINT qbo_write_intents_request_id_length
     CHECK (char_length(request_id) BETWEEN 1 AND 36)`,
  );
  await knex.raw(
    `ALTER TABLE qbo_write_intents ADD CONSTRAINT qbo_write_intents_outcome_check
     CHECK ((outcome IS NULL AND completed_at IS NULL)
         OR (outcome IN ('applied', 'rejected') AND completed_at IS NOT NULL))`,
  );
  await knex.raw(`CREATE INDEX qbo_write_intents_completed ON qbo_write_intents (completed_at) WHERE completed_at IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('qbo_write_intents');
}
