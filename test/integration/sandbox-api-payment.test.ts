import { expect } from 'chai';
import { entityOf, faultCodes, startHarness, type RealmClient, type SandboxHarness } from './sandbox-api-harness';

type Json = Record<string, unknown>;

describe('sandbox API: payments', function () {
  let h: SandboxHarness;
  let api: RealmClient;
  let customerId: string;
  let invoice: Json;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });
  beforeEach(async () => {
    api = h.api(h.company().realmId);
    customerId = String(entityOf((await api.post('/customer', { DisplayName: 'Payer' })).body, 'Customer')['Id']);
    invoice = entityOf((await api.post('/invoice', {
      CustomerRef: { value: customerId },
      Line: [{ Amount: 100.1, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1.3, UnitPrice: 77 } }],
    })).body, 'Invoice');
  });

  const pay = (amount: number, applied: number | undefined, extra: Json = {}) =>
    api.post('/payment', {
      CustomerRef: { value: customerId },
      TotalAmt: amount,
      ...(applied === undefined ? {} : { Line: [{ Amount: applied, LinkedTxn: [{ TxnId: invoice['Id'], TxnType: 'Invoice' }] }] }),
      ...extra,
    });
  const readInvoice = async () => entityOf((await api.get(`/invoice/${String(invoice['Id'])}`)).body, 'Invoice');

  it('applies to the invoice: its Balance drops, it links the payment and gets a new SyncToken', async () => {
    const res = await pay(60.05, 60.05);
    expect(res.status, res.text).to.equal(200);
    const payment = entityOf(res.body, 'Payment');
    expect(payment).to.include({ TotalAmt: 60.05, UnappliedAmt: 0 });
    expect(payment['DepositToAccountRef']).to.deep.equal({ value: '4', name: 'Undeposited Funds' });
    const inv = await readInvoice();
    expect(inv['Balance']).to.equal(40.05);
    expect(inv['SyncToken']).to.equal('1');
    expect(inv['LinkedTxn']).to.deep.equal([{ TxnId: payment['Id'], TxnType: 'Payment' }]);
  });

  it('keeps an unapplied remainder and refuses applying more than the payment or the open balance', async () => {
    const partial = entityOf((await pay(50, 20)).body, 'Payment');
    expect(partial['UnappliedAmt']).to.equal(30);
    expect(faultCodes((await pay(10, 20)).body)).to.deep.equal(['6000']);
    expect(faultCodes((await pay(200, 80.11)).body)).to.deep.equal(['6000']);
    expect((await pay(200, 80.1)).status).to.equal(200);
    expect((await readInvoice())['Balance']).to.equal(0);
  });

  it('requires TotalAmt and CustomerRef (2020) and a Bank or Other Current Asset deposit account (6430)', async () => {
    expect(faultCodes((await api.post('/payment', { CustomerRef: { value: customerId } })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await api.post('/payment', { TotalAmt: 5 })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await pay(5, undefined, { DepositToAccountRef: { value: '1' } })).body)).to.deep.equal(['6430']);
    expect(faultCodes((await pay(5, undefined, { DepositToAccountRef: { value: '7' } })).body)).to.deep.equal(['6430']);
    const checking = entityOf((await pay(5, undefined, { DepositToAccountRef: { value: '2' } })).body, 'Payment');
    expect(checking['DepositToAccountRef']).to.deep.equal({ value: '2', name: 'Checking' });
  });

  it('refuses applying to another customer\'s invoice or a deleted one', async () => {
    const other = String(entityOf((await api.post('/customer', { DisplayName: 'Other payer' })).body, 'Customer')['Id']);
    expect(faultCodes((await api.post('/payment', { CustomerRef: { value: other }, TotalAmt: 1, Line: [{ Amount: 1, LinkedTxn: [{ TxnId: invoice['Id'], TxnType: 'Invoice' }] }] })).body)).to.deep.equal(['6000']);
    await api.post('/invoice?operation=delete', { Id: invoice['Id'], SyncToken: '0' });
    expect(faultCodes((await pay(1, 1)).body)).to.deep.equal(['610']);
  });

  it('voids with operation=update&include=void: amounts zeroed and the invoice balance restored', async () => {
    const payment = entityOf((await pay(100.1, 100.1)).body, 'Payment');
    const res = await api.post('/payment?operation=update&include=void', { Id: payment['Id'], SyncToken: '0', sparse: true });
    const voided = entityOf(res.body, 'Payment');
    expect(voided).to.include({ TotalAmt: 0, PrivateNote: 'Voided', SyncToken: '1' });
    expect((await readInvoice())['Balance']).to.equal(100.1);
  });

  it('deletes as recorded for transactions and restores the invoice balance', async () => {
    const payment = entityOf((await pay(30, 30)).body, 'Payment');
    const res = await api.post('/payment?operation=delete', { Id: payment['Id'], SyncToken: '0' });
    expect(res.body['Payment']).to.deep.equal({ domain: 'QBO', status: 'Deleted', Id: payment['Id'] });
    expect((await readInvoice())['Balance']).to.equal(100.1);
  });

  it('refuses to change a deposited payment (6540)', async () => {
    const payment = entityOf((await pay(30, 30)).body, 'Payment');
    h.store.markDeposited(api.realmId, String(payment['Id']));
    expect(faultCodes((await api.post('/payment', { Id: payment['Id'], SyncToken: '0', sparse: true, PrivateNote: 'x' })).body)).to.deep.equal(['6540']);
    expect(faultCodes((await api.post('/payment?operation=delete', { Id: payment['Id'], SyncToken: '0' })).body)).to.deep.equal(['6540']);
  });

  it('refuses deleting an invoice that has payments applied, or moving it to another customer', async () => {
    await pay(30, 30);
    const inv = await readInvoice();
    expect(faultCodes((await api.post('/invoice?operation=delete', { Id: inv['Id'], SyncToken: inv['SyncToken'] })).body)).to.deep.equal(['6000']);
    const other = String(entityOf((await api.post('/customer', { DisplayName: 'Someone else' })).body, 'Customer')['Id']);
    expect(faultCodes((await api.post('/invoice', { Id: inv['Id'], SyncToken: inv['SyncToken'], sparse: true, CustomerRef: { value: other } })).body)).to.deep.equal(['6000']);
    expect(faultCodes((await api.post('/invoice', { Id: inv['Id'], SyncToken: inv['SyncToken'], sparse: true, Line: [{ Amount: 29.99, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body)).to.deep.equal(['6000']);
  });

  it('keeps the customer Balance (open invoices minus unapplied payments) and the parent\'s BalanceWithJobs, without a new SyncToken', async () => {
    const readCustomer = async (id: string) => entityOf((await api.get(`/customer/${id}`)).body, 'Customer');
    expect(await readCustomer(customerId)).to.include({ Balance: 100.1, BalanceWithJobs: 100.1, SyncToken: '0' });
    await pay(70, 60);
    expect(await readCustomer(customerId)).to.include({ Balance: 30.1, BalanceWithJobs: 30.1, SyncToken: '0' });
    const site = String(entityOf((await api.post('/customer', { DisplayName: 'Payer Site', Job: true, ParentRef: { value: customerId } })).body, 'Customer')['Id']);
    await api.post('/invoice', { CustomerRef: { value: site }, Line: [{ Amount: 5.05, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] });
    expect(await readCustomer(site)).to.include({ Balance: 5.05, BalanceWithJobs: 5.05 });
    expect(await readCustomer(customerId)).to.include({ Balance: 30.1, BalanceWithJobs: 35.15 });
  });

  it('refuses voiding a payment twice or updating a voided one', async () => {
    const payment = entityOf((await pay(10, 10)).body, 'Payment');
    await api.post('/payment?operation=update&include=void', { Id: payment['Id'], SyncToken: '0', sparse: true });
    expect(faultCodes((await api.post('/payment?operation=update&include=void', { Id: payment['Id'], SyncToken: '1', sparse: true })).body)).to.deep.equal(['6000']);
    expect(faultCodes((await api.post('/payment', { Id: payment['Id'], SyncToken: '1', sparse: true, PrivateNote: 'x' })).body)).to.deep.equal(['6000']);
  });
});
