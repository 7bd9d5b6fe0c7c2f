import { expect } from 'chai';
import {
  MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM,
  MAX_CONCURRENT_REQUESTS_PER_REALM,
  MAX_REQUESTS_PER_MINUTE_PER_REALM,
  QboRateLimiter,
  RATE_WINDOW_MS,
  RealmRateLimiter,
} from '../../plugin/qbo/rate-limiter';
import type { Clock } from '../../plugin/qbo/clock';

/** A clock whose sleep moves time forward at once and records how long was asked for. */
class FakeClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('rate limiter', () => {
  it('uses the limits Intuit documents', () => {
    expect([MAX_CONCURRENT_REQUESTS_PER_REALM, MAX_REQUESTS_PER_MINUTE_PER_REALM, MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM, RATE_WINDOW_MS]).to.deep.equal([
      10, 500, 40, 60_000,
    ]);
  });

  it('lets 500 requests start in a minute and makes the 501st wait for the first to leave the window', async () => {
    const clock = new FakeClock();
    const limiter = new RealmRateLimiter(clock);
    for (let i = 0; i < MAX_REQUESTS_PER_MINUTE_PER_REALM; i += 1) (await limiter.acquire())();
    expect(clock.sleeps).to.deep.equal([]);
    (await limiter.acquire())();
    expect(clock.sleeps).to.deep.equal([RATE_WINDOW_MS]);
    expect(clock.now()).to.equal(RATE_WINDOW_MS);
  });

  it('keeps a slow call in the window until a minute after it ended, as QBO may have counted it late', async () => {
    const clock = new FakeClock();
    const limiter = new RealmRateLimiter(clock);
    const slow = await limiter.acquire(); // sent at 0 s
    clock.time = 5_000;
    slow(); // answered at 5 s
    clock.time = 10_000;
    for (let i = 1; i < MAX_REQUESTS_PER_MINUTE_PER_REALM; i += 1) (await limiter.acquire())();
    clock.time = RATE_WINDOW_MS;
    // A minute after the slow call was SENT the window would look free; it stays full until 65 s.
    (await limiter.acquire())();
    expect(clock.sleeps).to.deep.equal([5_000]);
    expect(clock.now()).to.equal(RATE_WINDOW_MS + 5_000);
  });

  it('counts a rolling window, not a fixed minute', async () => {
    const clock = new FakeClock();
    const limiter = new RealmRateLimiter(clock);
    for (let i = 0; i < 250; i += 1) (await limiter.acquire())();
    clock.time = 45_000;
    for (let i = 0; i < 250; i += 1) (await limiter.acquire())();
    (await limiter.acquire())(); // the first 250 leave the window at 60 s
    expect(clock.sleeps).to.deep.equal([15_000]);
    for (let i = 0; i < 249; i += 1) (await limiter.acquire())();
    expect(clock.sleeps).to.deep.equal([15_000]);
    (await limiter.acquire())(); // window now holds 250 from 45 s and 250 from 60 s: wait for the 45 s ones
    expect(clock.sleeps).to.deep.equal([15_000, 45_000]);
  });

  it('allows 40 batch calls a minute without slowing single calls', async () => {
    const clock = new FakeClock();
    const limiter = new RealmRateLimiter(clock);
    for (let i = 0; i < MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM; i += 1) (await limiter.acquire('batch'))();
    (await limiter.acquire('single'))();
    expect(clock.sleeps).to.deep.equal([]);
    clock.time = 10_000;
    (await limiter.acquire('batch'))();
    expect(clock.sleeps).to.deep.equal([50_000]);
  });

  it('does not let a batch call waiting for the batch window hold up single calls behind it', async () => {
    const clock = new FakeClock();
    const limiter = new RealmRateLimiter(clock);
    for (let i = 0; i < MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM; i += 1) (await limiter.acquire('batch'))();
    let batchStarted = false;
    let sleepDone: () => void = () => undefined;
    clock.sleep = (ms: number) => {
      clock.sleeps.push(ms);
      return new Promise<void>((resolve) => (sleepDone = resolve)); // the batch call waits here until we say
    };
    const batch = limiter.acquire('batch').then((release) => ((batchStarted = true), release));
    await settle();
    expect(clock.sleeps).to.deep.equal([RATE_WINDOW_MS]);
    // Singles asked for after the waiting batch call still start at once.
    for (let i = 0; i < 100; i += 1) (await limiter.acquire('single'))();
    expect(batchStarted).to.equal(false);
    clock.time = RATE_WINDOW_MS;
    sleepDone();
    (await batch)();
    expect(batchStarted).to.equal(true);
  });

  it('counts batch calls in the 500 a minute too', async () => {
    const clock = new FakeClock();
    const limiter = new RealmRateLimiter(clock);
    for (let i = 0; i < 30; i += 1) (await limiter.acquire('batch'))();
    for (let i = 0; i < MAX_REQUESTS_PER_MINUTE_PER_REALM - 30; i += 1) (await limiter.acquire('single'))();
    (await limiter.acquire('single'))();
    expect(clock.sleeps).to.deep.equal([RATE_WINDOW_MS]);
  });

  it('holds the 11th concurrent request until one finishes, in arrival order, without rejecting', async () => {
    const limiter = new RealmRateLimiter(new FakeClock());
    const releases = await Promise.all(Array.from({ length: MAX_CONCURRENT_REQUESTS_PER_REALM }, () => limiter.acquire()));
    const order: number[] = [];
    const eleventh = limiter.acquire().then((release) => (order.push(11), release));
    const twelfth = limiter.acquire().then((release) => (order.push(12), release));
    await settle();
    expect(order).to.deep.equal([]);
    expect(limiter.activeCount).to.equal(10);
    releases[0]?.();
    await settle();
    expect(order).to.deep.equal([11]);
    releases[0]?.(); // a second call of the same release changes nothing
    await settle();
    expect(order).to.deep.equal([11]);
    releases[1]?.();
    await settle();
    expect(order).to.deep.equal([11, 12]);
    (await eleventh)();
    (await twelfth)();
    for (const release of releases.slice(2)) release();
    expect(limiter.activeCount).to.equal(0);
  });

  it('keeps realms independent', async () => {
    const clock = new FakeClock();
    const limiters = new QboRateLimiter(clock);
    for (let i = 0; i < MAX_CONCURRENT_REQUESTS_PER_REALM; i += 1) await limiters.forRealm('111').acquire();
    for (let i = 0; i < MAX_REQUESTS_PER_MINUTE_PER_REALM; i += 1) (await limiters.forRealm('222').acquire())();
    let otherRealmDone = false;
    void limiters.run('333', 'single', () => Promise.resolve((otherRealmDone = true)));
    await settle();
    expect(otherRealmDone).to.equal(true);
    expect(clock.sleeps).to.deep.equal([]);
    expect(limiters.forRealm('111').activeCount).to.equal(10);
    expect(limiters.forRealm('111')).to.equal(limiters.forRealm('111'));
  });

  it('releases the slot when the wrapped call fails', async () => {
    const limiters = new QboRateLimiter(new FakeClock());
    const failed = await limiters.run('1', 'single', () => Promise.reject(new Error('boom'))).catch((e: Error) => e.message);
    expect(failed).to.equal('boom');
    expect(limiters.forRealm('1').activeCount).to.equal(0);
  });
});
