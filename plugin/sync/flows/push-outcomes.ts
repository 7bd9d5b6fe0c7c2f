import { INVOICE_PAYMENT_FAULT_TEXTS, SYNC_REASONS } from '../../messages';
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

/** A record waiting for another one (its client, item or invoice) is looked at again within this long. */
const DEPENDENCY_WAIT_MAX_MS = 15 * 60_000;

/**
 * Settle a claimed row. A wait is due again with back-off (1, 2, 4 … minutes), at most 15 minutes when it
 * waits for another record that a later run may bring (`dependency`), so it follows soon after.
 */
export async function settleRow(deps: EngineDeps, ctx: RunContext, row: ClaimedOutboxRow | null, fate: RowFate, why = '', dependency = false): Promise<void> {
  if (!row || ctx.dryRun) return;
  const now = deps.clock();
  if (fate === 'done') {
    await deps.outbox.complete(ctx.accountId, row.id, now);
    return;
  }
  let next: Date | null = null;
  if (fate === 'wait') {
    next = nextAttemptAt(now, row.attempts);
    if (dependency && next.getTime() - now.getTime() > DEPENDENCY_WAIT_MAX_MS) next = new Date(now.getTime() + DEPENDENCY_WAIT_MAX_MS);
  }
  await deps.outbox.fail(ctx.accountId, row.id, why || fate, next, now);
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
  // QBO's detail carries the specifics ("This transaction has been voided…"); the message is often generic.
  const said = error instanceof QboError && error.detail ? `${error.message}: ${error.detail}` : error.message;
  const action =
    error instanceof QboError ? decidePushFailure({ kind: error.kind, code: error.code, message: said, outcomeUnknown: error.outcomeUnknown || error.retryable }, attempt) : 'retry_next_run';
  const why = failureReason(error);
  const text = (why.faultCode !== null ? INVOICE_PAYMENT_FAULT_TEXTS[why.faultCode] : undefined) ?? (/voided/i.test(said) ? INVOICE_PAYMENT_FAULT_TEXTS['610'] : undefined) ?? SYNC_REASONS[why.reasonCode];
  const fate: RowFate = action === 'stop_for_good' ? 'done' : action === 'stop_until_edited' ? 'stop' : 'wait';
  await ctx.recorder.record({
    entity,
    workId: ids.workId,
    qboId: ids.qboId,
    level: 'error',
    outcome: action === 'stop_for_good' ? 'reported' : 'failed',
    reasonCode: action === 'stop_for_good' ? 'qbo_object_gone' : action === 'retry_next_run' ? 'push_waits_for_qbo' : 'qbo_refused',
    reason: `${text} QuickBooks said: ${said}`.slice(0, 2000),
    faultCode: why.faultCode,
    intuitTid: why.intuitTid,
    details: { action, message: said },
    attempts: 1,
    nextAttemptAt: action === 'retry_next_run' || action === 'reread_and_retry' ? nextAttemptAt(deps.clock(), 1) : null,
  });
  return { action, fate };
}
