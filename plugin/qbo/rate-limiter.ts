import { setMaxListeners } from 'node:events';
import { QboClientClosedError, systemClock, unlessClosed, type Clock } from './clock';

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
 * One request in the rolling window. `at` is when it ended (answered or failed); +Infinity while it runs.
 * A request counts from the moment it takes its slot, and leaves the window a minute after it ENDED, not a
 * minute after it started: QBO counts a request when it arrives, somewhere between our send and its answer,
 * and a call that was slow to arrive (a new TLS connection, a busy event loop) would otherwise leave our
 * window before QBO's and let the 501st request of QBO's minute through (a 429 and a 60 s back-off). The
 * answer can only come after QBO counted the request, so a minute after the answer is always safe; it costs
 * one call's latency per minute of budget.
 */
interface WindowEntry {
  at: number;
  batch: boolean;
}

/**
 * One realm's limiter. Callers wait (never get rejected) until a slot is free: a rolling 60 s window for all
 * requests and one for batch calls, and a concurrency count. Single calls and batch calls queue in two FIFO
 * lanes that share the window and the concurrency: a batch call waiting for the 40-a-minute batch window
 * must not hold up the single calls behind it, or a sync mixing both would leave most of the 500 a minute
 * unused (measured by bench/qbo-write-throughput.ts).
 */
export class RealmRateLimiter {
  private active = 0;
  private window: WindowEntry[] = [];
  private concurrencyWaiters: (() => void)[] = [];
  private endWaiters: (() => void)[] = [];
  private readonly lanes: Record<RequestKind, Promise<void>> = { single: Promise.resolve(), batch: Promise.resolve() };

  constructor(
    private readonly clock: Clock = systemClock,
    /** Aborted when the limiter closes: every wait ends with QboClientClosedError. */
    private readonly closed: AbortSignal = new AbortController().signal,
  ) {}

  get activeCount(): number {
    return this.active;
  }

  /** Waits for a slot in turn (first come, first served within its lane) and returns its release. */
  acquire(kind: RequestKind = 'single'): Promise<ReleaseSlot> {
    const turn = this.lanes[kind].then(() => this.waitForSlot(kind));
    this.lanes[kind] = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(kind: RequestKind): Promise<ReleaseSlot> {
    for (;;) {
      if (this.closed.aborted) throw new QboClientClosedError();
      if (this.active >= MAX_CONCURRENT_REQUESTS_PER_REALM) {
        await unlessClosed(new Promise<void>((resolve) => this.concurrencyWaiters.push(resolve)), this.closed);
        continue;
      }
      const now = this.clock.now();
      this.window = this.window.filter((entry) => entry.at > now - RATE_WINDOW_MS);
      const waitMs = Math.max(
        waitUntilFree(this.window.map((entry) => entry.at), MAX_REQUESTS_PER_MINUTE_PER_REALM, now),
        kind === 'batch' ? waitUntilFree(this.window.filter((entry) => entry.batch).map((entry) => entry.at), MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM, now) : 0,
      );
      if (waitMs === Number.POSITIVE_INFINITY) {
        // Only requests still running could make room: wait for one to end.
        await unlessClosed(new Promise<void>((resolve) => this.endWaiters.push(resolve)), this.closed);
        continue;
      }
      if (waitMs > 0) {
        await unlessClosed(this.clock.sleep(waitMs, this.closed), this.closed);
        continue;
      }
      const entry: WindowEntry = { at: Number.POSITIVE_INFINITY, batch: kind === 'batch' };
      this.window.push(entry);
      this.active += 1;
      return this.releaser(entry);
    }
  }

  private releaser(entry: WindowEntry): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.at = this.clock.now();
      this.active -= 1;
      // Wake the head of each lane (at most two waiters); each checks again and one takes the slot.
      const waiting = [...this.concurrencyWaiters, ...this.endWaiters];
      this.concurrencyWaiters = [];
      this.endWaiters = [];
      for (const wake of waiting) wake();
    };
  }
}

/** How long until the window (end times, +Infinity for running requests) has room for one more start. */
function waitUntilFree(endTimes: readonly number[], limit: number, now: number): number {
  if (endTimes.length < limit) return 0;
  const sorted = [...endTimes].sort((a, b) => a - b);
  const oldestThatMustExpire = sorted[sorted.length - limit] ?? now;
  return oldestThatMustExpire + RATE_WINDOW_MS - now;
}

/**
 * The limiters of all realms in this process; a realm's limiter is independent of another's. Workers hold
 * a realm under an advisory lock, so one process talks to a realm at a time and these counts are the
 * realm's real traffic.
 */
export class QboRateLimiter {
  private readonly realms = new Map<string, RealmRateLimiter>();
  private readonly closing = new AbortController();

  constructor(private readonly clock: Clock = systemClock) {
    // One listener per waiting call: many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  /** Ends every wait at once (QboClientClosedError) and refuses new ones: lets a stopping process exit. */
  close(): void {
    this.closing.abort();
  }

  get signal(): AbortSignal {
    return this.closing.signal;
  }

  forRealm(realmId: string): RealmRateLimiter {
    let limiter = this.realms.get(realmId);
    if (!limiter) {
      limiter = new RealmRateLimiter(this.clock, this.closing.signal);
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
