import { expect } from 'chai';
import type { Knex } from 'knex';
import { generate, SIZES } from '../../bench/data/generator';
import { loadQbo } from '../../bench/data/load-qbo';
import { loadWork } from '../../bench/data/load-work';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { testKnex, truncateAll } from '../support/test-database';

describe('bench data loaders', () => {
  const data = generate('S');

  describe('Work side into the stand-in’s tables', () => {
    let knex: Knex;

    // The run's shared database, emptied (every new database costs a checkpoint to drop at the end).
    before(async () => {
      knex = await testKnex();
      await truncateAll();
    });

    it('inserts every generated row, with the stand-in’s per-line tax, and later saves get fresh ids', async () => {
      const loaded = await loadWork(knex, data);
      const count = async (table: string): Promise<number> => Number((await knex(table).count<{ n: string }[]>({ n: '*' }).first())?.n);
      expect(await count('clients')).to.equal(SIZES.S.workClients);
      expect(await count('sites')).to.equal(SIZES.S.workSites);
      expect(await count('invoices')).to.equal(SIZES.S.invoices);
      expect(await count('invoice_lines')).to.equal(data.work.invoices.reduce((n, inv) => n + inv.lines.length, 0));
      expect(await count('payments')).to.equal(SIZES.S.payments);
      expect(loaded.rows.invoice_lines).to.equal(await count('invoice_lines'));
      // A hostile name arrives byte for byte.
      const tabbed = data.work.clients.find((c) => c.companyName?.includes('\t'));
      expect((await knex('clients').where({ id: tabbed?.ref }).first<{ company_name: string }>())?.company_name).to.equal(tabbed?.companyName);
      const taxed = await knex('invoice_lines').where('taxable', true).andWhere('tax_rate', '>', 0).first<{ quantity: string; unit_price: string; tax_rate: string; tax_amount: string }>();
      expect(taxed).to.not.equal(undefined);
      if (taxed) expect(Number(taxed.tax_amount)).to.be.closeTo((Number(taxed.quantity) * Number(taxed.unit_price) * Number(taxed.tax_rate)) / 100, 1e-6);
      const [fresh] = await knex('clients').insert({ account_id: loaded.accountId, company_name: 'After the load' }).returning<{ id: string }[]>('id');
      expect(Number(fresh?.id)).to.equal(SIZES.S.workClients + 1);
    });

    it('refuses a table that already has rows, saying so, and adds nothing', async () => {
      const before = Number((await knex('clients').count<{ n: string }[]>({ n: '*' }).first())?.n);
      let error: unknown;
      await loadWork(knex, data).catch((e: unknown) => (error = e));
      expect(String(error)).to.contain('loadWork needs an empty clients table');
      expect(Number((await knex('clients').count<{ n: string }[]>({ n: '*' }).first())?.n)).to.equal(before);
      expect(Number((await knex('accounts').count<{ n: string }[]>({ n: '*' }).first())?.n)).to.equal(1);
    });
  });

  describe('QuickBooks side into a sandbox company', () => {
    let sandbox: RunningSandbox;

    before(async () => {
      sandbox = await startSandbox();
    });
    after(async () => {
      await sandbox.close();
    });

    it('bulk-loads customers, sub-customers under their parents and items without making an API call', () => {
      const realmId = sandbox.defaultRealmId;
      const loaded = loadQbo(sandbox.control, realmId, data);
      const customers = sandbox.store.all(realmId, 'Customer');
      expect(customers).to.have.length(SIZES.S.qboCustomers);
      const byId = new Map(customers.map((c) => [String(c['Id']), c]));
      const subs = customers.filter((c) => c['Job'] === true);
      expect(subs).to.have.length(SIZES.S.qboSubCustomers);
      for (const sub of subs) {
        const parent = byId.get(String((sub['ParentRef'] as { value: string }).value));
        expect(sub['FullyQualifiedName']).to.equal(`${String(parent?.['DisplayName'])}:${String(sub['DisplayName'])}`);
      }
      expect(loaded.customerIdByClientRef.size).to.equal(SIZES.S.qboMatching);
      expect(loaded.itemIdByRef.size).to.equal(SIZES.S.items);
      expect(sandbox.control.requestCounts(realmId).calls).to.equal(0);
    });
  });
});
