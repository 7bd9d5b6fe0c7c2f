import { RECORD_STATUS_TEXTS } from '../messages';
import type { SyncAdminQueries } from '../persistence/sync-admin-queries';
import type { SyncEntity } from '../persistence/sync-log-repository';

export type RecordSyncState = 'linked' | 'waiting' | 'failed' | 'not_synced';

/** A Work record's QuickBooks status, worded for Work's own pages, with a link to the plugin's log of it. */
export interface RecordSyncStatus {
  state: RecordSyncState;
  /** "Linked (QuickBooks #12)", "Waiting to sync", "Sync failed", "Not synced". */
  label: string;
  qboId: string | null;
  /** For "failed": the reason a bookkeeper reads. */
  reason: string | null;
  /** The plugin's log filtered for this record (admins only can open it). */
  logUrl: string;
  logLabel: string;
}

/**
 * The status of each of `workIds`: a failure not yet dismissed wins, then a push waiting in the queue, then
 * the link; a record the plugin never touched is "not synced". Ids of other accounts read as not synced.
 */
export async function recordStatuses(
  queries: Pick<SyncAdminQueries, 'recordStates'>,
  mountPath: string,
  accountId: string,
  entity: SyncEntity,
  workIds: readonly string[],
): Promise<Map<string, RecordSyncStatus>> {
  const states = await queries.recordStates(accountId, entity, workIds);
  const result = new Map<string, RecordSyncStatus>();
  for (const s of states) {
    const logUrl = `${mountPath}/log?entity=${encodeURIComponent(entity)}&work=${encodeURIComponent(s.work_id)}`;
    const base = { qboId: s.qbo_id, reason: null, logUrl, logLabel: RECORD_STATUS_TEXTS.logLink };
    if (s.failed_reason !== null) result.set(s.work_id, { ...base, state: 'failed', label: RECORD_STATUS_TEXTS.failed, reason: s.failed_reason });
    else if (s.waiting) result.set(s.work_id, { ...base, state: 'waiting', label: RECORD_STATUS_TEXTS.waiting });
    else if (s.qbo_id !== null) result.set(s.work_id, { ...base, state: 'linked', label: RECORD_STATUS_TEXTS.linked(s.qbo_id) });
    else result.set(s.work_id, { ...base, state: 'not_synced', label: RECORD_STATUS_TEXTS.notSynced });
  }
  return result;
}
