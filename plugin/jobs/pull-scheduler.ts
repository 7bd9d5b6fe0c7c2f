import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { scheduleWithoutOverlap } from './quiet-schedule';
import type { EnginePort } from '../ops/engine-port';
import type { ClaimedPull, PullQueue } from '../ops/pull-requests';

export interface PullSchedulerDeps {
  pulls: PullQueue;
  engine: Pick<EnginePort, 'pull'>;
  logger: Logger;
  /** node-cron expression with seconds, e.g. every 5 seconds. */
  schedule: string;
  /** Pulls claimed per pass; each is leased for `leaseMs` (longer than a pull takes). */
  batchSize?: number;
  leaseMs?: number;
  /** A busy account (its run lock held) is tried again this soon; a failed pull after `failureRetryMs`. */
  busyRetryMs?: number;
  failureRetryMs?: number;
  workerId?: string;
}

/**
 * Runs the CDC pulls webhooks asked for, on every process that starts it: each pass claims due pulls (never
 * one another process holds), asks the engine to pull each, then completes or hands it back. A process that
 * dies mid-pull lets its claims go when their lease expires.
 */
export class PullScheduler {
  private task: ScheduledTask | null = null;
  readonly workerId: string;

  constructor(private readonly deps: PullSchedulerDeps) {
    this.workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    this.task ??= scheduleWithoutOverlap(this.deps.schedule, 'qbo-pull-scheduler', () => this.runOnce().then(() => undefined, (error: unknown) => {
      this.deps.logger.error({ error: (error as Error).message }, 'QuickBooks pull pass failed; the next pass tries again');
    }));
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = null;
  }

  get isScheduled(): boolean {
    return this.task !== null;
  }

  /** One pass; returns the claims it handled. One account's failure never stops the others. */
  async runOnce(): Promise<ClaimedPull[]> {
    const claims = await this.deps.pulls.claimDuePulls({
      workerId: this.workerId,
      limit: this.deps.batchSize ?? 10,
      ...(this.deps.leaseMs === undefined ? {} : { leaseMs: this.deps.leaseMs }),
    });
    for (const claim of claims) await this.pullOne(claim);
    return claims;
  }

  private async pullOne(claim: ClaimedPull): Promise<void> {
    const log = this.deps.logger.child({ accountId: claim.accountId, reason: claim.reason, requests: claim.requestCount });
    try {
      const outcome = await this.deps.engine.pull(claim);
      if (outcome.status === 'busy') {
        await this.deps.pulls.failPull(claim, 'another sync run of this account was running', this.deps.busyRetryMs ?? 15_000);
        log.info('QuickBooks pull postponed: another run of this account is in progress');
        return;
      }
      const after = await this.deps.pulls.completePull(claim);
      log.info({ outcome: outcome.status, after }, 'QuickBooks pull finished');
    } catch (error) {
      const message = (error as Error).message;
      await this.deps.pulls.failPull(claim, message, this.deps.failureRetryMs ?? 60_000);
      log.warn({ error: message }, 'QuickBooks pull failed; it will be tried again');
    }
  }
}
