import { expect } from 'chai';
import type { RequestLogEntry } from '../../dev/qbo-sandbox/middleware/request-log';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { callApi, startTestSandbox } from './sandbox-test-support';

async function control(sandbox: RunningSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`${sandbox.baseUrl}/_control${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

describe('sandbox control API', () => {
  let sandbox: RunningSandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(() => sandbox.close());

  it('starts with the default companies: US Plus (default realm), CA Essentials, GB Advanced, Self-Employed, US with custom numbers', async () => {
    const listed = (await control(sandbox, 'GET', '/companies')).body as Array<Record<string, unknown>>;
    expect(listed.map((company) => [company.country, company.offeringSku])).to.deep.equal([
      ['US', 'QuickBooks Online Plus'],
      ['CA', 'QuickBooks Online Essentials'],
      ['GB', 'QuickBooks Online Advanced'],
      ['US', 'QuickBooks Self-Employed'],
      ['US', 'QuickBooks Online Advanced'],
    ]);
    // Intuit's sandbox companies have custom transaction numbers off; one company keeps them on for 6140.
    expect(listed[0]).to.include({ realmId: sandbox.defaultRealmId, customTxnNumbers: false });
    expect(listed.map((company) => company.customTxnNumbers)).to.deep.equal([false, false, false, false, true]);
  });

  it('creates companies, bulk-loads and reads objects without counting as API calls', async () => {
    const created = await control(sandbox, 'POST', '/companies', { companyName: 'Loaded Ltd', country: 'GB', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false, seed: false });
    expect(created.status).to.equal(201);
    const realmId = String((created.body as { realmId: string }).realmId);
    expect((await control(sandbox, 'PUT', '/limits', { perMinute: 1 })).status).to.equal(200);

    const objects = Array.from({ length: 5 }, (_, index) => ({ DisplayName: `Loaded ${index}`, Active: true }));
    for (let round = 0; round < 3; round += 1) {
      expect((await control(sandbox, 'POST', `/companies/${realmId}/objects/Customer`, { objects })).status).to.equal(201);
    }
    const read = (await control(sandbox, 'GET', `/companies/${realmId}/objects/Customer`)).body as Array<Record<string, unknown>>;
    expect(read).to.have.length(15);
    expect(read[0]).to.have.property('Id').that.is.a('string');
    expect((await control(sandbox, 'GET', '/requests')).body).to.deep.equal([]);

    const token = String(((await control(sandbox, 'POST', '/tokens', { realmId })).body as { access_token: string }).access_token);
    expect((await callApi(sandbox, `${realmId}/echo-query`, { token })).status).to.equal(200);
    expect((await callApi(sandbox, `${realmId}/echo-query`, { token })).status).to.equal(429);
  });

  it('lists its routes at /_control', async () => {
    const index = (await control(sandbox, 'GET', '')).body as Record<string, string>;
    expect(Object.keys(index)).to.include.members(['POST /faults', 'GET /requests', 'POST /webhooks', 'POST /clock/advance']);
  });

  it('answers 400 with the problems to invalid input', async () => {
    const bad = await control(sandbox, 'POST', '/companies', { companyName: '', country: 'FR' });
    expect(bad.status).to.equal(400);
    expect(bad.body).to.have.property('issues').that.is.an('array').with.length.above(0);
    expect((await control(sandbox, 'GET', `/companies/${sandbox.defaultRealmId}/objects/Widget`)).status).to.equal(400);
    expect((await control(sandbox, 'POST', '/faults', { kind: 'teapot' })).status).to.equal(400);
  });

  it('arms, lists and clears faults, and advances the clock', async () => {
    expect((await control(sandbox, 'POST', '/faults', { kind: '504', count: 3, path: 'query' })).status).to.equal(201);
    expect((await control(sandbox, 'GET', '/faults')).body).to.have.length(1).and.to.have.nested.property('[0].remaining', 3);
    expect((await control(sandbox, 'DELETE', '/faults')).status).to.equal(204);
    expect((await control(sandbox, 'GET', '/faults')).body).to.deep.equal([]);

    const before = Date.parse(String(((await control(sandbox, 'GET', '/clock')).body as { now: string }).now));
    const after = Date.parse(String(((await control(sandbox, 'POST', '/clock/advance', { ms: 3_600_000 })).body as { now: string }).now));
    expect(after - before).to.be.within(3_600_000, 3_605_000);
    expect((await control(sandbox, 'POST', '/clock/advance', { ms: -1 })).status).to.equal(400);
  });

  it('logs API requests with status, fault code, requestid, batch size and realm; filters and clears', async () => {
    const realm = sandbox.defaultRealmId;
    const token = sandbox.issueAccessToken(realm);
    await callApi(sandbox, `${realm}/customer?requestid=log-1`, { token, body: { DisplayName: 'Logged' } });
    await callApi(sandbox, `${realm}/batch`, { token, body: { BatchItemRequest: [{ bId: '1' }, { bId: '2' }, { bId: '3' }] } });
    await callApi(sandbox, `${realm}/echo-query`);
    sandbox.control.armFault({ kind: '429' });
    await callApi(sandbox, `${realm}/echo-query`, { token });
    sandbox.control.armFault({ kind: 'drop' });
    await callApi(sandbox, `${realm}/echo-query`, { token }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const entries = (await control(sandbox, 'GET', '/requests')).body as RequestLogEntry[];
    expect(entries.map((entry) => [entry.method, entry.path, entry.status, entry.faultCode, entry.injectedFault])).to.deep.equal([
      ['POST', `/v3/company/${realm}/customer`, 200, null, null],
      ['POST', `/v3/company/${realm}/batch`, 200, null, null],
      ['GET', `/v3/company/${realm}/echo-query`, 401, '3200', null],
      ['GET', `/v3/company/${realm}/echo-query`, 429, '3001', '429'],
      ['GET', `/v3/company/${realm}/echo-query`, null, null, 'drop'],
    ]);
    expect(entries[0]).to.include({ requestid: 'log-1', realmId: realm, batchSize: null });
    expect(entries[1]).to.include({ batchSize: 3 });
    expect(JSON.stringify(entries)).not.to.include(token);

    const throttled = (await control(sandbox, 'GET', '/requests?status=429')).body as RequestLogEntry[];
    expect(throttled).to.have.length(1);
    expect((await control(sandbox, 'GET', '/requests?requestid=log-1')).body).to.have.length(1);
    expect((await control(sandbox, 'GET', '/requests?realmId=999')).body).to.deep.equal([]);
    expect((await control(sandbox, 'DELETE', '/requests')).status).to.equal(204);
    expect((await control(sandbox, 'GET', '/requests')).body).to.deep.equal([]);
  });

  it('switches auto-approve and latency at run time', async () => {
    expect((await control(sandbox, 'PUT', '/auto-approve', { on: true })).status).to.equal(204);
    const params = new URLSearchParams({ client_id: 'c', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: 'http://127.0.0.1:9/cb', state: 's' });
    const answer = await fetch(`${sandbox.baseUrl}/connect/oauth2?${params.toString()}`, { redirect: 'manual' });
    expect(answer.status).to.equal(302);

    expect((await control(sandbox, 'PUT', '/latency', { ms: 250 })).status).to.equal(204);
    const token = sandbox.issueAccessToken(sandbox.defaultRealmId);
    const started = Date.now();
    await callApi(sandbox, `${sandbox.defaultRealmId}/echo-query`, { token });
    expect(Date.now() - started).to.be.at.least(240);
  });
});

describe('sandbox request log with the real API router', () => {
  it('records the fault code of a validation fault the API answered', async () => {
    const sandbox = await startSandbox();
    try {
      const token = sandbox.issueAccessToken(sandbox.defaultRealmId);
      await callApi(sandbox, `${sandbox.defaultRealmId}/customer/1.5`, { token });
      const [entry] = sandbox.control.requests();
      expect(entry).to.include({ status: 400, faultCode: '2030', injectedFault: null });
    } finally {
      await sandbox.close();
    }
  });
});
