import { expect } from 'chai';
import { addClient, client, logOf, syncNow, useSyncWorld } from './sync-support';
import { addInvoice, addPayment, bookkeeper, DEPOSIT, invoiceAccount, line, mappingOf, outboxOf, qboInvoices, qboPayments, salesLines, updateInvoice } from './sync-invoices-support';

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
    expect(salesLines(created)).to.have.length(2);
    const customer = await mappingOf(world, account.accountId, 'client', account.client.id);
    expect((created?.['CustomerRef'] as { value: string }).value).to.equal(customer?.qbo_id);
    expect(created?.['PrivateNote']).to.equal(`Work invoice ${invoice.number}`);

    await updateInvoice(world, account, invoice, [line('3', '45.5000')]);
    await syncNow(world, account.accountId, 'continuous');
    const all = qboInvoices(world, account.realmId);
    expect(all).to.have.length(1);
    expect(all[0]?.['TotalAmt']).to.equal(136.5);
    expect(salesLines(all[0]).map((l) => [l.SalesItemLineDetail.Qty, l.SalesItemLineDetail.UnitPrice, l.Amount])).to.deep.equal([[3, 45.5, 136.5]]);
    expect(all[0]?.['SyncToken']).to.equal('1');
    expect((await mappingOf(world, account.accountId, 'invoice', invoice.id))?.qbo_sync_token).to.equal('1');

    const posts = world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length;
    await syncNow(world, account.accountId, 'manual');
    await world.work.models.invoices.update(account.accountId, invoice.id, { clientId: account.client.id, siteId: null, number: invoice.number, issueDate: invoice.issueDate, dueDate: invoice.dueDate, notes: null, taxRate: '8.25', lines: [line('3', '45.5000')] });
    await syncNow(world, account.accountId, 'continuous');
    expect(world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length, 'a payload equal to the last one sent is not sent').to.equal(posts);
    const log = await logOf(world, account.accountId);
    expect(log.map((e) => e.reason_code)).to.include.members(['invoice_created', 'invoice_updated', 'invoice_unchanged']);
    expect(log.find((e) => e.reason_code === 'invoice_numbered_by_qbo')?.reason).to.equal(`Work invoice ${invoice.number} is invoice ${String(created?.['DocNumber'])} in QuickBooks (QuickBooks numbers invoices itself in your company).`);
  });

  it('applies a payment to its invoice and deposits it to the chosen account, in the same run as the invoice', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const invoice = await addInvoice(world, account, [line('1', '100.0000')]);
    const payment = await addPayment(world, account, invoice.id, '60.00', { reference: 'CHK-1' });
    await syncNow(world, account.accountId, 'continuous');
    const [qboInvoice] = qboInvoices(world, account.realmId);
    const [qboPayment] = qboPayments(world, account.realmId);
    expect(qboPayment?.['TotalAmt']).to.equal(60);
    expect((qboPayment?.['DepositToAccountRef'] as { value: string }).value).to.equal(DEPOSIT);
    expect(qboPayment?.['PaymentRefNum']).to.equal('CHK-1');
    expect((qboPayment?.['PaymentMethodRef'] as { value: string }).value).to.equal('2'); // the company's "Check"
    const lines = qboPayment?.['Line'] as { Amount: number; LinkedTxn: { TxnId: string; TxnType: string }[] }[];
    expect(lines).to.have.length(1);
    expect(lines[0]?.Amount).to.equal(60);
    expect(lines[0]?.LinkedTxn[0]).to.deep.include({ TxnId: qboInvoice?.['Id'], TxnType: 'Invoice' });
    expect(qboInvoices(world, account.realmId)[0]?.['Balance']).to.equal(40);
    expect((await mappingOf(world, account.accountId, 'payment', payment.id))?.qbo_id).to.equal(qboPayment?.['Id']);
    // The order on the wire: the invoice's batch before the payment's.
    const batches = world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).filter((r) => r.path.endsWith('/batch'));
    expect(batches.length).to.be.greaterThanOrEqual(2);
  });

  it('never pushes an invoice or payment from before the switch was turned on, until it is changed', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    // Turn invoices off and on again: the moment moves, and this invoice is older than it.
    const past = await addInvoice(world, account, [line('1', '10.0000')]);
    await world.work.plugin.sync.updateInvoiceSettings(account.accountId, { invoicesEnabled: false });
    await new Promise((r) => setTimeout(r, 5));
    const on = await world.work.plugin.sync.updateInvoiceSettings(account.accountId, { invoicesEnabled: true });
    expect(on.status === 'saved' && on.settings.invoicesEnabledAt !== null && on.settings.invoicesEnabledAt > past.updatedAt).to.equal(true);
    await syncNow(world, account.accountId, 'continuous');
    await syncNow(world, account.accountId, 'manual');
    expect(qboInvoices(world, account.realmId)).to.have.length(0);
    expect((await logOf(world, account.accountId)).find((e) => e.work_id === past.id)?.reason_code).to.equal('before_invoice_sync');
    expect((await outboxOf(world, account.accountId, 'invoice', past.id)).map((r) => r.status)).to.deep.equal(['done']);

    await updateInvoice(world, account, past, [line('2', '10.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    expect(qboInvoices(world, account.realmId).map((i) => i['TotalAmt'])).to.deep.equal([20]);
  });

  it('finds items by name or creates each once as a Service item with the chosen income account, and remembers them', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    world.sandbox.control.bulkLoad(account.realmId, 'Item', [{ Name: 'Filter', Type: 'Service', Active: true, IncomeAccountRef: { value: '5' } }]);
    const filterId = String(world.sandbox.control.objects(account.realmId, 'Item').find((i) => i['Name'] === 'Filter')?.['Id']);
    const mk = (name: string) => world.work.models.items.create(account.accountId, { name, description: null, sku: null, kind: 'service', unitPrice: '1.0000', taxable: false, active: true });
    const filter = await mk('filter');
    const boiler = await mk('Boiler: annual service');
    const boiler2 = await mk('Boiler  annual service');
    await addInvoice(world, account, [line('1', '5.0000', { itemId: filter.id }), line('1', '80.0000', { itemId: boiler.id }), line('1', '1.0000')]);
    await addInvoice(world, account, [line('1', '80.0000', { itemId: boiler2.id })]);
    await syncNow(world, account.accountId, 'continuous');
    await addInvoice(world, account, [line('1', '80.0000', { itemId: boiler.id }), line('2', '5.0000', { itemId: filter.id })]);
    const queriesBefore = world.sandbox.control.requests({ realmId: account.realmId }).filter((r) => r.path.endsWith('/query')).length;
    await syncNow(world, account.accountId, 'continuous');

    const items = world.sandbox.control.objects(account.realmId, 'Item');
    const created = items.filter((i) => i['Name'] === 'Boiler annual service');
    expect(created).to.have.length(1);
    expect([created[0]?.['Type'], (created[0]?.['IncomeAccountRef'] as { value: string }).value]).to.deep.equal(['Service', '1']);
    expect(items.filter((i) => String(i['Name']).toLowerCase() === 'filter')).to.have.length(1);
    const invoices = qboInvoices(world, account.realmId);
    expect(invoices).to.have.length(3);
    const itemIds = invoices.flatMap((i) => salesLines(i).map((l) => l.SalesItemLineDetail.ItemRef.value));
    expect(new Set(itemIds)).to.deep.equal(new Set([filterId, String(created[0]?.['Id']), '1']));
    const mappings = await world.knex('qbo_mappings').where({ account_id: account.accountId, entity: 'item' }).orderBy('work_id').select('work_id', 'qbo_id');
    expect(mappings.map((m: { work_id: string }) => m.work_id)).to.deep.equal(['name:boiler annual service', 'name:filter', 'name:services']);
    // The third invoice's items were all remembered: no item lookup (only the run's accounts and payment methods).
    const itemQueries = world.sandbox.control.requests({ realmId: account.realmId }).filter((r) => r.path.endsWith('/query')).length - queriesBefore;
    expect(itemQueries).to.equal(2);
  });

  it('makes an invoice wait for its client and a payment for its invoice, then sends them in dependency order', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const nameless = await addClient(world, account.accountId, client(null));
    const invoice = await world.work.models.invoices.create(account.accountId, { clientId: nameless.id, siteId: null, number: 'WAIT-1', issueDate: '2026-11-20', dueDate: null, notes: null, taxRate: '8.25', lines: [line('1', '50.0000')] });
    const payment = await world.work.models.payments.create(account.accountId, { clientId: nameless.id, invoiceId: invoice.id, amount: '50.00', paidOn: '2026-11-25', method: null, reference: null });
    await syncNow(world, account.accountId, 'continuous');
    expect(qboInvoices(world, account.realmId)).to.have.length(0);
    const log = await logOf(world, account.accountId);
    expect(log.find((e) => e.entity === 'invoice' && e.work_id === invoice.id)).to.deep.include({ outcome: 'blocked', reason_code: 'client_not_linked' });
    expect(log.find((e) => e.entity === 'payment' && e.work_id === payment.id)).to.deep.include({ outcome: 'blocked', reason_code: 'invoice_not_pushed' });
    expect((await outboxOf(world, account.accountId, 'invoice', invoice.id)).map((r) => r.status)).to.deep.equal(['pending']);

    await world.work.models.clients.update(account.accountId, nameless.id, { companyName: 'Named Later Ltd' });
    const since = Math.max(...world.sandbox.control.requests({ realmId: account.realmId }).map((r) => r.seq));
    await syncNow(world, account.accountId, 'manual');
    const [qboInvoice] = qboInvoices(world, account.realmId);
    expect(qboInvoice?.['Balance']).to.equal(0);
    expect(qboPayments(world, account.realmId)).to.have.length(1);
    const writes = world.sandbox.control.requests({ realmId: account.realmId, method: 'POST', sinceSeq: since }).filter((r) => r.seq > since);
    const order = writes.map((r) => (r.path.endsWith('/batch') ? `batch:${r.batchSize ?? 0}` : r.path.split('/').pop()));
    expect(order.length, JSON.stringify(order)).to.equal(3); // customer, invoice, payment: one batch each, in this order
    const customers = world.sandbox.control.objects(account.realmId, 'Customer').filter((c) => c['DisplayName'] === 'Named Later Ltd');
    expect((qboInvoice?.['CustomerRef'] as { value: string }).value).to.equal(customers[0]?.['Id']);
  });

  it('an edited payment makes a new QBO payment and the log names both; deleted records are never deleted in QBO', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const invoice = await addInvoice(world, account, [line('1', '100.0000')]);
    const payment = await addPayment(world, account, invoice.id, '30.00');
    const gone = await addPayment(world, account, invoice.id, '10.00');
    await syncNow(world, account.accountId, 'continuous');
    const [first] = qboPayments(world, account.realmId).filter((p) => p['TotalAmt'] === 30);
    await world.work.models.payments.update(account.accountId, payment.id, { clientId: account.client.id, invoiceId: invoice.id, amount: '35.00', paidOn: '2026-11-26', method: 'Check', reference: null });
    await world.work.models.payments.delete(account.accountId, gone.id);
    const lonely = await addInvoice(world, account, [line('1', '7.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    await world.work.models.invoices.delete(account.accountId, lonely.id);
    await syncNow(world, account.accountId, 'continuous');

    const payments = qboPayments(world, account.realmId);
    expect(payments.map((p) => p['TotalAmt']).sort()).to.deep.equal([10, 30, 35]);
    const second = payments.find((p) => p['TotalAmt'] === 35);
    expect(qboInvoices(world, account.realmId).map((i) => i['TotalAmt']).sort()).to.deep.equal([100, 7]);
    const log = await logOf(world, account.accountId);
    const edited = log.find((e) => e.reason_code === 'payment_edited');
    expect(edited?.reason).to.equal(`Payment ${payment.id} was changed in Work, so a new payment (${String(second?.['Id'])}) was recorded in QuickBooks. Payments are never edited through the sync: remove the earlier payment (${String(first?.['Id'])}) in QuickBooks by hand.`);
    expect(log.find((e) => e.entity === 'payment' && e.work_id === gone.id && e.reason_code === 'deleted_in_work')?.level).to.equal('warning');
    expect(log.find((e) => e.entity === 'invoice' && e.work_id === lonely.id && e.reason_code === 'deleted_in_work')?.reason).to.match(/never copied to QuickBooks/);
    expect((await mappingOf(world, account.accountId, 'payment', payment.id))?.qbo_id).to.equal(second?.['Id']);
  });

  it('re-reads a stale invoice (5010) and sends it once more; a voided or deleted QBO invoice is reported and never retried', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    const a = await addInvoice(world, account, [line('1', '10.0000')]);
    const b = await addInvoice(world, account, [line('1', '20.0000')]);
    const c = await addInvoice(world, account, [line('1', '30.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    const byTotal = (t: number) => qboInvoices(world, account.realmId).find((i) => i['TotalAmt'] === t) ?? {};
    const qa = byTotal(10);
    await bookkeeper(world, account.realmId, 'invoice', { Id: qa['Id'], SyncToken: qa['SyncToken'], sparse: true, CustomerMemo: { value: 'edited in QBO' } });
    const qb = byTotal(20);
    await bookkeeper(world, account.realmId, 'invoice', { Id: qb['Id'], SyncToken: qb['SyncToken'] }, '&operation=void');
    const qc = byTotal(30);
    await bookkeeper(world, account.realmId, 'invoice', { Id: qc['Id'], SyncToken: qc['SyncToken'] }, '&operation=delete');

    await updateInvoice(world, account, a, [line('1', '11.0000')]);
    await updateInvoice(world, account, b, [line('1', '21.0000')]);
    await updateInvoice(world, account, c, [line('1', '31.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    expect(qboInvoices(world, account.realmId).find((i) => i['Id'] === qa['Id'])?.['TotalAmt']).to.equal(11);
    const log = await logOf(world, account.accountId);
    expect(log.some((e) => e.work_id === a.id && e.reason_code === 'stale_retried')).to.equal(true);
    for (const inv of [b, c]) {
      const entry = log.find((e) => e.work_id === inv.id && e.outcome === 'reported');
      expect(entry?.reason_code, JSON.stringify(log.filter((e) => e.work_id === inv.id).map((e) => [e.outcome, e.reason_code, e.fault_code, e.reason]))).to.equal('qbo_object_gone');
      expect((await outboxOf(world, account.accountId, 'invoice', inv.id)).map((r) => r.status)).to.deep.equal(['done', 'done']);
    }
    // Later edits are not sent to a voided or deleted invoice: logged, no call.
    const posts = world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length;
    await updateInvoice(world, account, b, [line('1', '22.0000')]);
    await syncNow(world, account.accountId, 'continuous');
    expect(world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length).to.equal(posts);
    expect((await logOf(world, account.accountId)).filter((e) => e.work_id === b.id && e.reason_code === 'qbo_object_gone')).to.have.length(2);
    // The voided one stays voided (0), the deleted one deleted: neither was recreated.
    expect(qboInvoices(world, account.realmId).map((i) => `${String(i['TotalAmt'])}${i['status'] === 'Deleted' ? ' deleted' : ''}`).sort()).to.deep.equal(['0', '11', '30 deleted']);
  });

  it('a lost answer never duplicates: the batch stays open, the record waits, and the next run re-sends it verbatim', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world);
    const invoice = await addInvoice(world, account, [line('1', '75.0000')]);
    const payment = await addPayment(world, account, invoice.id, '75.00');
    // Every answer to the invoice batch is lost after QBO applied it, more times than the client retries.
    world.sandbox.control.armFault({ kind: 'drop-after-write', path: '/batch$', realmId: account.realmId, count: 20 });
    await syncNow(world, account.accountId, 'continuous');
    world.sandbox.control.clearFaults();
    expect(qboInvoices(world, account.realmId)).to.have.length(1); // applied, answer lost
    expect(await mappingOf(world, account.accountId, 'invoice', invoice.id)).to.equal(undefined);
    const log = await logOf(world, account.accountId);
    expect(log.find((e) => e.work_id === invoice.id && e.entity === 'invoice')?.reason_code).to.equal('push_waits_for_qbo');
    expect(log.find((e) => e.work_id === payment.id && e.entity === 'payment')?.reason_code).to.equal('invoice_not_pushed');
    expect(await world.knex('qbo_write_batches').where({ account_id: account.accountId, state: 'open' })).to.have.length(1);

    await syncNow(world, account.accountId, 'manual');
    expect(qboInvoices(world, account.realmId)).to.have.length(1);
    expect((await mappingOf(world, account.accountId, 'invoice', invoice.id))?.qbo_id).to.equal(qboInvoices(world, account.realmId)[0]?.['Id']);
    expect(qboPayments(world, account.realmId)).to.have.length(1);
    expect(qboInvoices(world, account.realmId)[0]?.['Balance']).to.equal(0);
    expect(await world.knex('qbo_write_batches').where({ account_id: account.accountId, state: 'open' })).to.have.length(0);
  });

  it('a chunk whose outcome stays unknown stops the layer: later chunks are not sent, and the next run finishes with each invoice once', async () => {
    const { world } = suite;
    const account = await invoiceAccount(world, { payments: false });
    for (let i = 0; i < 45; i += 1) await addInvoice(world, account, [line('1', `${i + 1}.0000`)]);
    const since = Math.max(...world.sandbox.control.requests({ realmId: account.realmId }).map((r) => r.seq));
    world.sandbox.control.armFault({ kind: 'drop-after-write', path: '/batch$', realmId: account.realmId, count: 20 });
    await syncNow(world, account.accountId, 'continuous');
    world.sandbox.control.clearFaults();
    const sent = world.sandbox.control.requests({ realmId: account.realmId, method: 'POST', sinceSeq: since }).filter((r) => r.seq > since && r.path.endsWith('/batch'));
    const requestIds = new Set(sent.map((r) => r.requestid));
    expect(requestIds.size, 'one chunk sent (and re-sent with its own requestid), the second held back').to.equal(1);
    expect(qboInvoices(world, account.realmId)).to.have.length(30);

    await syncNow(world, account.accountId, 'continuous');
    await syncNow(world, account.accountId, 'manual');
    const totals = qboInvoices(world, account.realmId).map((i) => Number(i['TotalAmt'])).sort((a, b) => a - b);
    expect(totals).to.deep.equal(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(await world.knex('qbo_mappings').where({ account_id: account.accountId, entity: 'invoice' })).to.have.length(45);
  });
});
