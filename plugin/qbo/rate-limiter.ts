import { systemClock, type Clock } from './clock';

/**
 * Per-realm limits, from Intuit's "Limits and throttles" (developer.intuit.com/app/developer/qbo/docs/
 * learn/rest-api-features#limits-and-throttles): per realm and app, 500 requests per minute (batch calls
 * included), at most 10 concurrent requests, and 40 batch calls per minute. Going over gives 429.
 */
export const MAX_CONCURRENT_REQUESTS_PER_REALM = 10;
export const MAX_REQUESTS_PER_MINUTE_PER_REALM = 500;
export const MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM = 40;
export const RATE_WINDOW_MS = 60_000;

export type RequestKind = 'single' | 'batch';

/** Call it exactly once when the request is over (answered or failed). */
export type ReleaseSlot = () => void;

/**
 * One realm's limiter. Callers wait (never get rejected) until a slot is free: FIFO, a rolling 60 s window
 * of start times for all requests and one for batch calls, and a concurrency count.
 */
export class RealmRateLimiter {
  private active = 0;
  private readonly started: number[] = [];
  private readonly batchStarted: number[] = [];
  private readonly concurrencyWaiters: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly clock: Clock = systemClock) {}

  get activeCount(): number {
    return this.active;
  }

  /** Waits for a slot in turn and returns its release. */
  acquire(kind: RequestKind = 'single'): Promise<ReleaseSlot> {
    const turn = this.queue.then(() => this.waitForSlot(kind));
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(kind: RequestKind): Promise<ReleaseSlot> {
    for (;;) {
      if (this.active >= MAX_CONCURRENT_REQUESTS_PER_REALM) {
        await new Promise<void>((resolve) => this.concurrencyWaiters.push(resolve));
        continue;
      }
      const now = this.clock.now();
      prune(this.started, now);
      prune(this.batchStarted, now);
      const waitMs = Math.max(
        waitUntilFree(this.started, MAX_REQUESTS_PER_MINUTE_PER_REALM, now),
        kind === 'batch' ? waitUntilFree(this.batchStarted, MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM, now) : 0,
      );
      if (waitMs > 0) {
        await this.clock.sleep(waitMs);
        continue;
      }
      this.started.push(now);
      if (kind === 'batch') this.batchStarted.push(now);
      this.active += 1;
      return this.releaser();
    }
  }

  private releaser(): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.concurrencyWaiters.shift()?.();
    };
  }
}

function prune(startTimes: number[], now: number): void {
  while (startTimes.length > 0 && (startTimes[0] ?? now) <= now - RATE_WINDOW_MS) startTimes.shift();
}

/** How long until the window has room for one more start. */
function waitUntilFree(startTimes: readonly number[], limit: number, now: number): number {
  if (startTimes.length < limit) return 0;
  const oldestThatMustExpire = startTimes[startTimes.length - limit] ?? now;
  return oldestThatMustExpire + RATE_WINDOW_MS - now;
}

/**
 * The limiters of all realms in this process; a realm's limiter is independent of another's. Workers hold
 * a realm under an advisory lock, so one process talks to a realm at a time and these counts are the
 * realm's real traffic.
 */
export class QboRateLimiter {
  private readonly realms = new Map<string, RealmRateLimiter>();

  constructor(private readonly clock: Clock = systemClock) {}

  forRealm(realmId: string): RealmRateLimiter {
    let limiter = this.realms.get(realmId);
    if (!limiter) {
      limiter = new RealmRateLimiter(this.clock);
      this.realms.set(realmId, limiter);
    }
    return limiter;
  }

  /** Runs `fn` inside one of the realm's slots. */
  async run<T>(realmId: string, kind: RequestKind, fn: () => Promise<T>): Promise<T> {
    const release = await this.forRealm(realmId).acquire(kind);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
