import { expect } from 'chai';
import { createScratchDatabase } from '../support/test-database';
import { migratePlugin, rollbackPlugin, PLUGIN_MIGRATIONS_TABLE } from '../../plugin/persistence/migrate';

describe('plugin migrations', () => {
  it('create the qbo_ tables in their own migrations table, and roll back cleanly', async () => {
    const { knex } = await createScratchDatabase();
    await migratePlugin(knex);
    await migratePlugin(knex); // idempotent
    const tables = await knex('pg_tables').where({ schemaname: 'public' }).pluck<string[]>('tablename');
    for (const t of ['qbo_connections', 'qbo_settings', 'qbo_mappings', 'qbo_outbox', 'qbo_sync_runs', 'qbo_sync_log', PLUGIN_MIGRATIONS_TABLE]) {
      expect(tables).to.include(t);
    }
    expect(tables).not.to.include('knex_migrations');
    await rollbackPlugin(knex);
    const after = await knex('pg_tables').where({ schemaname: 'public' }).pluck<string[]>('tablename');
    expect(after.filter((t) => t.startsWith('qbo_') && t !== PLUGIN_MIGRATIONS_TABLE && !t.startsWith(`${PLUGIN_MIGRATIONS_TABLE}`))).to.deep.equal([]);
  });

  it('allow only one pending outbox row per record', async () => {
    const { knex } = await createScratchDatabase();
    await migratePlugin(knex);
    const row = { account_id: '1', entity: 'client', record_id: '7', action: 'created' };
    await knex('qbo_outbox').insert(row);
    const err = await knex('qbo_outbox').insert(row).then(() => null, (e: Error) => e);
    expect(err?.message).to.match(/qbo_outbox_one_pending_per_record/);
    await knex('qbo_outbox').insert({ ...row, status: 'done' });
  });
});
