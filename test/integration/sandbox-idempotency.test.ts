import { expect } from 'chai';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import * as net from 'node:net';
import { startHarness, type SandboxHarness } from './sandbox-api-harness';
import { callApi, startTestSandbox } from './sandbox-test-support';

describe('sandbox requestid idempotency', () => {
  let sandbox: RunningSandbox;
  let realm: string;
  let token: string;
  const customers = (realmId = realm): number => sandbox.store.all(realmId, 'Customer').length;
  const create = (requestid: string, name: string, realmId = realm, accessToken = token) =>
    callApi(sandbox, `${realmId}/customer?requestid=${encodeURIComponent(requestid)}&minorversion=75`, { token: accessToken, body: { DisplayName: name } });

  beforeEach(async () => {
    sandbox = await startTestSandbox();
    realm = sandbox.defaultRealmId;
    token = sandbox.issueAccessToken(realm);
  });
  afterEach(() => sandbox.close());

  it('answers a repeated requestid with the original status and body and writes nothing', async () => {
    const before = customers();
    const first = await create('req-1', 'Amy');
    const second = await create('req-1', 'Amy, sent again with another body');
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(first.status);
    expect(second.text).to.equal(first.text);
    expect(customers()).to.equal(before + 1);
    expect(second.headers.get('intuit_tid')).to.be.a('string').and.not.equal(first.headers.get('intuit_tid'));
  });

  it('keeps realms independent: the same requestid in another realm writes there', async () => {
    const other = sandbox.store.listCompanies()[1]?.realmId ?? '';
    const otherToken = sandbox.issueAccessToken(other);
    const beforeOther = customers(other);
    const here = await create('shared-id', 'Here');
    const there = await create('shared-id', 'There', other, otherToken);
    expect(there.text).not.to.equal(here.text);
    expect(customers(other)).to.equal(beforeOther + 1);
  });

  it('lets a repeat that arrives while the original runs wait for it, then replays it', async () => {
    sandbox.control.setLatency(200);
    const before = customers();
    const [first, second] = await Promise.all([create('concurrent', 'Once'), create('concurrent', 'Once')]);
    expect(second?.text).to.equal(first?.text);
    expect(customers()).to.equal(before + 1);
  });

  it('refuses a requestid longer than 50 characters, or 36 on batch calls', async () => {
    expect((await create('x'.repeat(50), 'Fifty')).status).to.equal(200);
    const tooLong = await create('x'.repeat(51), 'Fifty-one');
    expect(tooLong.status).to.equal(400);
    expect(tooLong.json()).to.have.nested.property('Fault.type', 'ValidationFault');
    const batch = (id: string) => callApi(sandbox, `${realm}/batch?requestid=${id}`, { token, body: { BatchItemRequest: [] } });
    expect((await batch('b'.repeat(36))).status).to.equal(200);
    expect((await batch('b'.repeat(37))).status).to.equal(400);
  });
});

describe('sandbox minorversion handling', () => {
  let sandbox: RunningSandbox;
  let token: string;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
    token = sandbox.issueAccessToken(sandbox.defaultRealmId);
  });
  afterEach(() => sandbox.close());

  it('runs retired minor versions (below 75) as 75 and leaves newer ones alone', async () => {
    const seen = async (query: string) =>
      ((await callApi(sandbox, `${sandbox.defaultRealmId}/echo-query?${query}`, { token })).json() as { query: Record<string, string> }).query;
    expect(await seen('minorversion=8&requestid=a')).to.deep.equal({ minorversion: '75', requestid: 'a' });
    expect(await seen('minorversion=80')).to.deep.equal({ minorversion: '80' });
    expect(await seen('other=1')).to.deep.equal({ other: '1' });
  });
});

