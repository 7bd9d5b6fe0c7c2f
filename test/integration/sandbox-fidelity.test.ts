/**
 * Issue 7: where an independent replay of real QuickBooks traffic found the sandbox answering otherwise
 * (invoice numbering of the default companies, XML without Accept: application/json, request-log totals
 * past the retained entries), checked over HTTP against the sandbox as `npm start` runs it.
 */
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { entityOf, faultCodes, realmClient } from './sandbox-api-harness';

type Json = Record<string, unknown>;

const line = { Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 10 } };

describe('sandbox fidelity: the default companies number invoices like Intuit sandbox companies', function () {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  const companyNamed = (name: string) => {
    const found = sandbox.store.listCompanies().find((c) => c.companyName === name);
    if (!found) throw new Error(`no company ${name}`);
    return found;
  };

  it('gives an invoice created without DocNumber in the default company the next number, per company, and says so in Preferences', async () => {
    const us = realmClient(sandbox, sandbox.defaultRealmId);
    const prefs = entityOf((await us.get('/preferences')).body, 'Preferences');
    expect(prefs['SalesFormsPrefs']).to.include({ CustomTxnNumbers: false });
    const customer = entityOf((await us.post('/customer', { DisplayName: 'Numbering Check Ltd' })).body, 'Customer');
    const create = async () => entityOf((await us.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [line] })).body, 'Invoice');
    const first = await create();
    const second = await create();
    expect(Number(second['DocNumber'])).to.equal(Number(first['DocNumber']) + 1);
    expect(first['DocNumber']).to.match(/^\d+$/);
    const read = entityOf((await us.get(`/invoice/${String(first['Id'])}`)).body, 'Invoice');
    expect(read['DocNumber']).to.equal(first['DocNumber']);

    const ca = realmClient(sandbox, companyNamed('Sandbox Company CA Essentials').realmId);
    const caCustomer = entityOf((await ca.post('/customer', { DisplayName: 'Numbering Check Ltd' })).body, 'Customer');
    const caInvoice = await ca.post('/invoice', { CustomerRef: { value: caCustomer['Id'] }, Line: [{ ...line, SalesItemLineDetail: { ...line.SalesItemLineDetail, TaxCodeRef: { value: '4' } } }] });
    expect(entityOf(caInvoice.body, 'Invoice')['DocNumber'], caInvoice.text).to.equal('1001');
  });

  it('keeps one company with custom transaction numbers on: no number unless sent, duplicates 6140', async () => {
    const custom = companyNamed('Sandbox Company US Custom Numbers');
    expect(custom.customTxnNumbers).to.equal(true);
    const api = realmClient(sandbox, custom.realmId);
    expect(entityOf((await api.get('/preferences')).body, 'Preferences')['SalesFormsPrefs']).to.include({ CustomTxnNumbers: true });
    const customer = entityOf((await api.post('/customer', { DisplayName: 'Custom Numbers Co' })).body, 'Customer');
    const bare = entityOf((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [line] })).body, 'Invoice');
    expect(bare).to.not.have.property('DocNumber');
    expect((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, DocNumber: 'W-100', Line: [line] })).status).to.equal(200);
    expect(faultCodes((await api.post('/invoice', { CustomerRef: { value: customer['Id'] }, DocNumber: 'W-100', Line: [line] })).body)).to.deep.equal(['6140']);
  });

  it('lets --auto-approve connect the default US company, the one with Intuit default numbering', async () => {
    const auto = await startSandbox({ autoApprove: true, clientId: 'c', clientSecret: 's', redirectUri: 'http://127.0.0.1:1/cb' });
    try {
      const query = new URLSearchParams({ client_id: 'c', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: 'http://127.0.0.1:1/cb', state: 'st' });
      const res = await fetch(`${auto.baseUrl}/connect/oauth2?${query.toString()}`, { redirect: 'manual' });
      const realmId = new URL(String(res.headers.get('location'))).searchParams.get('realmId');
      expect(realmId).to.equal(auto.defaultRealmId);
      expect(auto.store.getCompany(String(realmId))).to.include({ companyName: 'Sandbox Company US Plus', country: 'US', customTxnNumbers: false });
    } finally {
      await auto.close();
    }
  });
});

