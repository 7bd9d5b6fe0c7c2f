import { expect } from 'chai';
import { logOf, syncNow, useSyncWorld } from './sync-support';
import { addInvoice, invoiceAccount, line, qboInvoices, salesLines } from './sync-invoices-support';

describe('sync: invoice reconciliation (Work total beside QBO TotalAmt from the write\'s own answer)', function () {
  this.timeout(60_000);
  const suite = useSyncWorld();

  it('the FAQ case: three taxed lines of 0.3333 are 1.08 in Work and 1.07 in QBO, a 1-cent difference rounding explains', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    const invoice = await addInvoice(world, account, [1, 2, 3].map(() => line('1', '0.3333', { taxable: true })));
    expect(invoice.total).to.match(/^1\.0823917/);
    const readsBefore = world.sandbox.control.requests({ realmId: account.realmId, method: 'GET' }).filter((r) => /\/invoice\//.test(r.path)).length;
    await syncNow(world, account.accountId, 'continuous');
    const [qbo] = qboInvoices(world, account.realmId);
    expect(qbo?.['TotalAmt']).to.equal(1.07);
    expect(salesLines(qbo).map((l) => [l.SalesItemLineDetail.Qty, l.SalesItemLineDetail.UnitPrice, l.Amount, l.SalesItemLineDetail.TaxCodeRef.value])).to.deep.equal([1, 2, 3].map(() => [1, 0.3333, 0.33, 'TAX']));
    // Never a second read: the figures come from the create's answer.
    expect(world.sandbox.control.requests({ realmId: account.realmId, method: 'GET' }).filter((r) => /\/invoice\//.test(r.path)).length).to.equal(readsBefore);

    const differences = await world.work.plugin.sync.invoiceDifferences(account.accountId);
    expect(differences).to.deep.equal([
      {
        workInvoiceId: invoice.id,
        qboInvoiceId: qbo?.['Id'],
        workTotal: '1.0823917500',
        qboTotal: '1.07',
        differenceCents: '-1',
        explainableCents: '2',
        explained: true,
        explanation:
          "The QuickBooks total differs from Work's by -1 cent(s). This comes from rounding: Work taxes each line's unrounded amount (up to 4 decimals), while QuickBooks rounds each line to the cent and taxes the invoice total, rounded to 2 decimals.",
      },
    ]);
    expect((await logOf(world, account.accountId)).find((e) => e.reason_code === 'totals_differ_rounding')?.details).to.deep.include({ workTotal: '1.08239175', qboTotal: '1.07', differenceCents: '-1' });
  });

  it('taxed and untaxed lines with 4-decimal prices: QBO taxes the rounded taxable lines once; +1 cent, explained', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    const invoice = await addInvoice(world, account, [line('2.5', '19.9999', { taxable: true }), line('1', '10.0050'), line('3', '0.3333', { taxable: true })]);
    await syncNow(world, account.accountId, 'continuous');
    const [qbo] = qboInvoices(world, account.realmId);
    // Lines 50.00 + 10.01 + 1.00 = 61.01; tax 8.25 % of 51.00 = 4.2075 → 4.21; total 65.22. Work: 65.212121125 → 65.21.
    expect(salesLines(qbo).map((l) => l.Amount)).to.deep.equal([50, 10.01, 1]);
    expect(qbo?.['TotalAmt']).to.equal(65.22);
    const row = await world.knex('qbo_invoice_reconciliation').where({ account_id: account.accountId, work_invoice_id: invoice.id }).first();
    expect([row.work_total, row.qbo_total, row.qbo_tax, row.difference_cents, row.explained]).to.deep.equal(['65.2121211250', '65.22', '4.21', '1.00', true]);
  });

  it('flags a difference rounding cannot explain (Work taxes at 10 %, QBO at its own 8.25 %)', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    await addInvoice(world, account, [line('1', '100.0000', { taxable: true })], { taxRate: '10' });
    await syncNow(world, account.accountId, 'continuous');
    const [difference] = await world.work.plugin.sync.invoiceDifferences(account.accountId);
    expect([difference?.workTotal, difference?.qboTotal, difference?.differenceCents, difference?.explained]).to.deep.equal(['110.0000000000', '108.25', '-175', false]);
    expect(difference?.explanation).to.match(/more than rounding can explain .*tax rate/);
    const entry = (await logOf(world, account.accountId)).find((e) => e.reason_code === 'totals_differ_unexplained');
    expect(entry?.level).to.equal('warning');
  });
});
