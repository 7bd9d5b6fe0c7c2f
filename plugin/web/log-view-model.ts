import { ENTITY_TEXTS, LOG_TEXTS, OUTCOME_TEXTS } from '../messages';
import type { LogFilter } from '../persistence/sync-admin-queries';
import type { SyncEntity, SyncLogRow, SyncOutcome } from '../persistence/sync-log-repository';
import type { SyncRunRow } from '../persistence/sync-run-repository';
import { csvLine } from './csv-export';
import { entityLabel, formatDateTime, outcomeLabel, outcomeTone, type BadgeTone } from './page-format';
import type { OptionView } from './preview-view-model';

const ENTITIES: readonly SyncEntity[] = ['client', 'site', 'invoice', 'payment', 'item'];
const OUTCOMES = Object.keys(OUTCOME_TEXTS) as SyncOutcome[];
const MAX_TEXT = 200;

/** The log's GET params as a filter; unknown values are dropped and reported. */
export function readLogFilter(query: Record<string, unknown>): { filter: LogFilter; ignored: boolean } {
  const filter: LogFilter = {};
  let ignored = false;
  const text = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') {
      ignored = true;
      return undefined;
    }
    return v;
  };
  const entity = text('entity');
  if (entity !== undefined) {
    if ((ENTITIES as readonly string[]).includes(entity)) filter.entity = entity as SyncEntity;
    else ignored = true;
  }
  const outcome = text('outcome');
  if (outcome !== undefined) {
    if ((OUTCOMES as readonly string[]).includes(outcome)) filter.outcome = outcome as SyncOutcome;
    else ignored = true;
  }
  const run = text('run');
  if (run !== undefined) {
    if (/^\d{1,18}$/.test(run)) filter.runId = run;
    else ignored = true;
  }
  const workId = text('work');
  if (workId !== undefined) {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(workId)) filter.workId = workId;
    else ignored = true;
  }
  const search = text('q')?.trim();
  if (search) filter.text = search.slice(0, MAX_TEXT);
  return { filter, ignored };
}

/** The filter as a query string (for links, the CSV and the redirect after an action). */
export function logQuery(filter: LogFilter): string {
  const params = new URLSearchParams();
  if (filter.entity) params.set('entity', filter.entity);
  if (filter.outcome) params.set('outcome', filter.outcome);
  if (filter.runId) params.set('run', filter.runId);
  if (filter.workId) params.set('work', filter.workId);
  if (filter.text) params.set('q', filter.text);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export interface LogEntryView {
  id: string;
  time: string;
  record: string;
  outcome: string;
  outcomeTone: BadgeTone;
  reason: string;
  faultCode: string | null;
  intuitTid: string | null;
  dismissed: boolean;
  retryWaiting: boolean;
  canRetry: boolean;
  canDismiss: boolean;
  retryAction: string;
  dismissAction: string;
  selectLabel: string;
}

function recordOf(row: SyncLogRow): string {
  const parts: string[] = [];
  if (row.work_id) parts.push(LOG_TEXTS.workRecord(singular(row.entity), row.work_id));
  if (row.qbo_id) parts.push(LOG_TEXTS.qboRecord(row.qbo_id));
  return parts.length ? parts.join(' · ') : entityLabel(row.entity);
}

function singular(entity: SyncEntity | null): string {
  return entity ? { client: 'Client', site: 'Site', invoice: 'Invoice', payment: 'Payment', item: 'Item' }[entity] : 'Record';
}

export function logEntryView(row: SyncLogRow, basePath: string): LogEntryView {
  const id = String(row.id);
  const dismissed = row.dismissed_at !== null;
  return {
    id,
    time: formatDateTime(row.created_at),
    record: recordOf(row),
    outcome: outcomeLabel(row.outcome),
    outcomeTone: outcomeTone(row.outcome),
    reason: row.reason,
    faultCode: row.fault_code,
    intuitTid: row.intuit_tid,
    dismissed,
    retryWaiting: row.retried_at !== null && row.next_attempt_at !== null,
    canRetry: row.outcome === 'failed' && !dismissed,
    canDismiss: !dismissed,
    retryAction: `${basePath}/log/${id}/retry`,
    dismissAction: `${basePath}/log/${id}/dismiss`,
    selectLabel: LOG_TEXTS.selectEntry(id),
  };
}

export function logFilterOptions(filter: LogFilter, runs: readonly SyncRunRow[]): { entity: OptionView[]; outcome: OptionView[]; run: OptionView[] } {
  return {
    entity: ENTITIES.map((e) => ({ value: e, label: ENTITY_TEXTS[e], selected: filter.entity === e })),
    outcome: OUTCOMES.map((o) => ({ value: o, label: OUTCOME_TEXTS[o], selected: filter.outcome === o })),
    run: runs.map((r) => ({ value: String(r.id), label: `#${r.id} · ${formatDateTime(r.started_at)}`, selected: filter.runId === String(r.id) })),
  };
}

/** The filtered log as CSV: a header line, then one line per entry (formula-leading cells neutralised). */
export function logCsv(rows: readonly SyncLogRow[]): string {
  let out = csvLine(LOG_TEXTS.csvColumns);
  for (const r of rows) {
    out += csvLine([
      r.created_at.toISOString(),
      r.run_id,
      r.entity,
      r.work_id,
      r.qbo_id,
      r.outcome,
      r.reason,
      r.fault_code,
      r.intuit_tid,
      r.dismissed_at ? r.dismissed_at.toISOString() : '',
    ]);
  }
  return out;
}
