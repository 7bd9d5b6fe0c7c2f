import type { Knex } from 'knex';

export type SyncEntity = 'client' | 'site' | 'invoice' | 'payment' | 'item';

export type SyncOutcome =
  | 'linked'
  | 'created_in_qbo'
  | 'created_in_work'
  | 'updated_in_qbo'
  | 'updated_in_work'
  | 'unchanged'
  | 'conflict'
  | 'review'
  | 'blocked'
  | 'skipped'
  | 'failed'
  | 'warning'
  | 'reported';

export type LogLevel = 'info' | 'warning' | 'error';

export interface SyncLogInput {
  runId: string | null;
  entity: SyncEntity | null;
  workId: string | null;
  qboId: string | null;
  level: LogLevel;
  outcome: SyncOutcome;
  reasonCode: string;
  /** The plain-language text a bookkeeper reads (from plugin/messages.ts). */
  reason: string;
  faultCode?: string | null;
  intuitTid?: string | null;
  /** Conflicts carry both values; warnings what was changed. Never secrets. */
  details?: Record<string, unknown> | null;
  /** A failure that later runs retry: when the next try is due. */
  nextAttemptAt?: Date | null;
  attempts?: number;
}

export interface SyncLogRow {
  id: string;
  account_id: string;
  run_id: string | null;
  entity: SyncEntity | null;
  work_id: string | null;
  qbo_id: string | null;
  level: LogLevel;
  outcome: SyncOutcome;
  reason_code: string | null;
  reason: string;
  fault_code: string | null;
  intuit_tid: string | null;
  details: Record<string, unknown> | null;
  attempts: number;
  next_attempt_at: Date | null;
  dismissed_at: Date | null;
  retried_at: Date | null;
  created_at: Date;
}

const TABLE = 'qbo_sync_log';

/** The only code that writes qbo_sync_log. Every query is scoped to its account. */
export class SyncLogRepository {
  constructor(private readonly knex: Knex) {}

