/**
 * Issue 13: the demo survives a restart. A sandbox started with a state file keeps its companies, realm ids,
 * data and the grants/tokens of a connection across a stop and start; a reset forgets them; a damaged
 * file is refused with a clear message and left as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../dev/qbo-sandbox/server';
import { entityOf, realmClient } from './sandbox-api-harness';
import { basicAuth, postForm } from './sandbox-test-support';

const CLIENT_ID = 'state-client';
const CLIENT_SECRET = 'state-secret';
const REDIRECT_URI = 'http://127.0.0.1:9/callback';

type Json = Record<string, unknown>;

describe('sandbox state file: the demo survives a restart', function () {
  let dir: string;
  let file: string;
  let running: RunningSandbox | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbo-sandbox-state-'));
    file = path.join(dir, 'nested', 'qbo-sandbox.json');
  });
  afterEach(async () => {
    await running?.close();
    running = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: StartSandboxOptions = {}): Promise<RunningSandbox> => {
    running = await startSandbox({ stateFile: file, autoApprove: true, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, ...options });
    return running;
  };
  const stop = async (): Promise<void> => {
    await running?.close();
    running = null;
  };
  const tokens = (sandbox: RunningSandbox, form: Record<string, string>) =>
    postForm(`${sandbox.baseUrl}/oauth2/v1/tokens/bearer`, form, { authorization: basicAuth(CLIENT_ID, CLIENT_SECRET) });

  async function connect(sandbox: RunningSandbox): Promise<{ realmId: string; accessToken: string; refreshToken: string }> {
    const query = new URLSearchParams({ client_id: CLIENT_ID, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: REDIRECT_URI, state: 's' });
    const res = await fetch(`${sandbox.baseUrl}/connect/oauth2?${query.toString()}`, { redirect: 'manual' });
    const location = new URL(String(res.headers.get('location')));
    const exchanged = await tokens(sandbox, { grant_type: 'authorization_code', code: String(location.searchParams.get('code')), redirect_uri: REDIRECT_URI });
    expect(exchanged.status, exchanged.text).to.equal(200);
    return { realmId: String(location.searchParams.get('realmId')), accessToken: String(exchanged.body['access_token']), refreshToken: String(exchanged.body['refresh_token']) };
  }

  const apiGet = async (sandbox: RunningSandbox, realmId: string, token: string, pathname: string) => {
    const res = await fetch(`${sandbox.baseUrl}/v3/company/${realmId}${pathname}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('finds the same companies, realm ids, data and a refresh token that still refreshes after a restart', async () => {
    const first = await start();
    const companies = first.store.listCompanies();
    const { realmId, accessToken, refreshToken } = await connect(first);
    expect(realmId).to.equal(first.defaultRealmId);
    const api = realmClient(first, realmId);
    const customer = entityOf((await api.post('/customer', { DisplayName: 'Survives Restart Ltd' })).body, 'Customer');
    const invoice = entityOf((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body, 'Invoice');
    const deleted = entityOf((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [{ Amount: 7, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body, 'Invoice');
    expect((await api.post('/invoice?operation=delete', { Id: deleted['Id'], SyncToken: '0' })).status).to.equal(200);
    const customerBefore = entityOf((await api.get(`/customer/${String(customer['Id'])}`)).body, 'Customer');
    expect(customerBefore['Balance']).to.equal(5);
    first.clock.advance(30 * 60 * 1000);
    await stop();

    const second = await start({ companies: [{ companyName: 'Ignored when a state exists', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false }] });
    expect(second.store.listCompanies()).to.deep.equal(companies);
    expect(second.defaultRealmId).to.equal(realmId);
    expect(second.clock.nowMs(), 'the clock does not go back').to.be.at.least(Date.now() + 29 * 60 * 1000);
    const read = await apiGet(second, realmId, accessToken, `/customer/${String(customer['Id'])}`);
    expect(read.status, 'the access token issued before the restart still works').to.equal(200);
    expect(entityOf(read.body, 'Customer')).to.deep.equal(customerBefore);
    expect(entityOf((await apiGet(second, realmId, accessToken, `/invoice/${String(invoice['Id'])}`)).body, 'Invoice')['DocNumber']).to.equal(invoice['DocNumber']);
    expect((await apiGet(second, realmId, accessToken, `/invoice/${String(deleted['Id'])}`)).status, 'deleted stays deleted').to.equal(400);

    const refreshed = await tokens(second, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(refreshed.status, refreshed.text).to.equal(200);
    const again = realmClient(second, realmId);
    const next = entityOf((await again.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [{ Amount: 5, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' } } }] })).body, 'Invoice');
    expect(Number(next['DocNumber']), 'numbering carries on').to.equal(Number(invoice['DocNumber']) + 2);
    expect(Number(next['Id'])).to.be.greaterThan(Number(deleted['Id']));
    const duplicate = await again.post('/customer', { DisplayName: 'survives  restart ltd' });
    expect(duplicate.status, 'the name index is rebuilt').to.equal(400);

    await stop();
    const third = await start();
    const newRefresh = String(refreshed.body['refresh_token']);
    expect((await tokens(third, { grant_type: 'refresh_token', refresh_token: newRefresh })).status, 'the token from after the first restart was saved too').to.equal(200);
    expect(fs.statSync(file).mode & 0o077, 'the file holds tokens: owner only').to.equal(0);
  });

  it('starts afresh with new realm ids when reset, and keeps everything in memory without a state file', async () => {
    const first = await start();
    const before = first.store.listCompanies().map((c) => c.realmId);
    await stop();
    const reset = await start({ resetState: true });
    const after = reset.store.listCompanies().map((c) => c.realmId);
    expect(after).to.have.length(before.length);
    expect(after.filter((id) => before.includes(id))).to.deep.equal([]);
    await stop();
    const memory = await startSandbox();
    try {
      expect(memory.store.listCompanies().map((c) => c.realmId).filter((id) => after.includes(id))).to.deep.equal([]);
    } finally {
      await memory.close();
    }
  });

  it('refuses a damaged state file with a message saying how to reset, and leaves the file alone', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"version":1,"store":');
    let failure: unknown;
    try {
      await start();
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/not valid JSON.*npm run sandbox:reset/);
    expect(fs.readFileSync(file, 'utf8')).to.equal('{"version":1,"store":');
    fs.writeFileSync(file, JSON.stringify({ version: 2 }));
    failure = undefined;
    try {
      await start();
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/not a state this sandbox can read/);
  });
});
