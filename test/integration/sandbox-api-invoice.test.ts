import { expect } from 'chai';
import { entityOf, faultCodes, startHarness, type RealmClient, type SandboxHarness } from './sandbox-api-harness';

type Json = Record<string, unknown>;

const salesLine = (amount: unknown, detail: Json = {}): Json => ({
  Amount: amount,
  DetailType: 'SalesItemLineDetail',
  SalesItemLineDetail: { ItemRef: { value: '1' }, ...detail },
});

describe('sandbox API: invoices', function () {
  let h: SandboxHarness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  async function realmWithCustomer(options: Parameters<SandboxHarness['company']>[0] = {}): Promise<{ api: RealmClient; customerId: string }> {
    const api = h.api(h.company(options).realmId);
    const res = await api.post('/customer', { DisplayName: 'Invoice Customer', BillAddr: { Line1: '1 Main St', City: 'Tucson' } });
    return { api, customerId: String(entityOf(res.body, 'Customer')['Id']) };
  }

  it('computes TotalAmt and Balance with exact decimals and adds the SubTotalLineDetail line', async () => {
    const { api, customerId } = await realmWithCustomer();
    const res = await api.post('/invoice', {
      CustomerRef: { value: customerId },
      DocNumber: 'W-1',
      Line: [salesLine(0.1, { Qty: 1, UnitPrice: 0.1 }), salesLine(0.2, { Qty: 2, UnitPrice: 0.1 }), salesLine(10.01, { Qty: 3, UnitPrice: 3.3367 })],
    });
    expect(res.status, res.text).to.equal(200);
    const inv = entityOf(res.body, 'Invoice');
    expect(inv['TotalAmt']).to.equal(10.31);
    expect(inv['Balance']).to.equal(10.31);
    const lines = inv['Line'] as Json[];
    expect(lines).to.have.length(4);
    expect(lines[3]).to.deep.equal({ Amount: 10.31, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} });
    expect((lines[0]?.['SalesItemLineDetail'] as Json)['TaxCodeRef']).to.deep.equal({ value: 'NON' });
    expect(inv['CustomerRef']).to.deep.equal({ value: customerId, name: 'Invoice Customer' });
    expect(inv['BillAddr']).to.include({ Line1: '1 Main St' });
    expect(inv['DocNumber']).to.equal('W-1');
    expect(inv['DueDate']).to.be.a('string');
  });

  it('refuses an Amount that is not round(Qty × UnitPrice, 2) exactly (6070)', async () => {
    const { api, customerId } = await realmWithCustomer();
    for (const [amount, qty, price] of [[10, 3, 3.3367], [10.02, 3, 3.3367], [0.31, 3, 0.1]]) {
      const res = await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(amount, { Qty: qty, UnitPrice: price })] });
      expect(faultCodes(res.body), `${String(amount)}`).to.deep.equal(['6070']);
    }
  });

  it('checks Amount against the exact product, not one rounded to 20 digits', async () => {
    // 10000098.9041097 × 123.4567 = 1234579210.37499999999…: rounding the product to 20 digits first would
    // make it …210.375 and refuse the correct Amount.
    const { api, customerId } = await realmWithCustomer();
    const line = salesLine(1234579210.37, { Qty: 10000098.9041097, UnitPrice: 123.4567 });
    const res = await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [line] });
    expect(res.status, res.text).to.equal(200);
    expect(entityOf(res.body, 'Invoice')['TotalAmt']).to.equal(1234579210.37);
    const off = await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(1234579210.38, { Qty: 10000098.9041097, UnitPrice: 123.4567 })] });
    expect(faultCodes(off.body)).to.deep.equal(['6070']);
  });

  it('requires CustomerRef, a line and its Amount (2020), and an existing, active customer (2500, 610)', async () => {
    const { api, customerId } = await realmWithCustomer();
    expect(faultCodes((await api.post('/invoice', { Line: [salesLine(1)] })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [] })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [{ DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: '99999' }, Line: [salesLine(1)] })).body)).to.deep.equal(['2500']);
    await api.post('/customer', { Id: customerId, SyncToken: '0', sparse: true, Active: false });
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(1)] })).body)).to.deep.equal(['610']);
    expect(faultCodes((await api.post('/invoice', { BadJson: true })).body)).to.deep.equal(['2010']);
  });

  it('takes only TAX or NON as a US line tax code (6100), real codes elsewhere', async () => {
    const { api, customerId } = await realmWithCustomer();
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(5, { TaxCodeRef: { value: '2' } })] })).body)).to.deep.equal(['6100']);
    const ok = await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(5, { TaxCodeRef: { value: 'TAX' } })] });
    expect(ok.status, ok.text).to.equal(200);
    const ca = await realmWithCustomer({ country: 'CA' });
    expect(faultCodes((await ca.api.post('/invoice', { CustomerRef: { value: ca.customerId }, Line: [salesLine(5, { TaxCodeRef: { value: 'TAX' } })] })).body)).to.deep.equal(['2500']);
    expect(faultCodes((await ca.api.post('/invoice', { CustomerRef: { value: ca.customerId }, Line: [salesLine(5)] })).body)).to.deep.equal(['6000']);
    const caOk = await ca.api.post('/invoice', { CustomerRef: { value: ca.customerId }, Line: [salesLine(5, { TaxCodeRef: { value: '4' } })] });
    expect(caOk.status, caOk.text).to.equal(200);
  });

  it('taxes the sum of the lines per tax code, rounded once, as QBO does (not line by line)', async () => {
    const { api, customerId } = await realmWithCustomer();
    const taxed = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [0.1, 0.1, 0.1].map((a) => salesLine(a, { TaxCodeRef: { value: 'TAX' } })).concat([salesLine(1)]) })).body, 'Invoice');
    // 0.30 × 8.25 % = 0.02475 → 0.02; taxing each line first would give 3 × 0.01.
    expect(taxed['TxnTaxDetail']).to.deep.include({ TotalTax: 0.02 });
    expect(taxed['TotalAmt']).to.equal(1.32);
    expect(taxed['Balance']).to.equal(1.32);
    const ca = await realmWithCustomer({ country: 'CA' });
    const gst = entityOf((await ca.api.post('/invoice', { CustomerRef: { value: ca.customerId }, Line: [salesLine(100, { TaxCodeRef: { value: '4' } }), salesLine(10, { TaxCodeRef: { value: '2' } })] })).body, 'Invoice');
    expect(gst).to.include({ TotalAmt: 115, GlobalTaxCalculation: 'TaxExcluded' });
    const inclusive = entityOf((await ca.api.post('/invoice', { CustomerRef: { value: ca.customerId }, GlobalTaxCalculation: 'TaxInclusive', Line: [salesLine(105, { TaxCodeRef: { value: '4' } })] })).body, 'Invoice');
    expect(inclusive).to.include({ TotalAmt: 105 });
    expect(inclusive['TxnTaxDetail']).to.deep.include({ TotalTax: 5 });
    expect(faultCodes((await ca.api.post('/invoice', { CustomerRef: { value: ca.customerId }, GlobalTaxCalculation: 'Sometimes', Line: [salesLine(1, { TaxCodeRef: { value: '4' } })] })).body)).to.deep.equal(['2170']);
  });

  it('refuses a negative total and dates that are not YYYY-MM-DD', async () => {
    const { api, customerId } = await realmWithCustomer();
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(-5)] })).body)).to.deep.equal(['6000']);
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customerId }, TxnDate: '25/11/2026', Line: [salesLine(5)] })).body)).to.deep.equal(['2010']);
    const dated = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, TxnDate: '2026-01-31', Line: [salesLine(5)] })).body, 'Invoice');
    expect(dated).to.include({ TxnDate: '2026-01-31', DueDate: '2026-03-02' });
  });

  it('enforces DocNumber: at most 21 characters, duplicates 6140 unless allowduplicatedocnum', async () => {
    const { api, customerId } = await realmWithCustomer({ customTxnNumbers: true });
    const body = (doc: string) => ({ CustomerRef: { value: customerId }, DocNumber: doc, Line: [salesLine(1)] });
    expect(faultCodes((await api.post('/invoice', body('x'.repeat(22)))).body)).to.deep.equal(['2050']);
    expect((await api.post('/invoice', body('y'.repeat(21)))).status).to.equal(200);
    expect(faultCodes((await api.post('/invoice', body('y'.repeat(21)))).body)).to.deep.equal(['6140']);
    expect((await api.post('/invoice?include=allowduplicatedocnum', body('y'.repeat(21)))).status).to.equal(200);
    const none = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(1)] })).body, 'Invoice');
    expect(none).to.not.have.property('DocNumber');
    const auto = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, AutoDocNumber: true, Line: [salesLine(1)] })).body, 'Invoice');
    expect(auto['DocNumber']).to.equal('1001');
  });

  it('numbers invoices itself when custom transaction numbers are off, keeping a sent number apart from its sequence', async () => {
    const { api, customerId } = await realmWithCustomer({ customTxnNumbers: false });
    const create = async (extra: Json = {}, query = '') => api.post(`/invoice${query}`, { CustomerRef: { value: customerId }, Line: [salesLine(1)], ...extra });
    const first = entityOf((await create()).body, 'Invoice');
    const sent = entityOf((await create({ DocNumber: '1003' })).body, 'Invoice');
    const second = entityOf((await create()).body, 'Invoice');
    expect([first['DocNumber'], sent['DocNumber'], second['DocNumber']]).to.deep.equal(['1001', '1003', '1002']);
    // The sent 1003 did not move the sequence, so QBO's own next number repeats it (Intuit's "unwanted duplicates").
    expect(entityOf((await create()).body, 'Invoice')['DocNumber']).to.equal('1003');
    expect(faultCodes((await create({ DocNumber: '1001' })).body)).to.deep.equal(['6140']);
    expect((await create({ DocNumber: '1001' }, '?include=allowduplicatedocnum')).status).to.equal(200);
    const kept = entityOf((await api.post('/invoice', { Id: first['Id'], SyncToken: '0', CustomerRef: { value: customerId }, Line: [salesLine(2)] })).body, 'Invoice');
    expect(kept['DocNumber']).to.equal('1001');
    const renumbered = entityOf((await api.post('/invoice', { Id: first['Id'], SyncToken: '1', sparse: true, DocNumber: 'A-7' })).body, 'Invoice');
    expect(renumbered['DocNumber']).to.equal('A-7');
    const other = await realmWithCustomer({ customTxnNumbers: false });
    const elsewhere = await other.api.post('/invoice', { CustomerRef: { value: other.customerId }, Line: [salesLine(1)] });
    expect(entityOf(elsewhere.body, 'Invoice')['DocNumber'], 'each company has its own sequence').to.equal('1001');
  });

  it('replaces lines as a set on update and recomputes totals', async () => {
    const { api, customerId } = await realmWithCustomer();
    const inv = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(1), salesLine(2)] })).body, 'Invoice');
    const updated = entityOf((await api.post('/invoice', { Id: inv['Id'], SyncToken: '0', sparse: true, Line: [salesLine(7.5)] })).body, 'Invoice');
    expect(updated['TotalAmt']).to.equal(7.5);
    expect(updated['Line']).to.have.length(2);
    expect(updated['SyncToken']).to.equal('1');
  });

  it('deletes an invoice as recorded, and later writes and reads get 610', async () => {
    const { api, customerId } = await realmWithCustomer();
    const inv = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(1)] })).body, 'Invoice');
    const stale = await api.post('/invoice?operation=delete', { Id: inv['Id'], SyncToken: '3' });
    expect(faultCodes(stale.body)).to.deep.equal(['5010']);
    const del = await api.post('/invoice?operation=delete', { Id: inv['Id'], SyncToken: '0' });
    expect(del.body['Invoice']).to.deep.equal({ domain: 'QBO', status: 'Deleted', Id: inv['Id'] });
    expect(faultCodes((await api.post('/invoice?operation=delete', { Id: inv['Id'], SyncToken: '0' })).body)).to.deep.equal(['610']);
    expect(faultCodes((await api.post('/invoice', { Id: inv['Id'], SyncToken: '0', sparse: true, PrivateNote: 'x' })).body)).to.deep.equal(['610']);
    expect(faultCodes((await api.get(`/invoice/${String(inv['Id'])}`)).body)).to.deep.equal(['610']);
  });

  it('voids an invoice as recorded: amounts zeroed, PrivateNote "Voided", SyncToken + 1; later updates refused', async () => {
    const { api, customerId } = await realmWithCustomer();
    const inv = entityOf((await api.post('/invoice', { CustomerRef: { value: customerId }, Line: [salesLine(100)] })).body, 'Invoice');
    const voided = entityOf((await api.post('/invoice?operation=void', { Id: inv['Id'], SyncToken: '0' })).body, 'Invoice');
    expect(voided).to.include({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided', SyncToken: '1' });
    expect((voided['Line'] as Json[]).map((l) => l['Amount'])).to.deep.equal([0, 0]);
    const later = await api.post('/invoice', { Id: inv['Id'], SyncToken: '1', sparse: true, PrivateNote: 'again' });
    expect(later.status).to.equal(400);
    expect(faultCodes(later.body)).to.deep.equal(['6000']);
  });
});
