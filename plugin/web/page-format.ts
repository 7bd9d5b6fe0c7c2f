import { ENTITY_TEXTS, OUTCOME_TEXTS, RUN_KIND_TEXTS, RUN_PHASE_TEXTS, RUN_STATUS_TEXTS, type NoticeTone } from '../messages';
import type { SyncOutcome } from '../persistence/sync-log-repository';
import type { RunCounts, SyncRunRow } from '../persistence/sync-run-repository';

export type BadgeTone = 'ok' | 'warning' | 'muted' | 'error';

export interface NoticeView {
  tone: NoticeTone;
  text: string;
}

/** "Dec 1, 2026, 12:40 UTC": one way of writing a moment on every engine page. */
export function formatDateTime(date: Date): string {
  return `${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC', hour12: false }).format(date)} UTC`;
}

/** "45 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function entityLabel(entity: string | null): string {
  const key = entity ?? 'run';
  return key in ENTITY_TEXTS ? ENTITY_TEXTS[key as keyof typeof ENTITY_TEXTS] : key;
}

export function outcomeLabel(outcome: string): string {
  return outcome in OUTCOME_TEXTS ? OUTCOME_TEXTS[outcome as SyncOutcome] : outcome;
}

export function outcomeTone(outcome: string): BadgeTone {
  if (outcome === 'failed') return 'error';
  if (outcome === 'review' || outcome === 'blocked' || outcome === 'conflict' || outcome === 'warning') return 'warning';
  if (outcome === 'unchanged' || outcome === 'skipped' || outcome === 'reported') return 'muted';
  return 'ok';
}

export function runStatusTone(status: SyncRunRow['status']): BadgeTone {
  return status === 'succeeded' ? 'ok' : status === 'running' ? 'muted' : status === 'cancelled' ? 'warning' : 'error';
}

export interface CountItemView {
  outcome: string;
  label: string;
  count: number;
  tone: BadgeTone;
}

export interface EntityCountsView {
  entity: string;
  label: string;
  total: number;
  items: CountItemView[];
}

/** Outcomes that sit beside a record's outcome (a fix, a conflict): not a record of their own. */
const SIDE_NOTES = new Set(['warning', 'conflict', 'reported']);

export function entityCounts(counts: RunCounts): EntityCountsView[] {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([entity, byOutcome]) => {
      const items = Object.entries(byOutcome)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([outcome, count]) => ({ outcome, label: outcomeLabel(outcome), count, tone: outcomeTone(outcome) }));
      return { entity, label: entityLabel(entity), total: items.filter((i) => !SIDE_NOTES.has(i.outcome)).reduce((s, i) => s + i.count, 0), items };
    });
}

/** Records a run has handled so far (side notes not counted). */
export function recordsDone(counts: RunCounts): number {
  return entityCounts(counts).reduce((sum, e) => sum + e.total, 0);
}

export interface RunView {
  id: string;
  kind: string;
  status: SyncRunRow['status'];
  statusLabel: string;
  statusTone: BadgeTone;
  running: boolean;
  dryRun: boolean;
  phase: string | null;
  startedAt: string;
  duration: string;
  counts: EntityCountsView[];
  problems: number;
  error: string | null;
  /** Progress: records handled, and expected when the run planned (null: unknown, bar indeterminate). */
  done: number;
  expected: number | null;
  percent: number | null;
  cancelRequested: boolean;
}

export function runView(run: SyncRunRow, now: Date): RunView {
  const running = run.status === 'running';
  const done = recordsDone(run.counts ?? {});
  const expectedTotal = run.expected ? Object.values(run.expected).reduce((s, n) => s + n, 0) : null;
  // A finished run is at its end whatever it expected; a running one never shows more than it expects.
  const expected = running ? expectedTotal : Math.max(expectedTotal ?? 0, done);
  const percent = expected === null ? null : expected === 0 ? 100 : Math.min(100, Math.floor((Math.min(done, expected) / expected) * 100));
  const problems = Object.values(run.counts ?? {}).reduce((s, byOutcome) => s + (byOutcome['failed'] ?? 0) + (byOutcome['blocked'] ?? 0), 0);
  return {
    id: String(run.id),
    kind: RUN_KIND_TEXTS[run.kind] ?? run.kind,
    status: run.status,
    statusLabel: RUN_STATUS_TEXTS[run.status] ?? run.status,
    statusTone: runStatusTone(run.status),
    running,
    dryRun: run.dry_run,
    phase: running && run.phase ? (RUN_PHASE_TEXTS[run.phase] ?? run.phase) : null,
    startedAt: formatDateTime(run.started_at),
    duration: formatDuration((run.finished_at ?? now).getTime() - run.started_at.getTime()),
    counts: entityCounts(run.counts ?? {}),
    problems,
    error: run.error,
    done: expected === null ? done : Math.min(done, expected),
    expected,
    percent: running ? percent : 100,
    cancelRequested: run.cancel_requested_at !== null && run.cancel_requested_at !== undefined,
  };
}
