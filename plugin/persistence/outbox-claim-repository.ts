import type { Knex } from 'knex';
import type { WorkEntity } from '../host/work-host';
import type { OutboxRow } from './outbox-repository';

export interface ClaimedOutboxRow extends OutboxRow {
  claimed_at: Date;
  locked_until: Date;
  claimed_by: string | null;
}

export const MAX_OUTBOX_ERROR_LENGTH = 500;

const TABLE = 'qbo_outbox';

function truncate(text: string): string {
  return text.length <= MAX_OUTBOX_ERROR_LENGTH ? text : `${text.slice(0, MAX_OUTBOX_ERROR_LENGTH - 1)}…`;
}

/**
 * Workers' side of qbo_outbox: claiming with a lease, finishing, failing with back-off. SQL only here.
 * One row per record at a time: a record whose row is being processed is not claimed again (its newer
 * pending row waits), so a create and an update of one record never run side by side.
 */
export class OutboxClaimRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Claim up to `limit` due rows of one account for the given entities (FOR UPDATE SKIP LOCKED, so any number
   * of workers share the queue), each leased until `now + leaseMs`. Other entities' rows stay pending.
   */
  async claim(accountId: string, entities: readonly WorkEntity[], limit: number, leaseMs: number, worker: string, now: Date): Promise<ClaimedOutboxRow[]> {
    const lockedUntil = new Date(now.getTime() + leaseMs);
    const { rows } = await this.knex.raw<{ rows: ClaimedOutboxRow[] }>(
      `WITH due AS (
         SELECT o.id FROM ${TABLE} o
         WHERE o.account_id = ? AND o.status = 'pending' AND o.next_attempt_at <= ? AND o.entity = ANY(?::text[])
           AND NOT EXISTS (SELECT 1 FROM ${TABLE} p WHERE p.account_id = o.account_id AND p.entity = o.entity
                           AND p.record_id = o.record_id AND p.status = 'processing')
         ORDER BY o.next_attempt_at, o.id
         LIMIT ?
         FOR UPDATE SKIP LOCKED)
       UPDATE ${TABLE} SET status = 'processing', claimed_at = ?, locked_until = ?, claimed_by = ?, attempts = attempts + 1, updated_at = ?
       FROM due WHERE ${TABLE}.id = due.id
       RETURNING ${TABLE}.*`,
      [accountId, now, [...entities], limit, now, lockedUntil, worker, now],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Rows left processing by a worker that died: back to pending when the lease ran out. When the record
   * already has a newer pending row, that row carries the work (a push reads the record as it is now).
   */
  async reclaimExpired(accountId: string, now: Date): Promise<number> {
    const superseded = await this.knex.raw<{ rowCount: number }>(
      `UPDATE ${TABLE} o SET status = 'done', claimed_at = NULL, locked_until = NULL, last_error = 'lease expired; superseded by a newer change', updated_at = ?
       WHERE o.account_id = ? AND o.status = 'processing' AND o.locked_until < ?
         AND EXISTS (SELECT 1 FROM ${TABLE} p WHERE p.account_id = o.account_id AND p.entity = o.entity AND p.record_id = o.record_id AND p.status = 'pending')`,
      [now, accountId, now],
    );
    const returned = await this.knex.raw<{ rowCount: number }>(
      `UPDATE ${TABLE} SET status = 'pending', claimed_at = NULL, locked_until = NULL, claimed_by = NULL, next_attempt_at = ?, updated_at = ?
       WHERE account_id = ? AND status = 'processing' AND locked_until < ?`,
      [now, now, accountId, now],
    );
    return superseded.rowCount + returned.rowCount;
  }

  /**
   * Rows of `entities` left processing, whatever their lease: only for a caller holding the account's run
   * lock (no other run of the account can hold them), e.g. after a worker was killed mid-push.
   */
  async reclaimProcessing(accountId: string, entities: readonly WorkEntity[], now: Date): Promise<number> {
    const superseded = await this.knex.raw<{ rowCount: number }>(
      `UPDATE ${TABLE} o SET status = 'done', claimed_at = NULL, locked_until = NULL, last_error = 'superseded by a newer change', updated_at = ?
       WHERE o.account_id = ? AND o.status = 'processing' AND o.entity = ANY(?::text[])
         AND EXISTS (SELECT 1 FROM ${TABLE} p WHERE p.account_id = o.account_id AND p.entity = o.entity AND p.record_id = o.record_id AND p.status = 'pending')`,
      [now, accountId, [...entities]],
    );
    const returned = await this.knex.raw<{ rowCount: number }>(
      `UPDATE ${TABLE} SET status = 'pending', claimed_at = NULL, locked_until = NULL, claimed_by = NULL, next_attempt_at = ?, updated_at = ?
       WHERE account_id = ? AND status = 'processing' AND entity = ANY(?::text[])`,
      [now, now, accountId, [...entities]],
    );
    return superseded.rowCount + returned.rowCount;
  }

  async complete(accountId: string, id: string, now: Date): Promise<void> {
    await this.knex(TABLE).where({ account_id: accountId, id, status: 'processing' }).update({ status: 'done', claimed_at: null, locked_until: null, last_error: null, updated_at: now });
  }

  /**
   * A failed attempt: pending again at `nextAttemptAt`, or failed for good. A newer pending row of the same
   * record already carries the work, so this one is closed instead of colliding with it.
   */
  async fail(accountId: string, id: string, error: string, nextAttemptAt: Date | null, now: Date): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await trx<OutboxRow>(TABLE).where({ account_id: accountId, id, status: 'processing' }).forUpdate().first();
      if (!row) return;
      const sibling = await trx(TABLE).where({ account_id: accountId, entity: row.entity, record_id: row.record_id, status: 'pending' }).first('id');
      const status = nextAttemptAt === null ? 'failed' : sibling ? 'done' : 'pending';
      await trx(TABLE)
        .where({ id })
        .update({ status, claimed_at: null, locked_until: null, claimed_by: null, last_error: truncate(error), next_attempt_at: nextAttemptAt ?? now, updated_at: now });
    });
  }

  /** Hand a claimed row back untouched (stop() with a record in hand). */
  async release(accountId: string, id: string, now: Date): Promise<void> {
    await this.fail(accountId, id, 'handed back by a stopping worker', now, now).then(async () => {
      await this.knex(TABLE).where({ account_id: accountId, id }).update({ attempts: this.knex.raw('greatest(attempts - 1, 0)') });
    });
  }

  async pendingCount(accountId: string, entities: readonly WorkEntity[]): Promise<number> {
    const row = await this.knex(TABLE).where({ account_id: accountId, status: 'pending' }).whereIn('entity', [...entities]).count<{ count: string }[]>('id as count').first();
    return Number(row?.count ?? 0);
  }

  /** Retention: finished rows older than `before`. */
  async deleteFinishedBefore(accountId: string, before: Date): Promise<number> {
    return this.knex(TABLE).where({ account_id: accountId }).whereIn('status', ['done', 'failed']).where('updated_at', '<', before).delete();
  }
}
