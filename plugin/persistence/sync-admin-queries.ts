import type { Knex } from 'knex';
import type { SyncEntity, SyncLogRow, SyncOutcome } from './sync-log-repository';
import type { SyncRunRow } from './sync-run-repository';

/** The log page's filters; every one optional, all of them combined with AND. */
export interface LogFilter {
  entity?: SyncEntity;
  outcome?: SyncOutcome;
  runId?: string;
  /** One Work record (the link from Work's own pages). */
  workId?: string;
  /** Words searched in the reason, the record ids, the fault code and the intuit_tid. */
  text?: string;
}

/** A record's latest state in the plugin's tables, for the status shown on Work's own pages. */
export interface RecordStateRow {
  work_id: string;
  qbo_id: string | null;
  /** The reason of the record's newest outcome when that is a failure not dismissed. */
  failed_reason: string | null;
  /** A push waiting in the outbox. */
  waiting: boolean;
}

const ID = /^\d{1,18}$/;

/** Escape LIKE's wildcards so the admin's text is searched as typed. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Read-only queries behind the admin's sync pages (history, log, CSV export, record status). Every query is
 * scoped to its account; writes stay in the engine's repositories.
 */
export class SyncAdminQueries {
  constructor(private readonly knex: Knex) {}

  async listRuns(accountId: string, limit: number): Promise<SyncRunRow[]> {
    return this.knex<SyncRunRow>('qbo_sync_runs').where({ account_id: accountId }).orderBy('id', 'desc').limit(limit);
  }

  async findRun(accountId: string, runId: string): Promise<SyncRunRow | null> {
    if (!ID.test(runId)) return null;
    return (await this.knex<SyncRunRow>('qbo_sync_runs').where({ account_id: accountId, id: runId }).first()) ?? null;
  }

  /** Log entries matching the filter, newest first, at most `limit`. */
  async searchLog(accountId: string, filter: LogFilter, limit: number): Promise<SyncLogRow[]> {
    const query = this.knex<SyncLogRow>('qbo_sync_log').where({ account_id: accountId });
    if (filter.entity) query.where({ entity: filter.entity });
    if (filter.outcome) query.where({ outcome: filter.outcome });
    if (filter.runId) query.where({ run_id: ID.test(filter.runId) ? filter.runId : '0' });
    if (filter.workId) query.where({ work_id: filter.workId });
    if (filter.text) {
      const pattern = likePattern(filter.text);
      query.where((q) => {
        for (const column of ['reason', 'work_id', 'qbo_id', 'fault_code', 'intuit_tid', 'reason_code']) q.orWhereRaw(`?? ILIKE ? ESCAPE '\\'`, [column, pattern]);
      });
    }
    return query.orderBy('id', 'desc').limit(limit);
  }

  /** The entries of `ids` that belong to the account (ids of other accounts, or malformed, are left out). */
  async ownLogIds(accountId: string, ids: readonly string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => ID.test(id));
    if (valid.length === 0) return new Set();
    const rows = await this.knex('qbo_sync_log').where({ account_id: accountId }).whereIn('id', valid).select<{ id: string }[]>('id');
    return new Set(rows.map((r) => String(r.id)));
  }

  /** Mapping, waiting push and newest open failure of each Work record of `workIds`. */
  async recordStates(accountId: string, entity: SyncEntity, workIds: readonly string[]): Promise<RecordStateRow[]> {
    if (workIds.length === 0) return [];
    const ids = [...new Set(workIds)];
    const mappings = await this.knex('qbo_mappings').where({ account_id: accountId, entity }).whereIn('work_id', ids).select<{ work_id: string; qbo_id: string }[]>('work_id', 'qbo_id');
    const waiting = await this.knex('qbo_outbox').where({ account_id: accountId, entity }).whereIn('record_id', ids).whereIn('status', ['pending', 'processing']).distinct<{ record_id: string }[]>('record_id');
    // The record's newest outcome (warnings and conflicts sit beside an outcome): failed and not dismissed.
    const latest = await this.knex('qbo_sync_log')
      .where({ account_id: accountId, entity })
      .whereIn('work_id', ids)
      .whereNotIn('outcome', ['warning', 'conflict', 'reported'])
      .orderBy([{ column: 'work_id' }, { column: 'id', order: 'desc' }])
      .distinctOn('work_id')
      .select<{ work_id: string; reason: string; outcome: string; dismissed_at: Date | null }[]>('work_id', 'reason', 'outcome', 'dismissed_at');
    const failures = latest.filter((l) => l.outcome === 'failed' && l.dismissed_at === null);
    const qboOf = new Map(mappings.map((m) => [String(m.work_id), String(m.qbo_id)]));
    const waitingSet = new Set(waiting.map((w) => String(w.record_id)));
    const failedOf = new Map(failures.map((f) => [String(f.work_id), f.reason]));
    return ids.map((id) => ({ work_id: id, qbo_id: qboOf.get(id) ?? null, failed_reason: failedOf.get(id) ?? null, waiting: waitingSet.has(id) }));
  }

  /** Whether a Work record or a QBO object of `entity` is already linked (a review choice would clash). */
  async isLinked(accountId: string, entity: SyncEntity, side: { workId: string } | { qboId: string }): Promise<boolean> {
    const where = 'workId' in side ? { work_id: side.workId } : { qbo_id: side.qboId };
    const row = await this.knex('qbo_mappings').where({ account_id: accountId, entity, ...where }).first('id');
    return row !== undefined;
  }
}
