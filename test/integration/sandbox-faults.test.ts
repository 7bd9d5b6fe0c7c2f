import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import { callApi, startTestSandbox } from './sandbox-test-support';

function xmlErrorCode(text: string): string {
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(text) as { IntuitResponse: { Fault: { Error: { '@_code': string } } } };
  return parsed.IntuitResponse.Fault.Error['@_code'];
}

describe('sandbox fault injection', () => {
  let sandbox: RunningSandbox;
  let realm: string;
  let token: string;
  const read = () => callApi(sandbox, `${realm}/echo-query`, { token });
  const create = (name: string, requestid?: string) =>
    callApi(sandbox, `${realm}/customer${requestid ? `?requestid=${requestid}` : ''}`, { token, body: { DisplayName: name } });
  const customersNamed = (name: string) => sandbox.store.all(realm, 'Customer').filter((customer) => customer.DisplayName === name);

  beforeEach(async () => {
    sandbox = await startTestSandbox();
    realm = sandbox.defaultRealmId;
    token = sandbox.issueAccessToken(realm);
  });
  afterEach(() => sandbox.close());

  it('429: XML ThrottleExceeded 3001, on the next request only', async () => {
    sandbox.control.armFault({ kind: '429' });
    const throttled = await read();
    expect(throttled.status).to.equal(429);
    expect(throttled.headers.get('content-type')).to.match(/^application\/xml/);
    expect(xmlErrorCode(throttled.text)).to.equal('3001');
    expect((await read()).status).not.to.equal(429);
  });

  it('500: the JSON SystemFault 10000', async () => {
    sandbox.control.armFault({ kind: '500' });
    const answer = await read();
    expect(answer.status).to.equal(500);
    expect(answer.json()).to.have.nested.property('Fault.type', 'SystemFault');
    expect(answer.json()).to.have.nested.property('Fault.Error[0].code', '10000');
  });

  it('503: the load balancer HTML page, not a QBO fault', async () => {
    sandbox.control.armFault({ kind: '503' });
    const answer = await read();
    expect(answer.status).to.equal(503);
    expect(answer.headers.get('content-type')).to.match(/^text\/html/);
    expect(answer.text).to.include('503 Service Temporarily Unavailable');
  });

  it('504: XML GatewayTimeout 6002', async () => {
    sandbox.control.armFault({ kind: '504' });
    const answer = await read();
    expect(answer.status).to.equal(504);
    expect(answer.headers.get('content-type')).to.match(/^application\/xml/);
    expect(xmlErrorCode(answer.text)).to.equal('6002');
    expect(answer.text).to.include('message=GatewayTimeout; errorCode=006002; statusCode=504');
  });

  it('401: the lower-case AuthenticationFailed body with WWW-Authenticate, though the token is valid', async () => {
    sandbox.control.armFault({ kind: '401' });
    const answer = await read();
    expect(answer.status).to.equal(401);
    expect(answer.headers.get('www-authenticate')).to.equal('Bearer realm="Intuit", error="invalid_token"');
    expect(answer.json()).to.have.nested.property('fault.error[0].code', '3200');
    expect((await read()).status).to.equal(200);
  });

  it('fires on the next N matching requests only (method, path pattern, realm)', async () => {
    const other = sandbox.store.listCompanies()[1]?.realmId ?? '';
    sandbox.control.armFault({ kind: '500', count: 2, method: 'POST', path: '/customer$', realmId: realm });
    expect((await read()).status).to.equal(200);
    expect((await callApi(sandbox, `${other}/customer`, { token: sandbox.issueAccessToken(other), body: { DisplayName: 'Elsewhere' } })).status).to.equal(200);
    expect((await create('First')).status).to.equal(500);
    expect((await create('Second')).status).to.equal(500);
    expect((await create('Third')).status).to.equal(200);
    expect(customersNamed('First')).to.have.length(0);
    expect(customersNamed('Third')).to.have.length(1);
    expect(sandbox.control.listFaults()).to.have.length(0);
  });

  it('drop: closes the connection before the handler runs, so nothing is written', async () => {
    sandbox.control.armFault({ kind: 'drop', method: 'POST' });
    let failure: unknown = null;
    await create('Dropped').catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    expect(customersNamed('Dropped')).to.have.length(0);
  });

  it('drop-after-write: the write happens, the answer is lost, and a retry with the requestid gets the original', async () => {
    sandbox.control.armFault({ kind: 'drop-after-write', method: 'POST', path: '/customer$' });
    let failure: unknown = null;
    await create('Written', 'lost-answer').catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    const written = customersNamed('Written');
    expect(written).to.have.length(1);

    const retry = await create('Written', 'lost-answer');
    expect(retry.status).to.equal(200);
    expect(retry.json()).to.have.nested.property('Customer.Id', written[0]?.Id);
    expect(customersNamed('Written')).to.have.length(1);
  });

  it('delay: holds the request for the given real milliseconds', async () => {
    sandbox.control.armFault({ kind: 'delay', delayMs: 300 });
    const started = Date.now();
    const answer = await read();
    expect(answer.status).to.equal(200);
    expect(Date.now() - started).to.be.at.least(290);
  });

  it('delay holds a concurrency slot, like a slow QBO call', async () => {
    sandbox.control.setLimits({ concurrent: 1 });
    sandbox.control.armFault({ kind: 'delay', delayMs: 300 });
    const slow = read();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await read()).status).to.equal(429);
    expect((await slow).status).to.equal(200);
  });

  it('refuses invalid rules', () => {
    expect(() => sandbox.control.armFault({ kind: 'delay' })).to.throw();
    expect(() => sandbox.control.armFault({ kind: '500', path: '(' })).to.throw();
  });
});
