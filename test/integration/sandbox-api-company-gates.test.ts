import { expect } from 'chai';
import type { QboObject } from '../../dev/qbo-sandbox/contracts';
import { entityOf, faultCodes, startHarness, type RealmClient, type SandboxHarness } from './sandbox-api-harness';

/** Company-wide refusals: a read-only subscription (6190) and closed books (6210). */
describe('sandbox API: company gates', function () {
  let h: SandboxHarness;
  let api: RealmClient;
  let customerId: string;

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });
  beforeEach(async () => {
    api = h.api(h.company().realmId);
    customerId = String(entityOf((await api.post('/customer', { DisplayName: 'Gatekeeper' })).body, 'Customer')['Id']);
  });

  /** Replace the company's singleton object the way the control API's bulk load does. */
  function reload(entity: 'CompanyInfo' | 'Preferences', change: (o: QboObject) => void): void {
    const current = h.store.get(api.realmId, entity, '1');
    if (!current) throw new Error(`${entity} missing`);
    const copy = structuredClone(current.object);
    change(copy);
    h.store.bulkLoad(api.realmId, entity, [copy]);
  }

  const invoiceBody = (txnDate: string) => ({
    CustomerRef: { value: customerId },
    TxnDate: txnDate,
    Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 10 } }],
  });

  it('refuses every write with 6190 once the subscription is cancelled, and still answers reads', async () => {
    reload('CompanyInfo', (info) => {
      info['NameValue'] = [
        { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
        { Name: 'SubscriptionStatus', Value: 'CANCELLED' },
      ];
    });
    const created = await api.post('/customer', { DisplayName: 'After the end' });
    expect(created.status).to.equal(400);
    expect(faultCodes(created.body)).to.deep.equal(['6190']);
    expect(created.text).to.include('QuickBooks Online Plus');
    const invoice = await api.post('/invoice', invoiceBody('2026-11-01'));
    expect(faultCodes(invoice.body)).to.deep.equal(['6190']);
    expect((await api.get(`/customer/${customerId}`)).status).to.equal(200);
    const names = h.store.all(api.realmId, 'Customer').map((c) => c['DisplayName']);
    expect(names).not.to.include('After the end');
  });

  it('refuses invoices dated on or before the book close date with 6210, and accepts later ones', async () => {
    reload('Preferences', (prefs) => {
      prefs['AccountingInfoPrefs'] = { ...(prefs['AccountingInfoPrefs'] as object), BookCloseDate: '2026-10-31' };
    });
    const closed = await api.post('/invoice', invoiceBody('2026-10-31'));
    expect(closed.status).to.equal(400);
    expect(faultCodes(closed.body)).to.deep.equal(['6210']);
    const open = await api.post('/invoice', invoiceBody('2026-11-01'));
    expect(open.status, open.text).to.equal(200);
    const invoice = entityOf(open.body, 'Invoice');
    // Moving an open invoice into the closed period is refused too.
    const moved = await api.post('/invoice', { Id: invoice['Id'], SyncToken: invoice['SyncToken'], sparse: true, TxnDate: '2026-10-15' });
    expect(faultCodes(moved.body)).to.deep.equal(['6210']);
    expect(h.store.all(api.realmId, 'Invoice').filter((i) => i['TxnDate'] === '2026-10-31')).to.have.length(0);
  });

  it('refuses deleting or voiding a transaction in the closed period', async () => {
    const invoice = entityOf((await api.post('/invoice', invoiceBody('2026-09-15'))).body, 'Invoice');
    reload('Preferences', (prefs) => {
      prefs['AccountingInfoPrefs'] = { BookCloseDate: '2026-09-30' };
    });
    const ref = { Id: invoice['Id'], SyncToken: invoice['SyncToken'] };
    expect(faultCodes((await api.post('/invoice?operation=delete', ref)).body)).to.deep.equal(['6210']);
    expect(faultCodes((await api.post('/invoice?operation=void', ref)).body)).to.deep.equal(['6210']);
    expect((await api.get(`/invoice/${String(invoice['Id'])}`)).status).to.equal(200);
  });
});
