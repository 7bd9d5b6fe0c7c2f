import { SYNC_REASONS, type SyncReasonCode } from '../../messages';
import type { SyncEntity } from '../../persistence/sync-log-repository';
import { failureReason, nextAttemptAt } from '../engine/fault-reasons';
import type { RunContext } from '../engine/run-lifecycle';
import type { FieldConflict, NameWarning } from '../plan/types';

/** Small helpers so every flow logs outcomes the same way. */

export async function recordSuccess(
  ctx: RunContext,
  entity: SyncEntity,
  outcome: 'linked' | 'created_in_qbo' | 'created_in_work' | 'updated_in_qbo' | 'updated_in_work' | 'unchanged',
  ids: { workId: string | null; qboId: string | null },
  reasonCode: SyncReasonCode,
  details?: Record<string, unknown>,
): Promise<void> {
  await ctx.recorder.record({ entity, ...ids, level: 'info', outcome, reasonCode, reason: SYNC_REASONS[reasonCode], details: details ?? null });
}

export async function recordFailure(ctx: RunContext, entity: SyncEntity, ids: { workId: string | null; qboId: string | null }, error: unknown, attempts = 1, now = new Date(), writingToWork = false): Promise<void> {
  const generic = failureReason(error);
  // A save Work refused is Work's side, not QuickBooks': say so.
  const why = writingToWork && generic.reasonCode === 'internal_error' ? { ...generic, reasonCode: 'work_refused' as const, reason: SYNC_REASONS.work_refused } : generic;
  await ctx.recorder.record({
    entity,
    ...ids,
    level: 'error',
    outcome: 'failed',
    reasonCode: why.reasonCode,
    reason: why.reason,
    faultCode: why.faultCode,
    intuitTid: why.intuitTid,
    details: { message: why.detail },
    attempts,
    nextAttemptAt: nextAttemptAt(now, attempts),
  });
}

export async function recordWarnings(ctx: RunContext, entity: SyncEntity, ids: { workId: string | null; qboId: string | null }, warnings: readonly NameWarning[]): Promise<void> {
  for (const w of warnings) {
    const code: SyncReasonCode = w.code in SYNC_REASONS ? w.code : 'internal_error';
    await ctx.recorder.note({ entity, ...ids, level: 'warning', outcome: 'warning', reasonCode: code, reason: SYNC_REASONS[code], details: { field: w.field, detail: w.detail } });
  }
}

export async function recordConflicts(ctx: RunContext, entity: SyncEntity, ids: { workId: string | null; qboId: string | null }, conflicts: readonly FieldConflict[]): Promise<void> {
  for (const c of conflicts) {
    await ctx.recorder.record({
      entity,
      ...ids,
      level: 'warning',
      outcome: 'conflict',
      reasonCode: 'conflict_newer_wins',
      reason: SYNC_REASONS.conflict_newer_wins,
      details: { field: c.field, base: c.base ?? null, work: c.work, qbo: c.qbo, winner: c.winner, firstLink: c.firstLink },
    });
  }
}
