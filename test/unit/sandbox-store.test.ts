import { expect } from 'chai';
import { SandboxClock } from '../../dev/qbo-sandbox/clock';
import { SandboxStore } from '../../dev/qbo-sandbox/store/sandbox-store';

describe('sandbox store', () => {
  const store = () => new SandboxStore({ clock: new SandboxClock() });

  it('seeds a company like an Intuit sandbox company, by country', () => {
    const s = store();
    const us = s.createCompany({ companyName: 'US Co', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: true });
    expect(us.realmId).to.match(/^\d+$/);
    const items = s.all(us.realmId, 'Item');
    expect(items.find((i) => i['Id'] === '1')).to.include({ Name: 'Services', Type: 'Service' });
    const accounts = s.all(us.realmId, 'Account');
    expect(accounts.find((a) => a['Id'] === '4')).to.include({ Name: 'Undeposited Funds', AccountType: 'Other Current Asset' });
    for (const type of ['Bank', 'Income', 'Expense', 'Accounts Receivable', 'Other Current Asset']) {
      expect(accounts.some((a) => a['AccountType'] === type), type).to.equal(true);
    }
    expect(s.all(us.realmId, 'TaxCode').map((t) => t['Id'])).to.include.members(['TAX', 'NON']);
    expect(s.all(us.realmId, 'PaymentMethod').map((p) => p['Name'])).to.include.members(['Cash', 'Check']);
    expect(s.all(us.realmId, 'Term').map((t) => t['Name'])).to.include('Net 30');
    expect(s.all(us.realmId, 'Vendor').some((v) => v['Active'] === false)).to.equal(true);
    expect(s.all(us.realmId, 'Employee').length).to.be.greaterThan(0);
    const ca = s.createCompany({ companyName: 'CA Co', country: 'CA', offeringSku: 'QuickBooks Online Essentials', customTxnNumbers: false, seed: false });
    expect(s.all(ca.realmId, 'TaxCode').map((t) => t['Id'])).to.not.include('TAX');
    expect(s.all(ca.realmId, 'Vendor')).to.deep.equal([]);
    const prefs = s.all(ca.realmId, 'Preferences')[0];
    expect(prefs?.['SalesFormsPrefs']).to.include({ CustomTxnNumbers: false });
    expect(prefs?.['CurrencyPrefs']).to.deep.include({ HomeCurrency: { value: 'CAD' } });
    expect(s.all(ca.realmId, 'CompanyInfo')[0]).to.include({ Country: 'CA', CompanyName: 'CA Co' });
  });

  it('bulk-loads objects as they are, numbering the rest after the highest id of the sequence', () => {
    const s = store();
    const { realmId } = s.createCompany({ companyName: 'Load', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: true, seed: false });
    const [kept] = s.bulkLoad(realmId, 'Customer', [{ Id: '70', SyncToken: '4', DisplayName: 'Kept' }]);
    expect(kept).to.include({ Id: '70', SyncToken: '4', DisplayName: 'Kept' });
    const [numbered] = s.bulkLoad(realmId, 'Vendor', [{ DisplayName: 'Next' }]);
    expect(numbered).to.include({ Id: '71', SyncToken: '0' });
    expect(numbered?.['MetaData']).to.have.keys('CreateTime', 'LastUpdatedTime');
    expect(s.nextId(realmId, 'Employee')).to.equal('72');
    expect(s.nextId(realmId, 'Invoice')).to.equal('1');
  });

  it('lists deleted transactions in all() with status "Deleted", and refuses unknown realms or duplicates', () => {
    const s = store();
    const { realmId } = s.createCompany({ realmId: '4620816365', companyName: 'Del', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: true });
    s.bulkLoad(realmId, 'Invoice', [{ Id: '5', TotalAmt: 1 }]);
    s.markDeleted(realmId, 'Invoice', '5');
    expect(s.all(realmId, 'Invoice')).to.deep.include({ Id: '5', TotalAmt: 1, SyncToken: '0', MetaData: s.all(realmId, 'Invoice')[0]?.['MetaData'], status: 'Deleted' });
    expect(() => s.createCompany({ realmId: '4620816365', companyName: 'Again', country: 'US', offeringSku: 'x', customTxnNumbers: true })).to.throw(/already exists/);
    expect(() => s.all('1', 'Customer')).to.throw(/unknown realm/);
    expect(s.getCompany('1')).to.equal(null);
    expect(s.listCompanies().map((c) => c.realmId)).to.deep.equal(['4620816365']);
  });

  it('keeps its indexes in step with every put: renamed, deactivated and deleted records', () => {
    const s = store();
    const { realmId } = s.createCompany({ companyName: 'Idx', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false, seed: false });
    const [customer] = s.bulkLoad(realmId, 'Customer', [{ DisplayName: 'Acme  Plumbing', Active: true }]);
    const ids = (key: string) => s.indexed(realmId, 'displayName', key).map((r) => `${r.entity}:${r.id}`);
    expect(ids('acme plumbing')).to.deep.equal([`Customer:${String(customer?.['Id'])}`]);
    s.put(realmId, 'Customer', { ...customer, DisplayName: 'Acme Plumbing (deleted)', Active: false });
    expect(ids('acme plumbing'), 'an inactive record still holds its name').to.have.length(1);
    expect(ids('acme plumbing (deleted)')).to.have.length(1);
    s.put(realmId, 'Customer', { ...customer, DisplayName: 'Other Name', Active: true });
    expect(ids('acme plumbing'), 'a rename frees the old name').to.deep.equal([]);
    const [invoice] = s.bulkLoad(realmId, 'Invoice', [{ DocNumber: '1500', CustomerRef: { value: String(customer?.['Id']) } }]);
    expect(s.indexed(realmId, 'customer', String(customer?.['Id'])).map((r) => r.entity)).to.deep.equal(['Invoice']);
    expect(s.nextDocNumber(realmId), 'a bulk-loaded number moves the sequence past it').to.equal('1501');
    s.markDeleted(realmId, 'Invoice', String(invoice?.['Id']));
    expect(s.indexed(realmId, 'docNumber', '1500')[0]?.deleted, 'deleted records stay filed; callers skip them').to.equal(true);
    const other = s.createCompany({ companyName: 'Idx 2', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false, seed: false });
    expect(s.nextDocNumber(other.realmId), 'each company numbers from 1001').to.equal('1001');
  });

  it('restores a snapshot with the same companies, records, sequences and indexes', () => {
    const s = store();
    const { realmId } = s.createCompany({ companyName: 'Snap', country: 'CA', offeringSku: 'QuickBooks Online Essentials', customTxnNumbers: false });
    s.bulkLoad(realmId, 'Customer', [{ DisplayName: 'Kept Name' }]);
    s.nextDocNumber(realmId);
    const copy = store();
    copy.restore(JSON.parse(JSON.stringify(s.snapshot())) as ReturnType<SandboxStore['snapshot']>);
    expect(copy.listCompanies()).to.deep.equal(s.listCompanies());
    expect(copy.all(realmId, 'Customer')).to.deep.equal(s.all(realmId, 'Customer'));
    expect(copy.indexed(realmId, 'displayName', 'kept name')).to.have.length(1);
    expect(copy.nextDocNumber(realmId)).to.equal('1002');
    expect(copy.nextId(realmId, 'Vendor')).to.equal(s.nextId(realmId, 'Vendor'));
  });
});