describe('sandbox fidelity: a request without Accept: application/json gets XML, as from QuickBooks', function () {
  let sandbox: RunningSandbox;
  let token: string;
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
  before(async () => {
    sandbox = await startSandbox();
    token = sandbox.issueAccessToken(sandbox.defaultRealmId);
  });
  after(() => sandbox.close());

  const call = async (path: string, accept: string | null, body?: unknown) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    if (accept !== null) headers['Accept'] = accept;
    const init: RequestInit = { method: body === undefined ? 'GET' : 'POST', headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${sandbox.baseUrl}/v3/company/${sandbox.defaultRealmId}${path}`, init);
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  it('answers 200 with an IntuitResponse envelope for every Accept that does not ask for JSON', async () => {
    const created = await call('/customer', null, { DisplayName: "Amy's <Bird> & Co", BillAddr: { City: 'Tucson' } });
    expect(created.status, created.text).to.equal(200);
    expect(created.type).to.match(/^application\/xml/);
    expect(created.text).to.match(/^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?>/);
    const doc = parser.parse(created.text) as { IntuitResponse: Json };
    expect(doc.IntuitResponse['@_xmlns']).to.equal('http://schema.intuit.com/finance/v3');
    expect(doc.IntuitResponse['@_time']).to.be.a('string');
    const customer = doc.IntuitResponse['Customer'] as Json;
    expect(customer).to.include({ '@_domain': 'QBO', '@_sparse': 'false', SyncToken: '0', DisplayName: "Amy's <Bird> & Co" });
    expect(customer['BillAddr']).to.include({ City: 'Tucson' });
    expect(customer['CurrencyRef']).to.deep.equal({ '#text': 'USD', '@_name': 'United States Dollar' });
    for (const accept of ['*/*', 'application/xml', 'text/html, application/json;q=0']) {
      const read = await call(`/customer/${String(customer['Id'])}`, accept);
      expect(read.status, accept).to.equal(200);
      expect(read.type, accept).to.match(/^application\/xml/);
      expect(((parser.parse(read.text) as { IntuitResponse: Json }).IntuitResponse['Customer'] as Json)['Id']).to.equal(customer['Id']);
    }
  });

  it('writes faults and query answers as XML too, with the same status as the JSON answer', async () => {
    const duplicate = await call('/customer', 'application/xml', { DisplayName: "Amy's <Bird> & Co" });
    expect(duplicate.status).to.equal(400);
    const fault = (parser.parse(duplicate.text) as { IntuitResponse: { Fault: Json } }).IntuitResponse.Fault;
    expect(fault['@_type']).to.equal('ValidationFault');
    expect((fault['Error'] as Json)['@_code']).to.equal('6240');
    const query = await call(`/query?query=${encodeURIComponent('SELECT * FROM Customer MAXRESULTS 1')}`, null);
    const response = (parser.parse(query.text) as { IntuitResponse: { QueryResponse: Json } }).IntuitResponse.QueryResponse;
    expect(response).to.include({ '@_startPosition': '1', '@_maxResults': '1' });
    expect(response['Customer']).to.be.an('object');
  });

  it('keeps the JSON answer for a client that asks for it (axios default Accept included)', async () => {
    const json = await call('/customer/1', 'application/json, text/plain, */*');
    expect(json.type).to.match(/^application\/json/);
    expect(faultCodes(JSON.parse(json.text) as Json)).to.deep.equal(['610']);
  });
});

describe('sandbox fidelity: request-log totals outlive the retained entries', function () {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ requestLogEntries: 5, limits: { perMinute: 12 } });
  });
  after(() => sandbox.close());

  it('counts calls, writes, 429s and peak concurrency per realm while keeping only the newest entries', async () => {
    const realm = sandbox.defaultRealmId;
    const api = realmClient(sandbox, realm);
    await Promise.all(Array.from({ length: 3 }, (_, i) => api.post('/customer', { DisplayName: `Counted ${i}` })));
    for (let i = 0; i < 12; i += 1) await api.get('/customer/1');
    expect(sandbox.control.requests({ realmId: realm })).to.have.length(5);
    const counts = sandbox.control.requestCounts(realm);
    expect(counts).to.include({ calls: 15, writes: 3 });
    expect(counts.throttled).to.equal(3);
    expect(counts.peakConcurrency).to.be.within(1, 3);
    const overHttp = await fetch(`${sandbox.baseUrl}/_control/request-counts?realmId=${realm}`);
    expect(await overHttp.json()).to.deep.equal(counts);
    expect(sandbox.control.requestCounts('123')).to.deep.equal({ calls: 0, writes: 0, throttled: 0, peakConcurrency: 0 });
    sandbox.control.clearRequests();
    expect(sandbox.control.requestCounts(realm)).to.include({ calls: 0 });
  });
});
