import { expect } from 'chai';
import crypto from 'node:crypto';
import { runBatch, type BatchItemRequest } from '../../plugin/qbo/batch';
import { createCustomer } from '../../plugin/qbo/entities/customer';
import { createInvoice, invoices, updateInvoice } from '../../plugin/qbo/entities/invoice';
import { itemSchema, items, updateItem } from '../../plugin/qbo/entities/item';
import { createPayment } from '../../plugin/qbo/entities/payment';
import { INVOICE_PAYMENT_TEXTS } from '../../plugin/messages';
import { mapInvoice, type InvoiceMappingInput, type MappedInvoice } from '../../plugin/sync/mappers/invoice-invoice';
import { mapPayment } from '../../plugin/sync/mappers/payment-payment';
import { completeItemIds, itemNamesToLookUp, resolveItems } from '../../plugin/sync/plan/item-resolution';
import { workInvoice, workLine, workPayment } from '../support/invoice-fixtures';
import { startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';
import type { WorkInvoice } from '../../plugin/host/work-records';

/** The rule modules' bodies as the sandbox (strict QBO) takes them: items, invoice create and update, payments, a non-US company. */
describe('invoice and payment bodies against the sandbox', () => {
  let h: SandboxClientHarness;
  let customerId: string;
  const key = (what: string) => `test:${what}:${crypto.randomUUID()}`;
  beforeEach(async () => {
    h = await startSandboxClient(await testKnex(), { timeScale: 600 });
    customerId = (await createCustomer(h.client, h.realmId, { DisplayName: `Bodies ${crypto.randomUUID().slice(0, 8)}` }, key('customer'))).Id;
  });
  afterEach(() => h.close());

  function mapped(invoice: WorkInvoice, overrides: Partial<InvoiceMappingInput> = {}): MappedInvoice {
    const result = mapInvoice({ invoice, customerId, itemIdByLineId: new Map(invoice.lines.map((l) => [l.id, '1'])), taxCodes: { mode: 'us' }, customTxnNumbers: true, ...overrides });
    if (!result.ok) throw new Error(result.refusal.code);
    return result.invoice;
  }

  it('creates each missing item once as a Service item with the chosen accounts, and finds them by name the next time', async () => {
    const workItems = new Map([
      ['w1', { id: 'w1', name: 'Boiler: annual service' }],
      ['w2', { id: 'w2', name: 'Boiler  annual service' }],
      ['w3', { id: 'w3', name: 'Filter' }],
    ]);
    const batch = [
      workInvoice({ id: 'i1', lines: [workLine({ id: 'a', itemId: 'w1' }), workLine({ id: 'b', position: 2, itemId: 'w3' })] }),
      workInvoice({ id: 'i2', lines: [workLine({ id: 'c', itemId: 'w2' }), workLine({ id: 'd', position: 2, itemId: null })] }),
    ];
    const lookUp = async (names: string[]) => {
      const found = [];
      for await (const item of items.queryAll(h.client, h.realmId, items.select().where('Name', 'IN', names).where('Active', 'IN', [true, false]))) found.push(item);
      return found;
    };
    const accounts = { incomeAccountId: '5', expenseAccountId: '10' };
    const names = itemNamesToLookUp({ invoices: batch, workItems, knownItemIds: new Map() });
    const first = resolveItems({ invoices: batch, workItems, knownItemIds: new Map(), qboItemsFound: await lookUp(names), accounts });
    expect(first.toCreate.map((c) => c.body.Name)).to.deep.equal(['Boiler annual service', 'Filter']);
    expect(first.itemIdByLineId.get('d')).to.equal('1'); // the company's own "Services"

    const requests: BatchItemRequest[] = first.toCreate.map((c, i) => ({ bId: `it${i}`, operation: 'create', entity: 'Item', payload: { ...c.body } }));
    const results = await runBatch(h.client, h.realmId, requests, key('items'));
    const created = new Map<string, string>();
    first.toCreate.forEach((c, i) => {
      const result = results.get(`it${i}`);
      if (!result?.ok) throw new Error('item create refused');
      const item = itemSchema.parse(result.body);
      expect([item.Type, item.IncomeAccountRef?.value, item.ExpenseAccountRef?.value]).to.deep.equal(['Service', '5', '10']);
      created.set(c.key, item.Id);
      for (const also of c.alsoFor) created.set(also, item.Id);
    });
    const ids = completeItemIds(first, created);
    expect(ids.get('a')).to.equal(ids.get('c'));
    expect(ids.size).to.equal(4);

    // Next run, nothing mapped yet (e.g. the mappings were lost): everything is found by name, nothing created.
    const again = resolveItems({ invoices: batch, workItems, knownItemIds: new Map(), qboItemsFound: await lookUp(names), accounts });
    expect(again.toCreate).to.deep.equal([]);
    expect(Object.fromEntries(again.itemIdByLineId)).to.deep.equal(Object.fromEntries(ids));
    expect(h.sandbox.store.all(h.realmId, 'Item').filter((i) => i['Name'] === 'Boiler annual service')).to.have.length(1);

    // The bookkeeper makes "Filter" inactive (QBO renames it "Filter (deleted)"; the name stays taken):
    // the lookup still finds it, and its lines wait with a reason instead of a create refused with 6240.
    const filterId = created.get('w3') ?? '';
    const filter = await items.read(h.client, h.realmId, filterId);
    await updateItem(h.client, h.realmId, { Id: filter.Id, SyncToken: filter.SyncToken }, { Active: false }, key('deactivate'));
    const third = resolveItems({ invoices: batch, workItems, knownItemIds: new Map(), qboItemsFound: await lookUp(names), accounts });
    expect(third.toCreate).to.deep.equal([]);
    expect(third.blocked.map((b) => [b.lineId, b.reason])).to.deep.equal([['b', 'item_inactive']]);
  });

  it('updates an invoice with a sparse body: lines replaced as a set, Work\'s new total in QBO', async () => {
    const work = workInvoice({ lines: [workLine({ id: 'a' }), workLine({ id: 'b', position: 2, quantity: '1', unitPrice: '10' })] });
    const created = await createInvoice(h.client, h.realmId, mapped(work).body, key('invoice'));
    const edited = workInvoice({ lines: [workLine({ id: 'a', quantity: '3' })] });
    const body = mapped(edited);
    expect(body.hash).not.to.equal(mapped(work).hash);
    const updated = await updateInvoice(h.client, h.realmId, { Id: created.Id, SyncToken: created.SyncToken }, body.body, key('update'));
    expect(updated.SyncToken).to.equal('1');
    expect(updated.Line.filter((l) => l.DetailType === 'SalesItemLineDetail').map((l) => l.Amount.toFixed(2))).to.deep.equal(['136.50']);
    expect(updated.TotalAmt.toFixed(2)).to.equal('136.50');
    expect(updated.DocNumber).to.equal('INV-1001');
  });

  it('applies a payment larger than its invoice up to the balance; the rest is a credit; deposited to the chosen account', async () => {
    const invoice = await createInvoice(h.client, h.realmId, mapped(workInvoice()).body, key('invoice'));
    expect(invoice.Balance?.toFixed(2)).to.equal('91.00');
    const result = mapPayment({ payment: workPayment({ amount: '100.00' }), customerId, invoice: { qboId: invoice.Id, openBalance: invoice.Balance ?? invoice.TotalAmt }, depositAccountId: '2', paymentMethodId: '2' });
    if (!result.ok) throw new Error(result.refusal.code);
    const payment = await createPayment(h.client, h.realmId, result.payment.body, key('payment'));
    expect([payment.TotalAmt.toFixed(2), payment.UnappliedAmt?.toFixed(2), payment.DepositToAccountRef?.value, payment.PaymentRefNum]).to.deep.equal(['100.00', '9.00', '2', 'CHK-1042']);
    const after = await invoices.read(h.client, h.realmId, invoice.Id);
    expect(after.Balance?.toFixed(2)).to.equal('0.00');
  });

  it('leaves numbering to a company with custom numbers off (CA), with its own tax codes; the log names both numbers', async () => {
    const ca = h.sandbox.store.listCompanies().find((c) => c.country === 'CA' && !c.customTxnNumbers);
    if (!ca) throw new Error('no CA company in the sandbox');
    const caCustomer = await createCustomer(h.client, ca.realmId, { DisplayName: `Maple ${crypto.randomUUID().slice(0, 8)}` }, key('ca-customer'));
    const work = workInvoice({ number: 'WORK-CA-1', lines: [workLine({ id: 'a', taxable: true }), workLine({ id: 'b', position: 2, taxable: false })] });
    const body = mapped(work, { customerId: caCustomer.Id, customTxnNumbers: false, taxCodes: { mode: 'codes', taxable: '5', nonTaxable: '2' } });
    expect(body.body.DocNumber).to.equal(undefined);
    const created = await createInvoice(h.client, ca.realmId, body.body, key('ca-invoice'));
    expect(created.DocNumber).to.match(/^\d+$/);
    expect(created.PrivateNote).to.equal('Work invoice WORK-CA-1');
    expect(created.TxnTaxDetail?.TotalTax?.toFixed(2)).to.equal('11.83'); // 13 % HST on 91.00
    expect(INVOICE_PAYMENT_TEXTS.numberedByQbo(body.docNumber.workNumber, created.DocNumber ?? '')).to.equal(
      `Work invoice WORK-CA-1 is invoice ${created.DocNumber ?? ''} in QuickBooks (QuickBooks numbers invoices itself in your company).`,
    );
  });
});
