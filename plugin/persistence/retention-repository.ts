import type { Knex } from 'knex';
import type { RetentionTarget } from '../ops/retention-policy';

/**
 * Deletes old rows in bounded chunks (each its own short statement), so retention never holds long locks
 * or a huge transaction. Maintenance spans all accounts on purpose: one cutoff applies to every account.
 */
export class RetentionRepository {
  private hasRetryColumn: boolean | null = null;

  constructor(private readonly knex: Knex) {}

  /** Delete up to `limit` rows of `target` older than `cutoff`; returns how many went. */
  async deleteChunk(target: RetentionTarget, cutoff: Date, limit: number): Promise<number> {
    const { sql, bindings } = await this.chunkSql(target, cutoff, limit);
    const result = await this.knex.raw<{ rowCount: number | null }>(sql, bindings);
    return result.rowCount ?? 0;
  }

  /**
   * Hold the cluster-wide advisory lock `key` while `work` runs, on a connection of its own: only one
   * process runs the job at a time, and a process that dies lets the lock go with its connection.
   * Returns null (without running `work`) when another process holds it.
   */
  async withTryLock<T>(key: [number, number], work: () => Promise<T>): Promise<T | null> {
    return this.knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{ rows: { locked: boolean }[] }>('SELECT pg_try_advisory_xact_lock(?, ?) AS locked', key);
      if (!rows[0]?.locked) return null;
      return work();
    });
  }

  private async chunkSql(target: RetentionTarget, cutoff: Date, limit: number): Promise<{ sql: string; bindings: (Date | number)[] }> {
    switch (target) {
      case 'outbox_done':
        return {
          sql: `DELETE FROM qbo_outbox WHERE id IN (SELECT id FROM qbo_outbox WHERE status = 'done' AND updated_at < ? ORDER BY id LIMIT ?)`,
          bindings: [cutoff, limit],
        };
      case 'sync_log': {
        // The engine's retry column, when its migration is there: a failure waiting for a retry stays.
        const waiting = (await this.retryColumnExists()) ? 'AND next_attempt_at IS NULL' : '';
        return {
          sql: `DELETE FROM qbo_sync_log WHERE id IN (SELECT id FROM qbo_sync_log WHERE created_at < ? ${waiting} ORDER BY id LIMIT ?)`,
          bindings: [cutoff, limit],
        };
      }
      case 'sync_runs':
        return {
          sql: `DELETE FROM qbo_sync_runs WHERE id IN (
                  SELECT r.id FROM qbo_sync_runs r
                  WHERE r.status <> 'running' AND r.started_at < ?
                    AND EXISTS (SELECT 1 FROM qbo_sync_runs newer
                                WHERE newer.account_id = r.account_id AND (newer.started_at, newer.id) > (r.started_at, r.id))
                  ORDER BY r.id LIMIT ?)`,
          bindings: [cutoff, limit],
        };
      case 'write_intents':
        return {
          sql: `DELETE FROM qbo_write_intents WHERE id IN (
                  SELECT id FROM qbo_write_intents WHERE completed_at IS NOT NULL AND completed_at < ? ORDER BY id LIMIT ?)`,
          bindings: [cutoff, limit],
        };
      case 'webhook_events':
        return {
          sql: `DELETE FROM qbo_webhook_events WHERE id IN (SELECT id FROM qbo_webhook_events WHERE received_at < ? ORDER BY id LIMIT ?)`,
          bindings: [cutoff, limit],
        };
    }
  }

  private async retryColumnExists(): Promise<boolean> {
    this.hasRetryColumn ??= await this.knex.schema.hasColumn('qbo_sync_log', 'next_attempt_at');
    return this.hasRetryColumn;
  }
}
