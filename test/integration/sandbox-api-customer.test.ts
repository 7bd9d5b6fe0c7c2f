import { expect } from 'chai';
import { entityOf, faultCodes, startHarness, type RealmClient, type SandboxHarness } from './sandbox-api-harness';

describe('sandbox API: customers, vendors and employees', function () {
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

  const create = async (body: Record<string, unknown>) => api.post('/customer', body);
  const createOk = async (body: Record<string, unknown>) => {
    const res = await create(body);
    expect(res.status, res.text).to.equal(200);
    return entityOf(res.body, 'Customer');
  };

  it('creates a customer with the defaults QBO fills in, SyncToken "0" and MetaData', async () => {
    const c = await createOk({ DisplayName: 'Doe, Jane' });
    expect(c).to.include({ DisplayName: 'Doe, Jane', FullyQualifiedName: 'Doe, Jane', PrintOnCheckName: 'Doe, Jane', Active: true, Job: false, SyncToken: '0', domain: 'QBO', sparse: false, Taxable: true });
    expect(c['Id']).to.match(/^\d+$/);
    expect(c['MetaData']).to.have.keys('CreateTime', 'LastUpdatedTime');
    const read = await api.get(`/customer/${String(c['Id'])}`);
    expect(entityOf(read.body, 'Customer')).to.deep.equal(c);
  });

  it('refuses a DisplayName used by a vendor, an employee or an inactive record, whatever the case (6240)', async () => {
    for (const name of ['Hicks Hardware', 'john johnson', 'United States Treasury', 'Emily Platt']) {
      const res = await create({ DisplayName: name });
      expect(res.status, name).to.equal(400);
      expect(faultCodes(res.body), name).to.deep.equal(['6240']);
      expect(res.body['Fault']).to.deep.include({ type: 'ValidationFault' });
    }
    await createOk({ DisplayName: 'Weiskopf Consulting' });
    expect(faultCodes((await api.post('/vendor', { DisplayName: 'WEISKOPF consulting' })).body)).to.deep.equal(['6240']);
  });

  it('keeps blocking the original name after a customer is made inactive, which appends " (deleted)"', async () => {
    const c = await createOk({ DisplayName: 'Gone Ltd' });
    const res = await api.post('/customer', { Id: c['Id'], SyncToken: c['SyncToken'], sparse: true, Active: false });
    const inactive = entityOf(res.body, 'Customer');
    expect(inactive).to.include({ DisplayName: 'Gone Ltd (deleted)', Active: false, SyncToken: '1' });
    expect(faultCodes((await create({ DisplayName: 'Gone Ltd' })).body)).to.deep.equal(['6240']);
    const back = entityOf((await api.post('/customer', { Id: c['Id'], SyncToken: '1', sparse: true, Active: true })).body, 'Customer');
    expect(back).to.include({ DisplayName: 'Gone Ltd', Active: true, SyncToken: '2' });
  });

  it('refuses colons, tabs and newlines in names (2040)', async () => {
    for (const [field, value] of [['DisplayName', 'A:B'], ['GivenName', 'Tab\there'], ['FamilyName', 'New\nline'], ['CompanyName', 'X:Y']]) {
      const res = await create({ DisplayName: 'Valid name', [field as string]: value });
      expect(faultCodes(res.body), field).to.deep.equal(['2040']);
      expect(res.status).to.equal(400);
    }
  });

  it('refuses strings longer than QBO allows (2050) and accepts the maximum', async () => {
    const limits: Array<[string, number]> = [['DisplayName', 500], ['CompanyName', 100], ['GivenName', 100], ['Title', 16], ['Suffix', 16], ['PrintOnCheckName', 110], ['Notes', 2000]];
    for (const [field, max] of limits) {
      const tooLong = await create({ DisplayName: `Too long ${field}`, [field]: 'x'.repeat(max + 1) });
      expect(faultCodes(tooLong.body), field).to.deep.equal(['2050']);
      const ok = await create({ DisplayName: field === 'DisplayName' ? 'y'.repeat(max) : `Max ${field}`, [field]: field === 'DisplayName' ? 'y'.repeat(max) : 'x'.repeat(max) });
      expect(ok.status, `${field} at ${max}: ${ok.text}`).to.equal(200);
    }
    expect(faultCodes((await create({ DisplayName: 'Phone', PrimaryPhone: { FreeFormNumber: '1'.repeat(31) } })).body)).to.deep.equal(['2050']);
    expect(faultCodes((await create({ DisplayName: 'Addr', BillAddr: { PostalCode: '9'.repeat(31) } })).body)).to.deep.equal(['2050']);
    expect(faultCodes((await create({ DisplayName: 'Mail', PrimaryEmailAddr: { Address: `${'a'.repeat(95)}@b.com` } })).body)).to.deep.equal(['2050']);
  });

  it('refuses an e-mail without @ or a dotted domain (2210)', async () => {
    for (const address of ['no-at.example.com', 'user@nodot', 'a b@c.d']) {
      expect(faultCodes((await create({ DisplayName: `Mail ${address}`, PrimaryEmailAddr: { Address: address } })).body), address).to.deep.equal(['2210']);
    }
    await createOk({ DisplayName: 'Mail ok', PrimaryEmailAddr: { Address: 'ok@example.com' } });
  });

  it('refuses unknown properties (2010), wrong types (2010), bad enumerations (2170) and bad ids (2030, HTTP 400)', async () => {
    expect(faultCodes((await create({ DisplayName: 'X', Nickname: 'x' })).body)).to.deep.equal(['2010']);
    expect(faultCodes((await create({ DisplayName: 42 })).body)).to.deep.equal(['2010']);
    expect(faultCodes((await create({ DisplayName: 'Street', BillAddr: { Street: '1 Main' } })).body)).to.deep.equal(['2010']);
    expect(faultCodes((await create({ DisplayName: 'Mail2', PrimaryEmailAddr: { Email: 'a@b.co' } })).body)).to.deep.equal(['2010']);
    expect(faultCodes((await create({ DisplayName: 'Ref', SalesTermRef: { id: '4' } })).body)).to.deep.equal(['2010']);
    expect(faultCodes((await create({ DisplayName: 'Pigeon', PreferredDeliveryMethod: 'Pigeon' })).body)).to.deep.equal(['2170']);
    for (const id of ['1.5', 'abc', '0']) {
      const res = await api.get(`/customer/${id}`);
      expect(res.status, id).to.equal(400);
      expect(faultCodes(res.body), id).to.deep.equal(['2030']);
    }
    const missing = await api.get('/customer/99999');
    expect(missing.status).to.equal(400);
    expect(faultCodes(missing.body)).to.deep.equal(['610']);
  });

  it('answers bad paths with 400 code 500, and every response carries intuit_tid', async () => {
    const res = await api.get('/customer/1/5');
    expect(res.status).to.equal(400);
    expect(faultCodes(res.body)).to.deep.equal(['500']);
    expect(res.headers.get('intuit_tid')).to.be.a('string');
    expect((await api.get('/nosuchentity/1')).status).to.equal(400);
  });

  it('applies the SyncToken rules: stale gives 5010, each applied write adds one, a no-op keeps it', async () => {
    const c = await createOk({ DisplayName: 'Tokens Inc' });
    const stale = await api.post('/customer', { Id: c['Id'], SyncToken: '7', sparse: true, Notes: 'x' });
    expect(faultCodes(stale.body)).to.deep.equal(['5010']);
    const noToken = await api.post('/customer', { Id: c['Id'], sparse: true, Notes: 'x' });
    expect(faultCodes(noToken.body)).to.deep.equal(['2020']);
    const one = entityOf((await api.post('/customer', { Id: c['Id'], SyncToken: '0', sparse: true, Notes: 'first' })).body, 'Customer');
    expect(one['SyncToken']).to.equal('1');
    const same = entityOf((await api.post('/customer', { Id: c['Id'], SyncToken: '1', sparse: true, Notes: 'first' })).body, 'Customer');
    expect(same['SyncToken']).to.equal('1');
    expect(faultCodes((await api.post('/customer', { Id: c['Id'], SyncToken: '0', sparse: true, Notes: 'late' })).body)).to.deep.equal(['5010']);
  });

  it('nulls omitted writable fields on a full update, while a sparse update keeps them', async () => {
    const c = await createOk({ DisplayName: 'Full Co', CompanyName: 'Full Co Ltd', PrimaryEmailAddr: { Address: 'a@full.co' }, Notes: 'keep?' });
    const sparse = entityOf((await api.post('/customer', { Id: c['Id'], SyncToken: '0', sparse: true, Notes: 'changed' })).body, 'Customer');
    expect(sparse).to.include({ CompanyName: 'Full Co Ltd', Notes: 'changed' });
    const full = entityOf((await api.post('/customer', { Id: c['Id'], SyncToken: '1', DisplayName: 'Full Co' })).body, 'Customer');
    expect(full).to.not.have.any.keys('CompanyName', 'PrimaryEmailAddr', 'Notes');
    expect(full).to.include({ SyncToken: '2', Active: true, Taxable: true, PrintOnCheckName: 'Full Co' });
    const text = entityOf((await api.post('/customer', { Id: c['Id'], SyncToken: '2', sparse: 'true', Notes: 'text sparse' })).body, 'Customer');
    expect(text).to.include({ Notes: 'text sparse', PrintOnCheckName: 'Full Co' });
    expect(faultCodes((await api.post('/customer', { Id: c['Id'], SyncToken: '3', sparse: 'yes', Notes: 'x' })).body)).to.deep.equal(['2010']);
  });

  it('nests sub-customers: Job + ParentRef, FullyQualifiedName Parent:Child, 5 levels, 6150 without a parent', async () => {
    expect(faultCodes((await create({ DisplayName: 'Orphan', Job: true })).body)).to.deep.equal(['6150']);
    let parent = await createOk({ DisplayName: 'Level 0' });
    for (let level = 1; level <= 4; level += 1) {
      parent = await createOk({ DisplayName: `Level ${level}`, Job: true, ParentRef: { value: parent['Id'] }, BillWithParent: true });
      expect(parent).to.include({ Job: true, Level: level });
    }
    expect(parent['FullyQualifiedName']).to.equal('Level 0:Level 1:Level 2:Level 3:Level 4');
    const sixth = await create({ DisplayName: 'Level 5', Job: true, ParentRef: { value: parent['Id'] } });
    expect(faultCodes(sixth.body)).to.deep.equal(['6000']);
    expect(faultCodes((await create({ DisplayName: 'Bad parent', Job: true, ParentRef: { value: '99999' } })).body)).to.deep.equal(['2500']);
    expect(faultCodes((await create({ DisplayName: 'Not a job', BillWithParent: true })).body)).to.deep.equal(['6000']);
  });

  it('renames sub-customers\' FullyQualifiedName when the parent is renamed', async () => {
    const parent = await createOk({ DisplayName: 'Old Parent' });
    const child = await createOk({ DisplayName: 'Site A', Job: true, ParentRef: { value: parent['Id'] } });
    await api.post('/customer', { Id: parent['Id'], SyncToken: '0', sparse: true, DisplayName: 'New Parent' });
    const read = entityOf((await api.get(`/customer/${String(child['Id'])}`)).body, 'Customer');
    expect(read['FullyQualifiedName']).to.equal('New Parent:Site A');
  });

  it('deactivates employees as recorded: " (deleted)" on DisplayName, PrintOnCheckName kept', async () => {
    const e = entityOf((await api.post('/employee', { GivenName: 'Sam', FamilyName: 'Field' })).body, 'Employee');
    expect(e).to.include({ DisplayName: 'Sam Field', BillableTime: false });
    const off = entityOf((await api.post('/employee', { Id: e['Id'], SyncToken: '0', sparse: true, Active: false })).body, 'Employee');
    expect(off).to.include({ DisplayName: 'Sam Field (deleted)', PrintOnCheckName: 'Sam Field', Active: false, SyncToken: '1' });
    const again = entityOf((await api.post('/employee', { Id: e['Id'], SyncToken: '1', sparse: true, Active: false })).body, 'Employee');
    expect(again['SyncToken']).to.equal('1');
  });

  it('never deletes name-list records', async () => {
    const c = await createOk({ DisplayName: 'Keep Me' });
    const res = await api.post('/customer?operation=delete', { Id: c['Id'], SyncToken: '0' });
    expect(res.status).to.equal(400);
    expect(faultCodes(res.body)).to.deep.equal(['500']);
  });

  it('takes a query as an application/text POST body too', async () => {
    await createOk({ DisplayName: 'Posted Query' });
    const res = await api.post('/query', "select * from Customer where DisplayName = 'Posted Query'", { 'Content-Type': 'application/text' });
    expect(res.status, res.text).to.equal(200);
    expect((res.body['QueryResponse'] as { Customer: unknown[] }).Customer).to.have.length(1);
  });

  it('answers an unknown realm with 403', async () => {
    const token = h.sandbox.issueAccessToken(api.realmId);
    const res = await fetch(`${h.sandbox.baseUrl}/v3/company/123/customer/1`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    expect([401, 403]).to.include(res.status);
  });
});
