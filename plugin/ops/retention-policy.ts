/** What retention deletes, and from when. Pure: the SQL lives in persistence/retention-repository.ts. */

export const RETENTION_TARGETS = ['outbox_done', 'sync_log', 'sync_runs', 'write_intents', 'webhook_events'] as const;
export type RetentionTarget = (typeof RETENTION_TARGETS)[number];

export const RETENTION_RULES: Record<RetentionTarget, string> = {
  outbox_done: 'queue rows sent to QuickBooks (done) last touched before the cutoff; failed and waiting rows are kept',
  sync_log: 'sync log entries written before the cutoff, except failures still waiting for a retry',
  sync_runs: 'finished sync runs started before the cutoff, except each account\'s newest run',
  write_intents: 'QuickBooks write intents completed before the cutoff; unfinished ones are kept',
  webhook_events: 'webhook events received before the cutoff',
};

const DAY_MS = 86_400_000;

export function retentionCutoff(now: Date, retentionDays: number): Date {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('retentionDays must be a whole number of days, at least 1');
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export interface RetentionResult {
  cutoff: Date;
  deleted: Record<RetentionTarget, number>;
  /** True when a run stopped at its chunk budget with rows left; the next run continues. */
  incomplete: boolean;
}
