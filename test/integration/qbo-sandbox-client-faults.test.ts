import { expect } from 'chai';
import crypto from 'node:crypto';
import { createCustomer, customers } from '../../plugin/qbo/entities/customer';
import { QboThrottledError } from '../../plugin/qbo/errors';
import { MAX_CONCURRENT_REQUESTS_PER_REALM } from '../../plugin/qbo/rate-limiter';
import { MAX_ATTEMPTS, THROTTLE_BACKOFF_MS } from '../../plugin/qbo/retry-policy';
import { peakConcurrency, startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

/**
 * Bursts of 429 and 5xx from the sandbox (its real limits: 500/min, 10 concurrent, 40 batch/min) are ridden
 * out by the plugin's client. Time scale 600: the 60 s throttle back-off is 100 real ms, and the sandbox
 * counts its windows on the same clock as the client's limiter.
 */
describe('QBO client against the sandbox: bursts of 429 and 5xx', () => {
  let h: SandboxClientHarness;
  beforeEach(async () => {
    h = await startSandboxClient(await testKnex(), { timeScale: 600 });
  });
  afterEach(() => h.close());

  /** Every 429 the sandbox sent was one the test injected: the client never caused one itself. */
  function expectOnlyInjectedThrottles(): void {
    const throttled = h.requests().filter((r) => r.status === 429);
    expect(throttled.filter((r) => r.injectedFault !== '429'), '429s the client caused').to.deep.equal([]);
  }

  it('rides out a burst of 429s on a read: backs off about a minute each time, then succeeds', async () => {
    h.sandbox.control.armFault({ kind: '429', count: 3, method: 'GET', path: '/customer/1$' });
    h.sandbox.store.bulkLoad(h.realmId, 'Customer', [{ Id: '1', DisplayName: 'Read Me' }]);

    const customer = await customers.read(h.client, h.realmId, '1');

    expect(customer.DisplayName).to.equal('Read Me');
    expect(h.requests().map((r) => [r.status, r.injectedFault])).to.deep.equal([[429, '429'], [429, '429'], [429, '429'], [200, null]]);
    const backoffs = h.clock.sleeps.filter((ms) => ms >= THROTTLE_BACKOFF_MS);
    expect(backoffs).to.have.length(3);
    // The sandbox saw the retries at least a (sandbox) minute apart.
    const at = h.requests().map((r) => Date.parse(r.at));
    for (let i = 1; i < at.length; i += 1) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).to.be.at.least(THROTTLE_BACKOFF_MS);
  });

  it('rides out 500, 503 and 504 (XML) on a create with one requestid and one customer', async () => {
    const name = `Five Hundreds ${crypto.randomUUID().slice(0, 8)}`;
    for (const kind of ['500', '503', '504'] as const) h.sandbox.control.armFault({ kind, count: 1, method: 'POST', path: '/customer$' });

    const created = await createCustomer(h.client, h.realmId, { DisplayName: name }, `test:5xx:${crypto.randomUUID()}`);

    const posts = h.requests();
    expect(posts.map((r) => [r.status, r.injectedFault])).to.deep.equal([[500, '500'], [503, '503'], [504, '504'], [200, null]]);
    expect(posts[2]?.faultCode).to.equal('6002');
    expect(new Set(posts.map((r) => r.requestid)).size).to.equal(1);
    expect(h.sandbox.store.all(h.realmId, 'Customer').filter((c) => c['DisplayName'] === name).map((c) => c['Id'])).to.deep.equal([created.Id]);
    // Capped exponential back-off, no throttle-length waits.
    expect(h.clock.sleeps.filter((ms) => ms >= THROTTLE_BACKOFF_MS)).to.deep.equal([]);
    expect(h.clock.sleeps.filter((ms) => ms > 0)).to.have.length(3);
  });

  it('rides out a mixed burst under 30 parallel calls within the limits: only the injected 429s, never over 10 at once', async () => {
    h.sandbox.store.bulkLoad(h.realmId, 'Customer', Array.from({ length: 30 }, (_, i) => ({ Id: String(1000 + i), DisplayName: `Parallel ${i}` })));
    h.sandbox.control.armFault({ kind: '429', count: 4, method: 'GET' });
    h.sandbox.control.armFault({ kind: '503', count: 3, method: 'GET' });
    h.sandbox.control.armFault({ kind: '504', count: 3, method: 'GET' });
    h.sandbox.control.setLatency(20);

    const read = await Promise.all(Array.from({ length: 30 }, (_, i) => customers.read(h.client, h.realmId, String(1000 + i))));

    expect(read.map((c) => c.DisplayName)).to.deep.equal(Array.from({ length: 30 }, (_, i) => `Parallel ${i}`));
    const log = h.requests();
    expect(log.filter((r) => r.injectedFault !== null)).to.have.length(10);
    expect(log.filter((r) => r.status === 200)).to.have.length(30);
    expect(log).to.have.length(40);
    expectOnlyInjectedThrottles();
    // Parallel (the gauge saw overlap), but never over the limit.
    expect(peakConcurrency(log)).to.be.within(2, MAX_CONCURRENT_REQUESTS_PER_REALM);
    expect(h.sandbox.control.listFaults()).to.deep.equal([]);
  });

  it('gives up after the attempts run out and says it was throttled', async () => {
    h.sandbox.control.armFault({ kind: '429', count: MAX_ATTEMPTS, method: 'GET' });
    const error = await customers.read(h.client, h.realmId, '1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(QboThrottledError);
    expect((error as QboThrottledError).code).to.equal('3001');
    expect(h.requests()).to.have.length(MAX_ATTEMPTS);
  });

  it('refreshes once after the sandbox rejects an expired token (401) and succeeds; no token in the logs', async () => {
    h.sandbox.store.bulkLoad(h.realmId, 'Customer', [{ Id: '7', DisplayName: 'After Expiry' }]);
    expect((await customers.read(h.client, h.realmId, '7')).DisplayName).to.equal('After Expiry');
    const before = await h.tokens.getAccessToken(h.realmId);
    h.sandbox.clock.advance(3_601_000);

    expect((await customers.read(h.client, h.realmId, '7')).DisplayName).to.equal('After Expiry');

    expect(h.tokens.refreshes).to.equal(1);
    expect(h.requests().map((r) => [r.status, r.faultCode])).to.deep.equal([[200, null], [401, '3200'], [200, null]]);
    const after = await h.tokens.getAccessToken(h.realmId);
    expect(after).not.to.equal(before);
    const logs = h.logs.join('\n');
    expect(logs).to.include('3200');
    expect(logs).not.to.include(before);
    expect(logs).not.to.include(after);
  });

  it('stops after one refresh when the fresh token is refused too (401 twice: two calls, one refresh)', async () => {
    h.sandbox.control.armFault({ kind: '401', count: 2, method: 'GET' });
    const error = await customers.read(h.client, h.realmId, '1').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.have.property('kind', 'authentication');
    expect(h.tokens.refreshes).to.equal(1);
    expect(h.requests().map((r) => r.status)).to.deep.equal([401, 401]);
  });
});