  async insertMany(accountId: string, entries: readonly SyncLogInput[], now: Date, trx?: Knex.Transaction): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      account_id: accountId,
      run_id: e.runId,
      entity: e.entity,
      work_id: e.workId,
      qbo_id: e.qboId,
      level: e.level,
      outcome: e.outcome,
      reason_code: e.reasonCode,
      reason: e.reason,
      fault_code: e.faultCode ?? null,
      intuit_tid: e.intuitTid ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
      attempts: e.attempts ?? 0,
      next_attempt_at: e.outcome === 'failed' ? (e.nextAttemptAt ?? null) : null,
      created_at: now,
    }));
    await (trx ?? this.knex).batchInsert(TABLE, rows, 500);
  }

  /**
   * A record that succeeded (or was handled) no longer waits for a retry: earlier failures of the same
   * record stop being due.
   */
  async settleFailures(accountId: string, entity: SyncEntity, workId: string, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.knex)(TABLE).where({ account_id: accountId, entity, work_id: workId }).whereNotNull('next_attempt_at').update({ next_attempt_at: null });
  }

  /**
   * Records that went through: their earlier failures stop waiting for a retry, whether or not they were due
   * yet (a run after a reconnect creates them before their back-off ends). Keyed by Work id, or by QBO id for
   * a failure logged before the record had a Work id (a QBO customer not yet created in Work).
   */
  async settleSucceeded(accountId: string, records: readonly { entity: SyncEntity; workId: string | null; qboId: string | null }[]): Promise<void> {
    const byWork = records.filter((r) => r.workId !== null).map((r) => [r.entity, r.workId]);
    const byQbo = records.filter((r) => r.qboId !== null).map((r) => [r.entity, r.qboId]);
    if (byWork.length === 0 && byQbo.length === 0) return;
    await this.knex(TABLE)
      .where({ account_id: accountId, outcome: 'failed' })
      .whereNotNull('next_attempt_at')
      .where((q) => {
        if (byWork.length > 0) void q.orWhereIn(['entity', 'work_id'], byWork);
        if (byQbo.length > 0) void q.orWhere((w) => void w.whereNull('work_id').whereIn(['entity', 'qbo_id'], byQbo));
      })
      .update({ next_attempt_at: null });
  }

  /**
   * Due failures only a re-plan retries (QBO-side records, sites): settled when the re-plan starts; a record
   * that fails again gets a new entry with its own retry time.
   */
  async settleReplanRetries(accountId: string, now: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ account_id: accountId })
      .whereNotNull('next_attempt_at')
      .where('next_attempt_at', '<=', now)
      .andWhere((q) => q.where({ entity: 'site' }).orWhere((w) => w.where({ entity: 'client' }).whereNull('work_id')))
      .update({ next_attempt_at: null });
  }

  /**
   * How often this record failed since it last went through (its back-off grows with it). A record is its
   * Work id when it has one, else its QBO id.
   */
  async failuresSinceSuccess(accountId: string, entity: SyncEntity, workId: string | null, qboId: string | null): Promise<number> {
    const column = workId !== null ? 'work_id' : 'qbo_id';
    const id = workId ?? qboId;
    if (id === null) return 0;
    const { rows } = await this.knex.raw<{ rows: { n: string }[] }>(
      `SELECT count(*) AS n FROM ${TABLE} f
       WHERE f.account_id = ? AND f.entity = ? AND f.${column} = ? AND f.outcome = 'failed'
         AND f.id > coalesce((SELECT max(s.id) FROM ${TABLE} s WHERE s.account_id = f.account_id AND s.entity = f.entity
                              AND s.${column} = f.${column} AND s.outcome NOT IN ('failed', 'warning', 'conflict')), 0)`,
      [accountId, entity, id],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Failures whose retry is due now, oldest first. */
  async dueRetries(accountId: string, now: Date, limit: number): Promise<SyncLogRow[]> {
    return this.knex<SyncLogRow>(TABLE)
      .where({ account_id: accountId })
      .whereNotNull('next_attempt_at')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit);
  }

  async find(accountId: string, id: string): Promise<SyncLogRow | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    return (await this.knex<SyncLogRow>(TABLE).where({ account_id: accountId, id }).first()) ?? null;
  }

  /** Retry now: the failure becomes due at once. False when the entry is not a retryable failure. */
  async retryNow(accountId: string, id: string, now: Date): Promise<boolean> {
    if (!/^\d{1,18}$/.test(id)) return false;
    const n = await this.knex(TABLE)
      .where({ account_id: accountId, id, outcome: 'failed' })
      .whereNull('dismissed_at')
      .update({ next_attempt_at: now, retried_at: now });
    return n === 1;
  }

  /** Dismiss: the admin has seen it; it is never retried again. */
  async dismiss(accountId: string, id: string, now: Date): Promise<boolean> {
    if (!/^\d{1,18}$/.test(id)) return false;
    const n = await this.knex(TABLE).where({ account_id: accountId, id }).whereNull('dismissed_at').update({ dismissed_at: now, next_attempt_at: null });
    return n === 1;
  }

  async listForRun(accountId: string, runId: string): Promise<SyncLogRow[]> {
    return this.knex<SyncLogRow>(TABLE).where({ account_id: accountId, run_id: runId }).orderBy('id');
  }

  async listForAccount(accountId: string, limit = 1000): Promise<SyncLogRow[]> {
    return this.knex<SyncLogRow>(TABLE).where({ account_id: accountId }).orderBy('id', 'desc').limit(limit);
  }

  /** Retention: entries older than `before` go, except failures still waiting for a retry. */
  async deleteOlderThan(accountId: string, before: Date): Promise<number> {
    return this.knex(TABLE).where({ account_id: accountId }).where('created_at', '<', before).whereNull('next_attempt_at').delete();
  }
}
