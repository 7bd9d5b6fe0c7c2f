import type { Knex } from 'knex';

/**
 * Connecting to QuickBooks: single-use OAuth states bound to the admin's browser session and account, and
 * what the token store needs on qbo_connections (why a connection needs a reconnect, when it was last used,
 * the company's preferences read at connect time).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('qbo_oauth_states', (t) => {
    t.bigIncrements('id').primary();
    // Only a SHA-256 of the state is kept: a database reader cannot finish someone else's sign-in.
    t.text('state_hash').notNullable().unique();
    t.text('account_id').notNullable();
    t.text('session_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.index(['account_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE qbo_oauth_states ADD CONSTRAINT qbo_oauth_states_expiry_check CHECK (expires_at > created_at)`,
  );

  await knex.schema.alterTable('qbo_connections', (t) => {
    t.text('needs_reconnect_reason');
    t.timestamp('needs_reconnect_at', { useTz: true });
    t.jsonb('company_prefs');
  });
  // A connection that needs a reconnect always says why; one that does not, never carries a stale reason.
  await knex.raw(
    `ALTER TABLE qbo_connections ADD CONSTRAINT qbo_connections_reconnect_reason_check
     CHECK ((status = 'needs_reconnect') = (needs_reconnect_reason IS NOT NULL))`,
  );
  // A usable connection always has both tokens; a disconnected one keeps none.
  await knex.raw(
    `ALTER TABLE qbo_connections ADD CONSTRAINT qbo_connections_tokens_check
     CHECK ((status = 'disconnected') = (refresh_token_enc IS NULL))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE qbo_connections DROP CONSTRAINT IF EXISTS qbo_connections_tokens_check');
  await knex.raw('ALTER TABLE qbo_connections DROP CONSTRAINT IF EXISTS qbo_connections_reconnect_reason_check');
  await knex.schema.alterTable('qbo_connections', (t) => {
    t.dropColumn('company_prefs');
    t.dropColumn('needs_reconnect_at');
    t.dropColumn('needs_reconnect_reason');
  });
  await knex.schema.dropTableIfExists('qbo_oauth_states');
}
