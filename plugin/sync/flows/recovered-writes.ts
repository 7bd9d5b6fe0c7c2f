import { QboError } from '../../qbo/errors';
import { customerOf, parseSubject } from '../engine/customer-writes';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import type { MappingRef } from '../plan/types';
import { recordFailure, recordSuccess } from './record-outcomes';

/**
 * Batches an earlier run left open (its process was killed, or the answer was lost) are re-sent verbatim
 * first; QuickBooks answers them from its first answer, so nothing is created twice, and each answered
 * record gets its mapping now, before planning sees it as unlinked.
 */
export async function applyRecoveredWrites(deps: EngineDeps, ctx: RunContext): Promise<void> {
  const outcome = await deps.writer.recoverOpen(ctx.realmId);
  for (const r of outcome.results) {
    const subject = parseSubject(r.subject);
    if (!subject) continue;
    const result = customerOf(r);
    const ids = { workId: subject.workId, qboId: result.ok ? result.customer.Id : null };
    if (!result.ok) {
      await recordFailure(ctx, subject.entity, ids, result.error, 1, deps.clock());
      continue;
    }
    const snapshot =
      subject.entity === 'client'
        ? await deps.work.clients.get(ctx.accountId, subject.workId).then((c) => (c ? deps.rules.clientSnapshot(c) : null))
        : await deps.work.sites.get(ctx.accountId, subject.workId).then((s) => (s ? deps.rules.siteSnapshot(s) : null));
    if (!snapshot) continue;
    const existed = await deps.mappings.findByWork(ctx.accountId, subject.entity, subject.workId);
    await deps.mappings.save({
      accountId: ctx.accountId,
      realmId: ctx.realmId,
      entity: subject.entity,
      workId: subject.workId,
      qboId: result.customer.Id,
      syncToken: result.customer.SyncToken,
      snapshot: { ...snapshot },
      hash: deps.rules.snapshotHash(snapshot),
      now: deps.clock(),
    });
    if (existed) await recordSuccess(ctx, subject.entity, 'updated_in_qbo', ids, 'updated_in_qbo', { recovered: true });
    else await recordSuccess(ctx, subject.entity, 'created_in_qbo', ids, subject.entity === 'client' ? 'created_in_qbo' : 'created_sub_customer', { recovered: true });
  }
  // A refusal of the whole re-sent call (e.g. QBO replaying its answer to a request cut off mid-body) closed
  // that batch: nothing in it was applied, its records are planned afresh. Anything else (QBO unreachable,
  // outcome unknown) leaves the batch open, and writing anything new before it resolves would be unsafe.
  if (outcome.failure && !(outcome.failure instanceof QboError && !outcome.failure.retryable && !outcome.failure.outcomeUnknown)) throw outcome.failure;
}

/**
 * Creates QuickBooks answered (committed by the durable writer) whose mapping was never stored because the
 * process died in between: adopt them as links now, so the plan sees them linked and nothing is created
 * twice. `customers` (the run's fresh read) gives their SyncToken; without it the token is read on demand.
 */
export async function adoptAnsweredCreates(deps: EngineDeps, ctx: RunContext, customers: ReadonlyMap<string, { SyncToken: string }> | null): Promise<MappingRef[]> {
  const adopted: MappingRef[] = [];
  for (const answered of await deps.answered.createsWithoutMapping(ctx.accountId, ctx.realmId)) {
    const subject = parseSubject(answered.subject);
    if (!subject) continue;
    const snapshot =
      subject.entity === 'client'
        ? await deps.work.clients.get(ctx.accountId, subject.workId).then((c) => (c ? deps.rules.clientSnapshot(c) : null))
        : await deps.work.sites.get(ctx.accountId, subject.workId).then((s) => (s ? deps.rules.siteSnapshot(s) : null));
    if (!snapshot) continue;
    await deps.mappings.save({
      accountId: ctx.accountId,
      realmId: ctx.realmId,
      entity: subject.entity,
      workId: subject.workId,
      qboId: answered.qboId,
      syncToken: customers?.get(answered.qboId)?.SyncToken ?? null,
      snapshot: { ...snapshot },
      hash: deps.rules.snapshotHash(snapshot),
      now: deps.clock(),
    });
    await recordSuccess(ctx, subject.entity, 'created_in_qbo', { workId: subject.workId, qboId: answered.qboId }, subject.entity === 'client' ? 'created_in_qbo' : 'created_sub_customer', { recovered: true });
    adopted.push({ entity: subject.entity, workId: subject.workId, qboId: answered.qboId });
  }
  return adopted;
}
