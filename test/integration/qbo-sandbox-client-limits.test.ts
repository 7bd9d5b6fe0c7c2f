import { expect } from 'chai';
import crypto from 'node:crypto';
import { runBatch } from '../../plugin/qbo/batch';
import { customers } from '../../plugin/qbo/entities/customer';
import {
  MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM,
  MAX_CONCURRENT_REQUESTS_PER_REALM,
  MAX_REQUESTS_PER_MINUTE_PER_REALM,
} from '../../plugin/qbo/rate-limiter';
import { busiestMinute, peakConcurrency, startSandboxClient, type SandboxClientHarness } from '../support/sandbox-qbo-client';
import { testKnex } from '../support/test-database';

const MINUTE = 60_000;

/**
 * The sandbox with Intuit's real limits (500 a minute, 10 at once, 40 batch calls a minute) on a compressed
 * clock; the client's limiter counts on the same clock. The client must wait before the sandbox would
 * refuse: not one 429. The read burst runs at scale 8 (a sandbox minute is 7.5 real seconds, long enough
 * for 500 loopback reads on a busy machine, so the limit and not the CPU is what the burst runs into).
 */
describe('QBO client against the sandbox: the real limits', () => {
  let h: SandboxClientHarness | undefined;
  async function start(timeScale: number): Promise<SandboxClientHarness> {
    h = await startSandboxClient(await testKnex(), { timeScale });
    expect(h.sandbox.control.limits()).to.deep.equal({ perMinute: 500, concurrent: 10, batchPerMinute: 40 });
    h.sandbox.store.bulkLoad(h.realmId, 'Customer', [{ Id: '1', DisplayName: 'Burst Target' }]);
    return h;
  }
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('600 reads in a burst: the limiter waits for the window, the sandbox never answers 429', async function () {
    this.timeout(60_000);
    // Time scale 4: a sandbox minute is 15 real seconds, so the first 500 reads fill it (and the limiter
    // must hold back the last 100) on any machine doing 34 reads a second or more.
    const h = await start(4);
    const started = h.sandbox.clock.nowMs();
    const read = await Promise.all(Array.from({ length: 600 }, () => customers.read(h.client, h.realmId, '1')));
    const took = h.sandbox.clock.nowMs() - started;

    expect(read.every((c) => c.DisplayName === 'Burst Target')).to.equal(true);
    const log = h.requests();
    expect(log.filter((r) => r.status !== 200).map((r) => [r.status, r.faultCode])).to.deep.equal([]);
    expect(log).to.have.length(600);
    // Never above the limit; how close to it the client runs depends on this machine's speed and is
    // measured by bench/qbo-write-throughput.ts, not asserted here.
    expect(busiestMinute(log.map((r) => Date.parse(r.at)))).to.be.at.most(MAX_REQUESTS_PER_MINUTE_PER_REALM);
    expect(peakConcurrency(log)).to.be.at.most(MAX_CONCURRENT_REQUESTS_PER_REALM);
    // The last 100 had to wait for the first minute to pass: the limiter slept (no retries happened).
    expect(took).to.be.at.least(MINUTE);
    expect(h.clock.sleeps.filter((ms) => ms > 0).length).to.be.greaterThan(0);
  });

  it('50 batch calls: 40 in the first minute, the rest after it, no 429', async () => {
    // A limiter that counted its minute from the send rather than from the answer let the 41st batch
    // through early here (fixed): the sandbox counts a call when it arrives.
    const h = await start(30);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => runBatch(h.client, h.realmId, [{ bId: `q${i}`, query: "SELECT * FROM Customer WHERE Id = '1'" }], `test:limits:${crypto.randomUUID()}`)),
    );

    expect(results.map((r) => [...r.values()][0]?.ok)).to.deep.equal(Array(50).fill(true));
    const log = h.requests();
    expect(log.filter((r) => r.status !== 200)).to.deep.equal([]);
    expect(log.filter((r) => r.batchSize === 1)).to.have.length(50);
    expect(busiestMinute(log.map((r) => Date.parse(r.at)))).to.be.at.most(MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM);
  });

  it('25 parallel calls with 150 ms latency: the sandbox sees exactly 10 at once, never 11', async () => {
    const h = await start(60);
    h.sandbox.control.setLatency(150);
    await Promise.all(Array.from({ length: 25 }, () => customers.read(h.client, h.realmId, '1')));

    const log = h.requests();
    expect(log.map((r) => r.status)).to.deep.equal(Array(25).fill(200));
    expect(peakConcurrency(log)).to.equal(MAX_CONCURRENT_REQUESTS_PER_REALM);
  });
});

describe('sandbox request log: concurrency gauge', () => {
  let h: SandboxClientHarness;
  beforeEach(async () => {
    h = await startSandboxClient(await testKnex());
  });
  afterEach(() => h.close());

  const rawRead = async (token: string): Promise<number> => {
    const res = await fetch(`${h.sandbox.baseUrl}/v3/company/${h.realmId}/companyinfo/${h.realmId}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    await res.text();
    return res.status;
  };

  it('counts the requests open when each arrived, refused ones included, per realm', async () => {
    const token = h.sandbox.issueAccessToken(h.realmId);
    h.sandbox.control.setLatency(200);
    const statuses = await Promise.all(Array.from({ length: 11 }, () => rawRead(token)));
    expect(statuses.filter((s) => s === 429)).to.have.length(1);
    expect(peakConcurrency(h.requests())).to.equal(11);

    h.sandbox.control.setLatency(0);
    h.sandbox.control.clearRequests();
    for (let i = 0; i < 3; i += 1) await rawRead(token);
    expect(h.requests().map((r) => r.inFlightAtStart)).to.deep.equal([1, 1, 1]);
  });
});
