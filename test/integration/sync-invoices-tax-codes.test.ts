import { expect } from 'chai';
import { addClient, client, newSyncAccount, syncNow, useSyncWorld } from './sync-support';
import { addInvoice, line, qboInvoices, salesLines } from './sync-invoices-support';

describe('sync: invoices of a company outside the US carry the tax codes chosen in the settings', function () {
  this.timeout(60_000);
  const suite = useSyncWorld();

  it('needs both codes before invoice sync can be on, then puts them on the taxable and non-taxable lines', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world, 'Maple Books', { country: 'CA' });
    const c = await addClient(world, account.accountId, client('Maple Client'));
    await syncNow(world, account.accountId, 'onboarding');
    const sync = world.work.plugin.sync;
    const missing = await sync.updateInvoiceSettings(account.accountId, { invoicesEnabled: true, incomeAccountId: '1' });
    expect(missing.status === 'invalid' ? missing.errors.map((e) => `${e.field}:${e.code}`) : missing.status).to.deep.equal(['taxableTaxCodeId:tax_code_missing', 'nonTaxableTaxCodeId:tax_code_missing']);
    const saved = await sync.updateInvoiceSettings(account.accountId, { invoicesEnabled: true, incomeAccountId: '1', taxableTaxCodeId: '4', nonTaxableTaxCodeId: '2' });
    expect(saved.status).to.equal('saved');
    await new Promise((r) => setTimeout(r, 5));
    await addInvoice(world, { ...account, client: c }, [line('1', '100.0000', { taxable: true }), line('1', '20.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    const [invoice] = qboInvoices(world, account.realmId);
    expect(salesLines(invoice).map((l) => [l.Amount, l.SalesItemLineDetail.TaxCodeRef.value])).to.deep.equal([
      [100, '4'],
      [20, '2'],
    ]);
  });
});
