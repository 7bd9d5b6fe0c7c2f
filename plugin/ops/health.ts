import { HEALTH_PROBLEMS, type HealthProblem } from '../messages';
import type { AccountHealthFacts, HealthRepository } from '../persistence/health-repository';

export type HealthState = 'ok' | 'warning' | 'critical';

export interface HealthThresholds {
  /** The oldest pending change may wait this long before a warning, and `queueCriticalSeconds` before critical. */
  queueWarningSeconds: number;
  queueCriticalSeconds: number;
  runStuckSeconds: number;
  /** A requested pull not picked up this long after it was due means no worker takes pulls. */
  pullOverdueSeconds: number;
  /** The window of "recent" failures, log errors and webhooks. */
  recentSeconds: number;
  /** Rows whose worker's lease ran out this long ago and nobody took back mean no drain is running. */
  leaseOverdueSeconds: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  queueWarningSeconds: 15 * 60,
  queueCriticalSeconds: 60 * 60,
  runStuckSeconds: 2 * 60 * 60,
  pullOverdueSeconds: 15 * 60,
  recentSeconds: 24 * 60 * 60,
  leaseOverdueSeconds: 10 * 60,
};

export interface AccountHealth {
  accountId: string;
  state: HealthState;
  problems: { code: HealthProblem; severity: Exclude<HealthState, 'ok'>; message: string }[];
  connection: AccountHealthFacts['connection'];
  queue: AccountHealthFacts['queue'] & { oldestPendingAgeSeconds: number | null };
  lastRun: (NonNullable<AccountHealthFacts['lastRun']> & { ageSeconds: number }) | null;
  failures: { failedOutboxRows: number; logErrors: number; windowSeconds: number };
  webhooks: AccountHealthFacts['webhooks'];
  pull: AccountHealthFacts['pull'];
  /** Queued work waits on purpose: the account is not connected or needs a reconnect. */
  paused: boolean;
  leases: NonNullable<AccountHealthFacts['leases']>;
  nightly: AccountHealthFacts['nightly'] | null;
}

export interface HealthReport {
  generatedAt: Date;
  state: HealthState;
  accounts: AccountHealth[];
}

const secondsBetween = (from: Date, to: Date): number => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
const RANK: Record<HealthState, number> = { ok: 0, warning: 1, critical: 2 };
const worst = (states: HealthState[]): HealthState => states.reduce<HealthState>((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok');

/** Pure: what the facts mean for someone on call. */
export function assessAccount(facts: AccountHealthFacts, now: Date, t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): AccountHealth {
  const problems: AccountHealth['problems'] = [];
  const add = (code: HealthProblem, severity: 'warning' | 'critical') => problems.push({ code, severity, message: HEALTH_PROBLEMS[code] });
  const status = facts.connection?.status ?? null;
  const oldestAge = facts.queue.oldestPendingAt ? secondsBetween(facts.queue.oldestPendingAt, now) : null;

  if (status === 'needs_reconnect') add('needs_reconnect', 'critical');
  if (status !== 'connected' && status !== 'needs_reconnect' && facts.queue.pending > 0) add('not_connected', 'warning');
  // A queue waiting for the first sync waits for an admin, not for a worker: said once, not as a stalled queue.
  const awaitingFirstSync = status === 'connected' && facts.onboarded === false;
  if (awaitingFirstSync && facts.queue.pending > 0) add('first_sync_pending', 'warning');
  // A paused or unconnected queue waits on purpose: its age is reported, not alerted twice.
  if (status === 'connected' && !awaitingFirstSync && oldestAge !== null) {
    if (oldestAge >= t.queueCriticalSeconds) add('queue_stuck', 'critical');
    else if (oldestAge >= t.queueWarningSeconds) add('queue_stalled', 'warning');
  }
  if (facts.queue.failedSince > 0 || facts.logErrorsSince > 0) add('failures', 'warning');
  if (facts.lastRun?.status === 'failed') add('last_run_failed', 'warning');
  if (facts.lastRun?.status === 'running' && secondsBetween(facts.lastRun.startedAt, now) >= t.runStuckSeconds) add('run_stuck', 'warning');
  const pullOverdue = facts.pull && facts.pull.claimedBy === null && secondsBetween(facts.pull.dueAt, now) >= t.pullOverdueSeconds;
  if (status === 'connected' && pullOverdue) add('pulls_waiting', 'warning');
  const leases = facts.leases ?? { expired: 0, oldestExpiredAt: null };
  if (leases.oldestExpiredAt && secondsBetween(leases.oldestExpiredAt, now) >= t.leaseOverdueSeconds && status === 'connected') add('leases_expired', 'warning');

  return {
    accountId: facts.accountId,
    state: worst(problems.map((p) => p.severity)),
    problems,
    connection: facts.connection,
    queue: { ...facts.queue, oldestPendingAgeSeconds: oldestAge },
    lastRun: facts.lastRun ? { ...facts.lastRun, ageSeconds: secondsBetween(facts.lastRun.startedAt, now) } : null,
    failures: { failedOutboxRows: facts.queue.failedSince, logErrors: facts.logErrorsSince, windowSeconds: t.recentSeconds },
    webhooks: facts.webhooks,
    pull: facts.pull,
    paused: status !== 'connected',
    leases,
    nightly: facts.nightly ?? null,
  };
}

export interface HealthServiceDeps {
  repository: Pick<HealthRepository, 'listAccountIds' | 'factsFor'>;
  clock: () => Date;
  thresholds?: Partial<HealthThresholds>;
}

/** The status call behind the operators' route and `work-qbo status`. */
export class HealthService {
  private readonly thresholds: HealthThresholds;

  constructor(private readonly deps: HealthServiceDeps) {
    this.thresholds = { ...DEFAULT_HEALTH_THRESHOLDS, ...deps.thresholds };
  }

  /** Every connected (or once connected) account, or just `accountId` (reported even without a connection). */
  async health(opts: { accountId?: string } = {}): Promise<HealthReport> {
    const now = this.deps.clock();
    const since = new Date(now.getTime() - this.thresholds.recentSeconds * 1000);
    const ids = opts.accountId !== undefined ? [opts.accountId] : await this.deps.repository.listAccountIds();
    const accounts: AccountHealth[] = [];
    for (const id of ids) accounts.push(assessAccount(await this.deps.repository.factsFor(id, since, now), now, this.thresholds));
    return { generatedAt: now, state: worst(accounts.map((a) => a.state)), accounts };
  }
}
