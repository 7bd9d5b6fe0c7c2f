import { INVOICE_PAYMENT_FAULT_TEXTS } from '../../messages';
import type { ClaimedOutboxRow } from '../../persistence/outbox-claim-repository';
import type { SyncEntity, SyncOutcome } from '../../persistence/sync-log-repository';
import { QboError } from '../../qbo/errors';
import type { EngineDeps } from '../engine/engine-deps';
import { failureReason, nextAttemptAt } from '../engine/fault-reasons';
import type { RunContext } from '../engine/run-lifecycle';
import { decidePushFailure, type PushFailureAction } from '../plan/push-failure';

/** What becomes of a record's outbox row: done, due again later (it waits), or failed until Work changes it. */
export type RowFate = 'done' | 'wait' | 'stop';

export interface Ids {
  workId: string;
  qboId: string | null;
}

export async function settleRow(deps: EngineDeps, ctx: RunContext, row: ClaimedOutboxRow | null, fate: RowFate, why = ''): Promise<void> {
  if (!row || ctx.dryRun) return;
  if (fate === 'done') await deps.outbox.complete(ctx.accountId, row.id, deps.clock());
  else await deps.outbox.fail(ctx.accountId, row.id, why || fate, fate === 'wait' ? nextAttemptAt(deps.clock(), row.attempts) : null, deps.clock());
}

export async function logOutcome(
  ctx: RunContext,
  entity: SyncEntity,
  ids: Ids,
  level: 'info' | 'warning' | 'error',
  outcome: SyncOutcome,
  reasonCode: string,
  reason: string,
  details: Record<string, unknown> | null = null,
): Promise<void> {
  await ctx.recorder.record({ entity, workId: ids.workId, qboId: ids.qboId, level, outcome, reasonCode, reason, details });
}

/** A warning beside an outcome already counted. */
export async function logNote(ctx: RunContext, entity: SyncEntity, ids: Ids, level: 'info' | 'warning', reasonCode: string, reason: string, details: Record<string, unknown> | null = null): Promise<void> {
  await ctx.recorder.note({ entity, workId: ids.workId, qboId: ids.qboId, level, outcome: 'warning', reasonCode, reason, details });
}

export interface FailureFate {
  action: PushFailureAction;
  fate: RowFate;
}

/**
 * A refused or unanswered write, logged with QBO's code, its intuit_tid and a bookkeeper text, and what
 * becomes of the record: the cause can pass (closed period, QBO unreachable) → it waits; the data must change
 * → failed until the next edit; the QBO object is gone or voided → reported once, never retried.
 */
export async function logPushFailure(deps: EngineDeps, ctx: RunContext, entity: SyncEntity, ids: Ids, error: Error, attempt: number): Promise<FailureFate> {
  const action =
    error instanceof QboError
      ? decidePushFailure({ kind: error.kind, code: error.code, message: error.message, outcomeUnknown: error.outcomeUnknown || error.retryable }, attempt)
      : 'retry_next_run';
  const why = failureReason(error);
  const text = (why.faultCode !== null ? INVOICE_PAYMENT_FAULT_TEXTS[why.faultCode] : undefined) ?? (/voided/i.test(why.detail) ? INVOICE_PAYMENT_FAULT_TEXTS['610'] : undefined) ?? why.reason;
  const fate: RowFate = action === 'stop_for_good' ? 'done' : action === 'stop_until_edited' ? 'stop' : 'wait';
  await ctx.recorder.record({
    entity,
    workId: ids.workId,
    qboId: ids.qboId,
    level: 'error',
    outcome: action === 'stop_for_good' ? 'reported' : 'failed',
    reasonCode: action === 'stop_for_good' ? 'qbo_object_gone' : action === 'retry_next_run' ? 'push_waits_for_qbo' : 'qbo_refused',
    reason: `${text} QuickBooks said: ${why.detail}`.slice(0, 2000),
    faultCode: why.faultCode,
    intuitTid: why.intuitTid,
    details: { action, message: why.detail },
    attempts: 1,
    nextAttemptAt: action === 'retry_next_run' || action === 'reread_and_retry' ? nextAttemptAt(deps.clock(), 1) : null,
  });
  return { action, fate };
}
