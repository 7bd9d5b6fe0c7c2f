import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { RunningSandbox } from '../../dev/qbo-sandbox/server';
import { callApi, inBatches, startTestSandbox, type ApiAnswer } from './sandbox-test-support';

function expectThrottled(answer: ApiAnswer): void {
  expect(answer.status).to.equal(429);
  expect(answer.headers.get('content-type')).to.match(/^application\/xml/);
  const parsed = new XMLParser({ ignoreAttributes: false }).parse(answer.text) as {
    IntuitResponse: { Fault: { '@_type': string; Error: { '@_code': string; Message: string } } };
  };
  expect(parsed.IntuitResponse.Fault['@_type']).to.equal('SERVICE');
  expect(parsed.IntuitResponse.Fault.Error['@_code']).to.equal('3001');
  expect(parsed.IntuitResponse.Fault.Error.Message).to.equal('message=ThrottleExceeded; errorCode=003001; statusCode=429');
}

describe('sandbox rate limits', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const read = (): Promise<ApiAnswer> => callApi(sandbox, `${sandbox.defaultRealmId}/customer/1`, { token });
  const batch = (): Promise<ApiAnswer> =>
    callApi(sandbox, `${sandbox.defaultRealmId}/batch`, { token, body: { BatchItemRequest: [{ bId: '1', Query: 'SELECT * FROM Customer' }] } });

  beforeEach(async () => {
    sandbox = await startTestSandbox();
    token = sandbox.issueAccessToken(sandbox.defaultRealmId);
  });
  afterEach(() => sandbox.close());

  it('answers the 501st request of a minute with 429 XML ThrottleExceeded, though JSON was asked for', async () => {
    const answers = await inBatches(500, 10, () => read());
    expect(answers.filter((answer) => answer.status === 429)).to.have.length(0);
    expectThrottled(await read());
  });

  it('frees the window once the sandbox clock has moved a minute, and keeps realms apart', async () => {
    const burstStart = sandbox.clock.nowMs();
    await inBatches(500, 10, () => read());
    const burstEnd = sandbox.clock.nowMs();
    const otherRealm = sandbox.store.listCompanies()[1]?.realmId ?? '';
    const other = await callApi(sandbox, `${otherRealm}/customer/1`, { token: sandbox.issueAccessToken(otherRealm) });
    expect(other.status).not.to.equal(429);
    // Just under a minute after the first request of the burst: still full. A minute after its last: free.
    sandbox.clock.advance(Math.max(0, burstStart + 59_000 - sandbox.clock.nowMs()));
    expectThrottled(await read());
    sandbox.clock.advance(Math.max(0, burstEnd + 60_001 - sandbox.clock.nowMs()));
    expect((await read()).status).not.to.equal(429);
  });

  it('throttles the 11th concurrent request of a realm, only that one', async () => {
    sandbox.control.setLatency(1_000);
    const answers = await Promise.all(Array.from({ length: 11 }, () => read()));
    const throttled = answers.filter((answer) => answer.status === 429);
    expect(throttled).to.have.length(1);
    expectThrottled(throttled[0] as ApiAnswer);
    sandbox.control.setLatency(0);
    expect((await read()).status).not.to.equal(429);
  });

  it('throttles the 41st batch call of a minute while single calls still pass', async () => {
    const answers = await inBatches(40, 10, () => batch());
    expect(answers.map((answer) => answer.status)).to.deep.equal(Array(40).fill(200));
    expectThrottled(await batch());
    expect((await read()).status).not.to.equal(429);
    sandbox.clock.advance(60_001);
    expect((await batch()).status).to.equal(200);
  });

  it('takes configured limits', async () => {
    await sandbox.close();
    sandbox = await startTestSandbox({ limits: { perMinute: 3 } });
    token = sandbox.issueAccessToken(sandbox.defaultRealmId);
    for (let i = 0; i < 3; i += 1) expect((await read()).status).not.to.equal(429);
    expectThrottled(await read());
  });

  it('compresses the window with the time scale (scale 60: a sandbox minute is a real second)', async () => {
    await sandbox.close();
    sandbox = await startTestSandbox({ timeScale: 60, limits: { perMinute: 5 } });
    token = sandbox.issueAccessToken(sandbox.defaultRealmId);
    const answers = await Promise.all(Array.from({ length: 6 }, () => read()));
    expect(answers.filter((answer) => answer.status === 429)).to.have.length(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await read()).status).not.to.equal(429);
  });
});
