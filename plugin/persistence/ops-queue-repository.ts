import type { Knex } from 'knex';

const OUTBOX = 'qbo_outbox';

/** SQL condition on `c.account_id`: the account's first sync finished (a real run, not a dry run). */
export const ONBOARDED = `EXISTS (SELECT 1 FROM qbo_sync_runs r WHERE r.account_id = c.account_id AND r.kind = 'onboarding' AND r.status = 'succeeded' AND NOT r.dry_run)`;


/**
 * The schedules' reads and hand-backs over qbo_outbox and qbo_sync_log. SQL only here. Each account's
 * queue is read through the (account_id, next_attempt_at) index: a paused account's backlog is never
 * scanned, because only connected accounts are looked at.
 */
export class OpsQueueRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Connected accounts with a due queued change, or a claim whose worker's lease ran out. Only accounts whose
   * first sync (onboarding) finished: the admin starts that one after its readiness preview, never a schedule.
   */
  async accountsWithDueWork(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.knex.raw<{ rows: { account_id: string }[] }>(
      `SELECT c.account_id FROM qbo_connections c
       WHERE c.status = 'connected' AND ${ONBOARDED}
         AND (EXISTS (SELECT 1 FROM ${OUTBOX} o WHERE o.account_id = c.account_id AND o.status = 'pending' AND o.next_attempt_at <= ?)
              OR EXISTS (SELECT 1 FROM ${OUTBOX} o WHERE o.account_id = c.account_id AND o.status = 'processing' AND o.locked_until < ?))
       ORDER BY c.account_id
       LIMIT ?`,
      [now, now, limit],
    );
    return rows.map((r) => r.account_id);
  }

  /** Whether the account's first sync finished (the schedules leave an account alone until it did). */
  async isOnboarded(accountId: string): Promise<boolean> {
    const { rows } = await this.knex.raw<{ rows: unknown[] }>(`SELECT 1 FROM qbo_connections c WHERE c.account_id = ? AND ${ONBOARDED}`, [accountId]);
    return rows.length > 0;
  }

  /** How many of the account's rows are due now (counted up to `cap`): a cheap "did anything change" signal. */
  async dueCount(accountId: string, now: Date, cap: number): Promise<number> {
    const { rows } = await this.knex.raw<{ rows: { n: string }[] }>(
      `SELECT count(*) AS n FROM (
         SELECT 1 FROM ${OUTBOX} WHERE account_id = ? AND status = 'pending' AND next_attempt_at <= ? LIMIT ?) due`,
      [accountId, now, cap],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Rows left processing by a run that was cut off (stop() after its grace): pending again, due now, the
   * attempt not counted. Only called under the account's lock, so no live run holds any of them. A record
   * that has a newer pending row keeps that one (it carries the latest change).
   */
  async handBackProcessing(accountId: string, now: Date): Promise<number> {
    return this.knex.transaction(async (trx) => {
      const superseded = await trx.raw<{ rowCount: number }>(
        `UPDATE ${OUTBOX} o SET status = 'done', claimed_at = NULL, locked_until = NULL, claimed_by = NULL,
                last_error = 'handed back by a stopping worker; superseded by a newer change', updated_at = ?
         WHERE o.account_id = ? AND o.status = 'processing'
           AND EXISTS (SELECT 1 FROM ${OUTBOX} p WHERE p.account_id = o.account_id AND p.entity = o.entity AND p.record_id = o.record_id AND p.status = 'pending')`,
        [now, accountId],
      );
      const returned = await trx.raw<{ rowCount: number }>(
        `UPDATE ${OUTBOX} SET status = 'pending', claimed_at = NULL, locked_until = NULL, claimed_by = NULL, next_attempt_at = ?,
                attempts = greatest(attempts - 1, 0), last_error = 'handed back by a stopping worker', updated_at = ?
         WHERE account_id = ? AND status = 'processing'`,
        [now, now, accountId],
      );
      return superseded.rowCount + returned.rowCount;
    });
  }

  /**
   * Log entries to retry: the latest entry of each record when it is a failure not dismissed; with
   * `onlyGivenUp`, only those no automatic retry waits for any more (failed for good).
   */
  async failedLogIds(accountId: string, onlyGivenUp: boolean): Promise<string[]> {
    const { rows } = await this.knex.raw<{ rows: { id: string }[] }>(
      `SELECT id FROM (
         SELECT DISTINCT ON (entity, coalesce(work_id, ''), coalesce(qbo_id, '')) id, outcome, dismissed_at, next_attempt_at
         FROM qbo_sync_log WHERE account_id = ? AND entity IS NOT NULL
         ORDER BY entity, coalesce(work_id, ''), coalesce(qbo_id, ''), id DESC) latest
       WHERE outcome = 'failed' AND dismissed_at IS NULL AND (NOT ? OR next_attempt_at IS NULL)
       ORDER BY id`,
      [accountId, onlyGivenUp],
    );
    return rows.map((r) => String(r.id));
  }
}
