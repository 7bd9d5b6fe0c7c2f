import type { Knex } from 'knex';
import type { ClaimedPull, PullRequestRepository, UpsertResult } from '../persistence/pull-request-repository';

export type { ClaimedPull } from '../persistence/pull-request-repository';

/** Why a pull was asked for; shown in logs and the health report. */
export type PullReason = 'webhook' | 'replay' | 'manual';

/**
 * What the webhook receiver (and the CLI's replay) call: "this account's QuickBooks company changed, pull
 * its changes (CDC) soon". Debounced: a flood for one account becomes one pull per window.
 */
export interface PullRequester {
  requestPull(accountId: string, reason: PullReason, opts?: { trx?: Knex.Transaction; immediate?: boolean }): Promise<UpsertResult>;
}

/**
 * What the sync engine's scheduler calls, on any process: claim due pulls (never one another worker holds),
 * run a CDC pull for each, then complete or fail it. A worker that dies lets its claim go after the lease.
 */
export interface PullQueue {
  claimDuePulls(opts: { workerId: string; limit?: number; leaseMs?: number }): Promise<ClaimedPull[]>;
  completePull(claim: ClaimedPull): Promise<'done' | 'requeued' | 'lost'>;
  failPull(claim: ClaimedPull, error: string, retryInMs: number): Promise<boolean>;
}

export interface PullRequestsDeps {
  repository: PullRequestRepository;
  clock: () => Date;
  /** Events arriving within this window after the first one are folded into one pull. */
  debounceMs: number;
  /** How long a claimed pull stays with its worker before another may take it over. */
  defaultLeaseMs?: number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_CLAIM_LIMIT = 10;

/** Both sides over qbo_pull_requests: the state lives in PostgreSQL, so it holds across processes. */
export class DebouncedPullRequests implements PullRequester, PullQueue {
  constructor(private readonly deps: PullRequestsDeps) {}

  requestPull(accountId: string, reason: PullReason, opts: { trx?: Knex.Transaction; immediate?: boolean } = {}): Promise<UpsertResult> {
    const now = this.deps.clock();
    const dueAt = opts.immediate ? now : new Date(now.getTime() + this.deps.debounceMs);
    return this.deps.repository.upsert({ accountId, reason, now, dueAt }, opts.trx);
  }

  claimDuePulls(opts: { workerId: string; limit?: number; leaseMs?: number }): Promise<ClaimedPull[]> {
    return this.deps.repository.claimDue({
      workerId: opts.workerId,
      now: this.deps.clock(),
      leaseMs: opts.leaseMs ?? this.deps.defaultLeaseMs ?? DEFAULT_LEASE_MS,
      limit: opts.limit ?? DEFAULT_CLAIM_LIMIT,
    });
  }

  completePull(claim: ClaimedPull): Promise<'done' | 'requeued' | 'lost'> {
    return this.deps.repository.complete(claim);
  }

  failPull(claim: ClaimedPull, error: string, retryInMs: number): Promise<boolean> {
    return this.deps.repository.fail(claim, error, new Date(this.deps.clock().getTime() + retryInMs));
  }
}
