import { expect } from 'chai';
import { runBatch } from '../../plugin/qbo/batch';
import { QboClientClosedError } from '../../plugin/qbo/clock';
import { customers } from '../../plugin/qbo/entities/customer';
import { MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM } from '../../plugin/qbo/rate-limiter';
import { THROTTLE_BACKOFF_MS } from '../../plugin/qbo/retry-policy';
import { startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

/** Resolves when `check` holds, polling; fails after `limitMs` (a bound, not a timing assertion). */
async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Issue 14, trap "the limiter's and the 429 back-off's waits are plain timers": close() ends them at once so
 * a stopping process can exit. The sandbox runs in real time (scale 1): the waits here are a real minute,
 * far longer than the test's own timeout, so only close() can end them.
 */
describe('closing the QBO client ends its waits (issue 14, stop() must be able to exit)', () => {
  let h: SandboxClientHarness;
  beforeEach(async () => {
    h = await startSandboxClient(await testKnex(), { timeScale: 1 });
  });
  afterEach(() => h.close());

  it('ends a 429 back-off at once, without sending again', async () => {
    h.sandbox.store.bulkLoad(h.realmId, 'Customer', [{ Id: '1', DisplayName: 'Read Me' }]);
    h.sandbox.control.armFault({ kind: '429', count: 1, method: 'GET', path: '/customer/1$' });
    const reading = customers.read(h.client, h.realmId, '1').then(() => null, (e: unknown) => e);
    await until(() => h.clock.sleeps.some((ms) => ms >= THROTTLE_BACKOFF_MS), 'the client to back off after the 429');

    h.client.close();

    expect(await reading).to.be.instanceOf(QboClientClosedError);
    expect(h.requests().map((r) => r.status)).to.deep.equal([429]);
    const refused = await customers.read(h.client, h.realmId, '1').then(() => null, (e: unknown) => e);
    expect(refused).to.be.instanceOf(QboClientClosedError);
  });

  it('ends a wait for the batch window (40 batch calls a minute) at once', async () => {
    for (let i = 0; i < MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM; i += 1) {
      await runBatch(h.client, h.realmId, [{ bId: 'q', query: 'select * from Customer' }], 'lookup');
    }
    const waiting = runBatch(h.client, h.realmId, [{ bId: 'q', query: 'select * from Customer' }], 'lookup').then(() => null, (e: unknown) => e);
    await until(() => h.clock.sleeps.length > 0, 'the limiter to wait for the batch window');

    h.client.close();

    expect(await waiting).to.be.instanceOf(QboClientClosedError);
    expect(h.requests()).to.have.length(MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM);
  });
});
