import { expect } from 'chai';
import { entityOf, faultCodes, startHarness, type RealmClient, type SandboxHarness } from './sandbox-api-harness';

describe('sandbox API: items, accounts and reference lists', function () {
  let h: SandboxHarness;
  let api: RealmClient;
  before(async () => {
    h = await startHarness();
  });
  beforeEach(() => {
    api = h.api(h.company().realmId);
  });
  after(async () => {
    await h.close();
  });

  it('ships the Intuit sandbox basics: item 1 Services, account 4 Undeposited Funds, CompanyInfo and Preferences', async () => {
    expect(entityOf((await api.get('/item/1')).body, 'Item')).to.include({ Name: 'Services', Type: 'Service' });
    expect(entityOf((await api.get('/account/4')).body, 'Account')).to.include({ Name: 'Undeposited Funds', AccountType: 'Other Current Asset' });
    const info = entityOf((await api.get(`/companyinfo/${api.realmId}`)).body, 'CompanyInfo');
    expect(info['Country']).to.equal('US');
    expect(info['NameValue']).to.deep.include({ Name: 'OfferingSku', Value: 'QuickBooks Online Plus' });
    const prefs = entityOf((await api.get('/preferences')).body, 'Preferences');
    expect(prefs['SalesFormsPrefs']).to.include({ CustomTxnNumbers: true });
    expect(prefs['CurrencyPrefs']).to.deep.include({ HomeCurrency: { value: 'USD' } });
    const gb = h.api(h.company({ country: 'GB', customTxnNumbers: false }).realmId);
    const gbPrefs = entityOf((await gb.get('/preferences')).body, 'Preferences');
    expect(gbPrefs['CurrencyPrefs']).to.deep.include({ HomeCurrency: { value: 'GBP' } });
    expect(entityOf((await api.get('/taxcode/TAX')).body, 'TaxCode')['Name']).to.equal('TAX');
    expect(entityOf((await api.get('/term/4')).body, 'Term')['Name']).to.equal('Net 30');
    expect(entityOf((await api.get('/paymentmethod/1')).body, 'PaymentMethod')['Name']).to.equal('Cash');
  });

  it('requires IncomeAccountRef for a Service item (2020), a unique Name (6240) of at most 100 characters (2050)', async () => {
    expect(faultCodes((await api.post('/item', { Name: 'Mowing', Type: 'Service' })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await api.post('/item', { Name: 'x'.repeat(101), Type: 'Service', IncomeAccountRef: { value: '1' } })).body)).to.deep.equal(['2050']);
    expect(faultCodes((await api.post('/item', { Name: 'a:b', Type: 'Service', IncomeAccountRef: { value: '1' } })).body)).to.deep.equal(['2040']);
    expect(faultCodes((await api.post('/item', { Name: 'Mowing', Type: 'Service', IncomeAccountRef: { value: '999' } })).body)).to.deep.equal(['2500']);
    const item = entityOf((await api.post('/item', { Name: 'Mowing', Type: 'Service', IncomeAccountRef: { value: '1' } })).body, 'Item');
    expect(item['IncomeAccountRef']).to.deep.equal({ value: '1', name: 'Services' });
    expect(faultCodes((await api.post('/item', { Name: 'MOWING', Type: 'Service', IncomeAccountRef: { value: '1' } })).body)).to.deep.equal(['6240']);
    expect(faultCodes((await api.post('/item', { Name: 'Bad type', Type: 'Bundle', IncomeAccountRef: { value: '1' } })).body)).to.deep.equal(['2170']);
  });

  it('makes items and accounts inactive with " (deleted)" instead of deleting them', async () => {
    const item = entityOf((await api.post('/item', { Name: 'Trimming', Type: 'Service', IncomeAccountRef: { value: '1' } })).body, 'Item');
    const off = entityOf((await api.post('/item', { Id: item['Id'], SyncToken: '0', sparse: true, Active: false })).body, 'Item');
    expect(off).to.include({ Name: 'Trimming (deleted)', Active: false, SyncToken: '1' });
    const account = entityOf((await api.post('/account', { Id: '5', SyncToken: '0', sparse: true, Active: false, Name: 'Fees Billed' })).body, 'Account');
    expect(account).to.include({ Name: 'Fees Billed (deleted)', Active: false, SyncToken: '1', Classification: 'Revenue' });
    const list = await api.query("select * from Item where Name = 'Trimming (deleted)'");
    expect(list.body['QueryResponse']).to.deep.equal({});
    const all = await api.query("select * from Item where Active IN (true, false) and Name LIKE 'Trim%'");
    expect((all.body['QueryResponse'] as { Item: unknown[] }).Item).to.have.length(1);
  });

  it('creates accounts with a known AccountType, classification derived', async () => {
    expect(faultCodes((await api.post('/account', { Name: 'No type' })).body)).to.deep.equal(['2020']);
    expect(faultCodes((await api.post('/account', { Name: 'Bad type', AccountType: 'Revenue' })).body)).to.deep.equal(['2170']);
    const acc = entityOf((await api.post('/account', { Name: 'Landscaping Income', AccountType: 'Income' })).body, 'Account');
    expect(acc).to.include({ Classification: 'Revenue', AccountSubType: 'ServiceFeeIncome', CurrentBalance: 0 });
    expect(faultCodes((await api.post('/account', { Name: 'landscaping income', AccountType: 'Income' })).body)).to.deep.equal(['6240']);
  });
});
