import { expect } from 'chai';
import { logOf, syncNow, useSyncWorld } from './sync-support';
import { addInvoice, addPayment, DEPOSIT, invoiceAccount, line, mappingOf, qboInvoices, qboPayments } from './sync-invoices-support';

describe('sync: invoices and payments pushed to QuickBooks', function () {
  this.timeout(60_000);
  const suite = useSyncWorld();

  it('creates an invoice, updates it with its lines replaced as a set, and sends nothing when unchanged', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const invoice = await addInvoice(world, account, [line('2', '45.5000'), line('1', '10.0000', { description: 'Parts' })]);
    await syncNow(world, account.accountId, 'continuous');
    const [created] = qboInvoices(world, account.realmId);
    expect(created?.['TotalAmt']).to.equal(101);
    expect((created?.['Line'] as unknown[]).filter((l) => (l as { DetailType: string }).DetailType === 'SalesItemLineDetail')).to.have.length(2);
    const customer = await mappingOf(world, account.accountId, 'client', account.client.id);
    expect((created?.['CustomerRef'] as { value: string }).value).to.equal(customer?.qbo_id);

    await world.work.models.invoices.update(account.accountId, invoice.id, {
      clientId: account.client.id, siteId: null, number: invoice.number, issueDate: invoice.issueDate, dueDate: invoice.dueDate, notes: null, taxRate: '8.25',
      lines: [line('3', '45.5000')],
    });
    await syncNow(world, account.accountId, 'continuous');
    const all = qboInvoices(world, account.realmId);
    expect(all).to.have.length(1);
    const updated = all[0] ?? {};
    expect(updated['TotalAmt']).to.equal(136.5);
    expect((updated['Line'] as unknown[]).filter((l) => (l as { DetailType: string }).DetailType === 'SalesItemLineDetail')).to.have.length(1);
    expect(updated['SyncToken']).to.equal('1');

    const posts = world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length;
    await syncNow(world, account.accountId, 'manual');
    expect(world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length).to.equal(posts);
    const log = await logOf(world, account.accountId);
    expect(log.some((e) => e.entity === 'invoice' && e.outcome === 'created_in_qbo')).to.equal(true);
    expect(log.some((e) => e.entity === 'invoice' && e.outcome === 'updated_in_qbo')).to.equal(true);
    expect(log.some((e) => e.reason_code === 'invoice_numbered_by_qbo' && e.reason.includes(invoice.number))).to.equal(true);
  });

  it('applies a payment to its invoice and deposits it to the chosen account, in the same run as the invoice', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const invoice = await addInvoice(world, account, [line('1', '100.0000')]);
    await addPayment(world, account, invoice.id, '60.00');
    await syncNow(world, account.accountId, 'continuous');
    const [qboInvoice] = qboInvoices(world, account.realmId);
    const [payment] = qboPayments(world, account.realmId);
    expect(payment?.['TotalAmt']).to.equal(60);
    expect((payment?.['DepositToAccountRef'] as { value: string }).value).to.equal(DEPOSIT);
    const lines = payment?.['Line'] as { Amount: number; LinkedTxn: { TxnId: string; TxnType: string }[] }[];
    expect(lines[0]?.LinkedTxn[0]).to.deep.include({ TxnId: qboInvoice?.['Id'], TxnType: 'Invoice' });
    expect(qboInvoices(world, account.realmId)[0]?.['Balance']).to.equal(40);
  });
});