describe('sandbox idempotency through the real API router', () => {
  let sandbox: RunningSandbox;
  let realm: string;
  let token: string;
  const named = (name: string) => sandbox.store.all(realm, 'Customer').filter((customer) => customer.DisplayName === name);
  const create = (name: string, requestid: string) =>
    callApi(sandbox, `${realm}/customer?requestid=${requestid}&minorversion=75`, { token, body: { DisplayName: name } });

  beforeEach(async () => {
    sandbox = await startSandbox();
    realm = sandbox.defaultRealmId;
    token = sandbox.issueAccessToken(realm);
  });
  afterEach(() => sandbox.close());

  it('creates one customer for two sends of one requestid, and replays the validation fault of a refused one', async () => {
    const first = await create('Real Router Ltd', 'real-1');
    const again = await create('Real Router Ltd', 'real-1');
    expect(first.status).to.equal(200);
    expect(again.text).to.equal(first.text);
    expect(named('Real Router Ltd')).to.have.length(1);

    const duplicate = await create('Real Router Ltd', 'real-2');
    expect(duplicate.status).to.equal(400);
    const duplicateAgain = await create('Real Router Ltd', 'real-2');
    expect(duplicateAgain.status).to.equal(400);
    expect(duplicateAgain.text).to.equal(duplicate.text);
  });

  it('survives drop-after-write: the retry with the same requestid returns the customer that was written', async () => {
    sandbox.control.armFault({ kind: 'drop-after-write', method: 'POST', path: '/customer$' });
    let failure: unknown = null;
    await create('Lost Answer Inc', 'lost-1').catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    expect(named('Lost Answer Inc')).to.have.length(1);
    const retry = await create('Lost Answer Inc', 'lost-1');
    expect(retry.status).to.equal(200);
    expect(retry.json()).to.have.nested.property('Customer.Id', named('Lost Answer Inc')[0]?.Id);
    expect(named('Lost Answer Inc')).to.have.length(1);
  });
});

describe('sandbox requestid: only processed requests are remembered (issue 7)', () => {
  let harness: SandboxHarness;
  let realm: string;
  let token: string;
  const url = (requestid: string) => `${harness.sandbox.baseUrl}/v3/company/${realm}/customer?requestid=${requestid}&minorversion=75`;
  const post = async (requestid: string, body: string) => {
    const response = await fetch(url(requestid), { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' }, body });
    return { status: response.status, text: await response.text() };
  };
  const named = (name: string) => harness.store.all(realm, 'Customer').filter((c) => c['DisplayName'] === name).length;

  beforeEach(async () => {
    harness = await startHarness();
    realm = harness.company().realmId;
    token = harness.sandbox.issueAccessToken(realm);
  });
  afterEach(() => harness.close());

  it('applies the full body sent again under the requestid of a body that was cut off mid-way (2010)', async () => {
    const full = JSON.stringify({ DisplayName: 'Cut Off Co' });
    const cut = await post('cut-1', full.slice(0, full.length - 6));
    expect(cut.status).to.equal(400);
    expect(cut.text).to.contain('2010');
    const again = await post('cut-1', full);
    expect(again.status).to.equal(200);
    expect(named('Cut Off Co')).to.equal(1);
    // A processed request still replays: the same requestid a third time writes nothing.
    const third = await post('cut-1', full);
    expect(third.text).to.equal(again.text);
    expect(named('Cut Off Co')).to.equal(1);
  });

  it('still replays the answer to a body it read and refused (an unknown property)', async () => {
    const refused = await post('refused-1', JSON.stringify({ DisplayName: 'Refused Co', NoSuchField: 1 }));
    expect(refused.status).to.equal(400);
    const again = await post('refused-1', JSON.stringify({ DisplayName: 'Refused Co' }));
    expect(again.text).to.equal(refused.text);
    expect(named('Refused Co')).to.equal(0);
  });

  it('does not remember a request whose body stopped short of its Content-Length', async () => {
    const full = JSON.stringify({ DisplayName: 'Short Body Co' });
    const { port } = new URL(harness.sandbox.baseUrl);
    // Announce the full length, send half, then close our side: the body never arrives whole.
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /v3/company/${realm}/customer?requestid=short-1&minorversion=75 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
            `Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: ${full.length}\r\n\r\n${full.slice(0, 10)}`,
        );
        socket.end();
      });
      socket.on('data', () => undefined);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
    });
    const again = await post('short-1', full);
    expect(again.status).to.equal(200);
    expect(named('Short Body Co')).to.equal(1);
  });
});
