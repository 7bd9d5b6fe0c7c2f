/**
 * Intuit's per-realm limits: 500 requests per minute (batch calls included), 10 at once, 40 batch calls
 * per minute. Sliding one-minute windows on the sandbox clock. A refused request is not counted, so the
 * window frees exactly one minute after the requests that filled it.
 */
import type { RequestHandler } from 'express';
import type { SandboxClock } from '../clock';
import { isBatchCall, realmOf } from './api-request';
import { THROTTLE_EXCEEDED } from './intuit-fault-bodies';
import { sendXmlFault } from './send-fault';

export interface Limits {
  perMinute: number;
  concurrent: number;
  batchPerMinute: number;
}

export const INTUIT_LIMITS: Limits = { perMinute: 500, concurrent: 10, batchPerMinute: 40 };

const WINDOW_MS = 60_000;

interface RealmUsage {
  requests: number[];
  batches: number[];
  inFlight: number;
}

export class RealmLimiter {
  private readonly usage = new Map<string, RealmUsage>();

  constructor(
    private readonly clock: SandboxClock,
    public limits: Limits,
  ) {}

  /** True when the request may run; it then holds one concurrency slot until release(). */
  tryAcquire(realmId: string, isBatch: boolean): boolean {
    const usage = this.usageOf(realmId);
    const now = this.clock.nowMs();
    usage.requests = usage.requests.filter((at) => at > now - WINDOW_MS);
    usage.batches = usage.batches.filter((at) => at > now - WINDOW_MS);
    if (usage.inFlight >= this.limits.concurrent) return false;
    if (usage.requests.length >= this.limits.perMinute) return false;
    if (isBatch && usage.batches.length >= this.limits.batchPerMinute) return false;
    usage.requests.push(now);
    if (isBatch) usage.batches.push(now);
    usage.inFlight += 1;
    return true;
  }

  release(realmId: string): void {
    const usage = this.usageOf(realmId);
    usage.inFlight = Math.max(0, usage.inFlight - 1);
  }

  reset(): void {
    this.usage.clear();
  }

  private usageOf(realmId: string): RealmUsage {
    let usage = this.usage.get(realmId);
    if (!usage) {
      usage = { requests: [], batches: [], inFlight: 0 };
      this.usage.set(realmId, usage);
    }
    return usage;
  }
}

export function rateLimits(deps: { limiter: RealmLimiter; clock: SandboxClock }): RequestHandler {
  return (req, res, next) => {
    const realmId = realmOf(req);
    if (!deps.limiter.tryAcquire(realmId, isBatchCall(req))) return sendXmlFault(res, 429, THROTTLE_EXCEEDED, deps.clock.now());
    res.on('close', () => deps.limiter.release(realmId));
    next();
  };
}
