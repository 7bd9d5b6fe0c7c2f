import type { Knex } from 'knex';

/**
 * A write intent remembers the request it stands for, not only its key (issue 14, defects 2 and 3): the body
 * as sent and its sha256 (the same key with a different body is refused, never answered with the old
 * response), the path and query (so a restarted process can re-send an open intent verbatim), and the
 * caller's record ("subject"), of which only one write may be unresolved at a time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('qbo_write_intents', (t) => {
    t.text('subject');
    t.jsonb('segments');
    t.jsonb('query');
    t.text('body');
    t.text('body_sha256');
    t.text('kind');
  });
  await knex.raw(
    `CREATE UNIQUE INDEX qbo_write_intents_one_open_per_subject
     ON qbo_write_intents (realm_id, subject) WHERE outcome IS NULL AND subject IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS qbo_write_intents_one_open_per_subject');
  await knex.schema.alterTable('qbo_write_intents', (t) => {
    for (const column of ['subject', 'segments', 'query', 'body', 'body_sha256', 'kind']) t.dropColumn(column);
  });
}
