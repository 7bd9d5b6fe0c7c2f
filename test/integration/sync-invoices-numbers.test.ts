import { expect } from 'chai';
import { logOf, syncNow, useSyncWorld } from './sync-support';
import { addInvoice, bookkeeper, invoiceAccount, line, mappingOf, outboxOf, qboInvoices } from './sync-invoices-support';

describe('sync: invoice numbers under both company settings', function () {
  this.timeout(60_000);
  const suite = useSyncWorld();

  it('custom transaction numbers on: Work\'s number is the DocNumber (a long one shortened), and a clash (6140) is found before the create and reported', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { customTxnNumbers: true, payments: false });
    // Someone else's invoice already holds "CLASH-1" in QuickBooks.
    const other = String(world.sandbox.control.objects(account.realmId, 'Customer')[0]?.['Id']);
    await bookkeeper(world, account.realmId, 'invoice', { CustomerRef: { value: other }, DocNumber: 'CLASH-1', Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 5 } }] });
    const plain = await addInvoice(world, account, [line('1', '10.0000')], { number: 'W-100' });
    const long = await addInvoice(world, account, [line('1', '11.0000')], { number: 'PROJECT-2026-NORTH-WING-0001' });
    const clash = await addInvoice(world, account, [line('1', '12.0000')], { number: 'CLASH-1' });
    const queries = () => world.sandbox.control.requests({ realmId: account.realmId }).filter((r) => r.path.endsWith('/query')).length;
    const before = queries();
    await syncNow(world, account.accountId, 'continuous');

    const ours = qboInvoices(world, account.realmId).filter((i) => String(i['PrivateNote'] ?? '').startsWith('Work invoice'));
    expect(ours).to.have.length(2);
    expect(ours.some((i) => i['DocNumber'] === 'W-100')).to.equal(true);
    const shortened = ours.find((i) => i['DocNumber'] !== 'W-100');
    expect(String(shortened?.['DocNumber'])).to.match(/^PROJECT-2026~[0-9a-f]{8}$/);
    expect(shortened?.['PrivateNote']).to.equal('Work invoice PROJECT-2026-NORTH-WING-0001');
    // Accounts, payment methods, one DocNumber lookup for the batch (and no item lookup: "Services" is known after the first).
    expect(queries() - before).to.be.at.most(4);

    const log = await logOf(world, account.accountId);
    const reported = log.find((e) => e.work_id === clash.id && e.reason_code === 'doc_number_clash');
    expect(reported?.fault_code).to.equal('6140');
    expect(reported?.reason).to.match(/^Invoice number CLASH-1 is already used by another invoice in QuickBooks \(\d+\)/);
    expect(await mappingOf(world, account.accountId, 'invoice', clash.id)).to.equal(undefined);
    expect((await outboxOf(world, account.accountId, 'invoice', clash.id)).map((r) => r.status)).to.deep.equal(['failed']);
    expect(log.some((e) => e.work_id === long.id && e.reason_code === 'invoice_doc_number_shortened')).to.equal(true);
    expect(log.some((e) => e.work_id === plain.id && e.outcome === 'created_in_qbo')).to.equal(true);
  });

  it('custom transaction numbers off: QBO numbers the invoice, no DocNumber is sent, and the log shows both numbers', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    const invoice = await addInvoice(world, account, [line('1', '10.0000')], { number: 'W-7' });
    await syncNow(world, account.accountId, 'continuous');
    const [qbo] = qboInvoices(world, account.realmId);
    expect(qbo?.['DocNumber']).to.be.a('string').and.not.equal('W-7');
    const entry = (await logOf(world, account.accountId)).find((e) => e.reason_code === 'invoice_numbered_by_qbo');
    expect(entry?.reason).to.equal(`Work invoice W-7 is invoice ${String(qbo?.['DocNumber'])} in QuickBooks (QuickBooks numbers invoices itself in your company).`);
    expect(entry?.details).to.deep.equal({ work: 'W-7', qbo: qbo?.['DocNumber'] });
    expect(entry?.work_id).to.equal(invoice.id);
  });
});
