import type { ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { scheduleWithoutOverlap } from './quiet-schedule';
import type { EnginePort } from '../ops/engine-port';
import type { OpsQueueRepository } from '../persistence/ops-queue-repository';
import { StoppingError, type RunsInHand } from './runs-in-hand';

export interface DrainSchedulerDeps {
  queue: Pick<OpsQueueRepository, 'accountsWithDueWork' | 'dueCount'>;
  engine: Pick<EnginePort, 'continuous'>;
  runs: RunsInHand;
  logger: Logger;
  clock: () => Date;
  /** node-cron expression with seconds, e.g. every 2 seconds. */
  schedule: string;
  /** Accounts run side by side by one process. */
  concurrency?: number;
  /** Longest wait for an account whose queue the engine leaves as it is (a failing QuickBooks, a flow not installed). */
  maxBackoffMs?: number;
}

const FIRST_BACKOFF_MS = 2_000;
const DUE_CAP = 10_000;
const ACCOUNTS_PER_PASS = 500;

interface Backoff {
  due: number;
  until: number;
  waitMs: number;
}

/**
 * Sends saves to QuickBooks within seconds: every pass finds connected accounts with due queue rows (or
 * claims whose lease ran out) and runs the engine's continuous run for each, which pulls QuickBooks'
 * changes, then sends the queue through every flow the engine has. Any number of processes run it: the
 * engine's per-account advisory lock lets one of them work an account ("already running" for the others),
 * and claims are SKIP LOCKED and leased. An account whose run left its due rows as they were (QuickBooks
 * failing, or rows no flow takes) waits 2, 4, 8 … s (at most `maxBackoffMs`) unless new rows arrive.
 */
export class DrainScheduler {
  private task: ScheduledTask | null = null;
  private readonly backoff = new Map<string, Backoff>();
  private offset = 0;

  constructor(private readonly deps: DrainSchedulerDeps) {}

  start(): void {
    this.task ??= scheduleWithoutOverlap(this.deps.schedule, 'qbo-drain', () => this.runOnce().then(() => undefined, (error: unknown) => {
      this.deps.logger.error({ error: (error as Error).message }, 'QuickBooks drain pass failed; the next pass tries again');
    }));
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = null;
  }

  get isScheduled(): boolean {
    return this.task !== null;
  }

  /** One pass: the status of each account it ran (accounts waiting out a back-off are left out). */
  async runOnce(): Promise<Record<string, string>> {
    if (this.deps.runs.isStopping) return {};
    const now = this.deps.clock();
    const due = await this.deps.queue.accountsWithDueWork(now, ACCOUNTS_PER_PASS);
    // Each process starts at another place in the list, so two processes seldom reach for the same account first.
    this.offset = (this.offset + 1) % Math.max(1, due.length);
    const order = [...due.slice(this.offset), ...due.slice(0, this.offset)];
    const todo: { accountId: string; dueBefore: number }[] = [];
    for (const accountId of order) {
      const dueBefore = await this.deps.queue.dueCount(accountId, now, DUE_CAP);
      const wait = this.backoff.get(accountId);
      if (wait && wait.due === dueBefore && now.getTime() < wait.until) continue;
      todo.push({ accountId, dueBefore });
    }
    const results: Record<string, string> = {};
    const workers = Array.from({ length: Math.min(this.deps.concurrency ?? 4, todo.length) }, async () => {
      for (let next = todo.shift(); next; next = todo.shift()) results[next.accountId] = await this.runAccount(next.accountId);
    });
    await Promise.all(workers);
    return results;
  }

  private async runAccount(accountId: string): Promise<string> {
    const log = this.deps.logger.child({ accountId });
    let status: string;
    try {
      const outcome = await this.deps.runs.track(accountId, () => this.deps.engine.continuous(accountId));
      status = outcome.status;
      if (status === 'failed') log.warn({ error: outcome['error'] }, 'QuickBooks drain run failed; it is tried again after a pause');
      else if (status === 'finished') log.debug({ runId: outcome.runId }, 'QuickBooks drain run finished');
    } catch (error) {
      if (error instanceof StoppingError) return 'stopping';
      status = 'failed';
      log.error({ error: (error as Error).message }, 'QuickBooks drain run failed; it is tried again after a pause');
    }
    // Another process has the account: it sends the queue, nothing to remember here.
    if (status === 'already_running') return status;
    const left = await this.deps.queue.dueCount(accountId, this.deps.clock(), DUE_CAP);
    if (left === 0) {
      this.backoff.delete(accountId);
      return status;
    }
    const previous = this.backoff.get(accountId);
    const waitMs = Math.min(previous ? previous.waitMs * 2 : FIRST_BACKOFF_MS, this.deps.maxBackoffMs ?? 5 * 60_000);
    this.backoff.set(accountId, { due: left, until: this.deps.clock().getTime() + waitMs, waitMs });
    return status;
  }
}
