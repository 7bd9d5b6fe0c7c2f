import type { Knex } from 'knex';

export type SyncRunKind = 'onboarding' | 'continuous' | 'manual';
export type SyncRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Counts per entity and outcome, e.g. { client: { linked: 3, created_in_qbo: 2 } }. */
export type RunCounts = Record<string, Record<string, number>>;

export interface SyncRunRow {
  id: string;
  account_id: string;
  kind: SyncRunKind;
  status: SyncRunStatus;
  dry_run: boolean;
  phase: string | null;
  counts: RunCounts;
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  /** Set by the admin's cancel; the running process stops at its next checkpoint. */
  cancel_requested_at: Date | null;
  /** Records the run expects per entity, once planned (for a progress bar); null before. */
  expected: Record<string, number> | null;
}

const TABLE = 'qbo_sync_runs';

/** The only code that writes qbo_sync_runs. Every query is scoped to its account. */
export class SyncRunRepository {
  constructor(private readonly knex: Knex) {}

  async start(accountId: string, kind: SyncRunKind, dryRun: boolean, now: Date): Promise<SyncRunRow> {
    const [row] = await this.knex<SyncRunRow>(TABLE)
      .insert({ account_id: accountId, kind, dry_run: dryRun, status: 'running', started_at: now, updated_at: now })
      .returning('*');
    if (!row) throw new Error('sync run was not stored');
    return row;
  }

  /**
   * Store the run's live totals (the run's one process owns them under the account lock), so a page polling
   * the row sees progress while the run goes on.
   */
  async saveProgress(accountId: string, runId: string, counts: RunCounts, phase: string | null, now: Date): Promise<void> {
    await this.knex(TABLE).where({ id: runId, account_id: accountId }).update({ counts: JSON.stringify(counts), phase, updated_at: now });
  }

  async finish(accountId: string, runId: string, status: Exclude<SyncRunStatus, 'running'>, counts: RunCounts, error: string | null, now: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ id: runId, account_id: accountId })
      .update({ status, error, counts: JSON.stringify(counts), finished_at: now, updated_at: now, phase: null });
  }

  /**
   * Runs left "running" by a process that died: only called while holding the account's lock, so no live
   * run can be among them.
   */
  async closeAbandoned(accountId: string, now: Date, reason: string): Promise<number> {
    return this.knex(TABLE).where({ account_id: accountId, status: 'running' }).update({ status: 'cancelled', error: reason, finished_at: now, updated_at: now });
  }

  /** The running run, else the latest one. */
  async currentOrLast(accountId: string): Promise<SyncRunRow | null> {
    const row = await this.knex<SyncRunRow>(TABLE)
      .where({ account_id: accountId })
      .orderByRaw(`(status = 'running') DESC, id DESC`)
      .first();
    return row ?? null;
  }

  async find(accountId: string, runId: string): Promise<SyncRunRow | null> {
    return (await this.knex<SyncRunRow>(TABLE).where({ account_id: accountId, id: runId }).first()) ?? null;
  }

  /** Whether an onboarding run ever finished for the account (a real one, not a dry run). */
  async hasFinishedOnboarding(accountId: string): Promise<boolean> {
    const row = await this.knex(TABLE).where({ account_id: accountId, kind: 'onboarding', status: 'succeeded', dry_run: false }).first('id');
    return row !== undefined;
  }

  /** Ask the account's running run to stop at its next checkpoint; false when none is running. */
  async requestCancel(accountId: string, now: Date): Promise<boolean> {
    const n = await this.knex(TABLE).where({ account_id: accountId, status: 'running' }).whereNull('cancel_requested_at').update({ cancel_requested_at: now, updated_at: now });
    return n > 0;
  }

  async cancelRequested(accountId: string, runId: string): Promise<boolean> {
    const row = await this.knex(TABLE).where({ id: runId, account_id: accountId }).whereNotNull('cancel_requested_at').first('id');
    return row !== undefined;
  }

  async saveExpected(accountId: string, runId: string, expected: Record<string, number>): Promise<void> {
    await this.knex(TABLE).where({ id: runId, account_id: accountId }).update({ expected: JSON.stringify(expected) });
  }
}
