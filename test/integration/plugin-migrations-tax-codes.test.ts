import { expect } from 'chai';
import { createScratchDatabase } from '../support/test-database';
import { migratePlugin, rollbackPlugin } from '../../plugin/persistence/migrate';

describe('plugin migrations: tax codes in the settings', () => {
  it('adds the taxable and non-taxable tax code columns to qbo_settings, and rolls back cleanly', async () => {
    const { knex } = await createScratchDatabase();
    await migratePlugin(knex);
    await knex('qbo_settings').insert({ account_id: 'a1', taxable_tax_code_qbo_id: '4', non_taxable_tax_code_qbo_id: '2' });
    const row = await knex('qbo_settings').where({ account_id: 'a1' }).first<{ taxable_tax_code_qbo_id: string; non_taxable_tax_code_qbo_id: string }>();
    expect([row.taxable_tax_code_qbo_id, row.non_taxable_tax_code_qbo_id]).to.deep.equal(['4', '2']);
    await rollbackPlugin(knex);
    const tables = await knex('pg_tables').where({ schemaname: 'public', tablename: 'qbo_settings' }).pluck<string[]>('tablename');
    expect(tables).to.deep.equal([]);
  });
});
