import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { scheduleWithoutOverlap } from './quiet-schedule';
import type { EnginePort } from '../ops/engine-port';
import { dueNightlySlot, isValidTimeZone, nightlyJitterMs } from '../ops/nightly-slot';
import type { NightlyRunRepository } from '../persistence/nightly-run-repository';
import { StoppingError, type RunsInHand } from './runs-in-hand';

export interface NightlySyncDeps {
  nights: Pick<NightlyRunRepository, 'candidates' | 'claim' | 'finish' | 'release'>;
  engine: Pick<EnginePort, 'continuous'>;
  runs: RunsInHand;
  logger: Logger;
  clock: () => Date;
  /** How often to look for accounts whose night has come (node-cron with seconds; every minute by default). */
  schedule: string;
  jitterMinutes: number;
  catchUpHours: number;
  /** A night claimed by a worker that died is taken over after this. */
  leaseMs?: number;
  workerId?: string;
}

export interface NightlyOutcome {
  accountId: string;
  slot: string;
  status: string;
}

/** Statuses that settle a night: it ran, failed (the log and health say so), or there was nothing to run. */
const SETTLED = new Set(['finished', 'failed', 'not_connected', 'needs_reconnect']);

/**
 * The customer's nightly sync: each account's continuous run at its configured local time and time zone,
 * plus a fixed per-account jitter. Every process checks each minute; qbo_nightly_runs lets one of them take
 * an account's night, once. A night that meets a manual run of the account (its lock held) is given back
 * and tried again at the next check, so the two never overlap and the night is not lost.
 */
export class NightlySyncJob {
  private task: ScheduledTask | null = null;
  private readonly warnedZones = new Set<string>();
  readonly workerId: string;

  constructor(private readonly deps: NightlySyncDeps) {
    this.workerId = deps.workerId ?? `${hostname()}:${process.pid}:nightly:${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    this.task ??= scheduleWithoutOverlap(this.deps.schedule, 'qbo-nightly-sync', () => this.runOnce().then(() => undefined, (error: unknown) => {
      this.deps.logger.error({ error: (error as Error).message }, 'QuickBooks nightly check failed; the next check tries again');
    }));
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = null;
  }

  get isScheduled(): boolean {
    return this.task !== null;
  }

  /** One check: runs every account whose night is due and not yet run; returns what it did. */
  async runOnce(): Promise<NightlyOutcome[]> {
    const out: NightlyOutcome[] = [];
    for (const account of await this.deps.nights.candidates()) {
      if (this.deps.runs.isStopping) break;
      const timeZone = this.zoneOf(account.accountId, account.timeZone);
      const now = this.deps.clock();
      const due = dueNightlySlot(now, { time: account.time, timeZone }, nightlyJitterMs(account.accountId, this.deps.jitterMinutes), this.deps.catchUpHours * 3_600_000);
      if (!due || (account.lastSlot !== null && account.lastSlot >= due.slot)) continue;
      if (!(await this.deps.nights.claim(account.accountId, due.slot, this.workerId, now, this.deps.leaseMs ?? 2 * 3_600_000))) continue;
      out.push({ accountId: account.accountId, slot: due.slot, status: await this.runNight(account.accountId, due.slot) });
    }
    return out;
  }

  private async runNight(accountId: string, slot: string): Promise<string> {
    const log = this.deps.logger.child({ accountId, night: slot });
    try {
      const outcome = await this.deps.runs.track(accountId, () => this.deps.engine.continuous(accountId));
      if (SETTLED.has(outcome.status)) {
        await this.deps.nights.finish(accountId, this.workerId, outcome.status, outcome.runId ?? null, this.deps.clock());
        log.info({ status: outcome.status, runId: outcome.runId }, 'QuickBooks nightly sync done');
      } else {
        await this.deps.nights.release(accountId, this.workerId, this.deps.clock());
        log.info({ status: outcome.status }, 'QuickBooks nightly sync waits: another run of this account is in progress');
      }
      return outcome.status;
    } catch (error) {
      await this.deps.nights.release(accountId, this.workerId, this.deps.clock());
      if (error instanceof StoppingError) return 'stopping';
      log.error({ error: (error as Error).message }, 'QuickBooks nightly sync failed to start; the next check tries again');
      return 'error';
    }
  }

  /** A zone PostgreSQL holds but this runtime does not know runs the night in UTC, said once per account. */
  private zoneOf(accountId: string, timeZone: string): string {
    if (isValidTimeZone(timeZone)) return timeZone;
    if (!this.warnedZones.has(accountId)) {
      this.warnedZones.add(accountId);
      this.deps.logger.warn({ accountId, timeZone }, 'QuickBooks nightly sync: unknown time zone, the night runs at its time in UTC');
    }
    return 'UTC';
  }
}
