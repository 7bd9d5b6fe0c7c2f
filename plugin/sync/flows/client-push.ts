import type { WorkClient } from '../../host/work-records';
import { SYNC_REASONS } from '../../messages';
import type { MappingRow } from '../../persistence/mapping-repository';
import { QboError } from '../../qbo/errors';
import { customers, type QboCustomer } from '../../qbo/entities/customer';
import { subjectFor, writeCustomers, type CustomerWrite } from '../engine/customer-writes';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import type { ClientSnapshot, MappingSettings, MergeResult } from '../plan/types';
import { customerUpdate, isDuplicateName, renameFor, sendUpdateAgainAfter6240, type RenameName } from './client-rename';
import { commitClientLink } from './onboarding-clients';
import { recordConflicts, recordFailure, recordSuccess, recordWarnings } from './record-outcomes';

/** One linked client whose merge is decided: what goes to QBO, what comes to Work, the next base. */
export interface LinkedChange {
  work: WorkClient;
  mapping: MappingRow;
  /** The customer as last seen (for its SyncToken); null when only the mapping's token is known. */
  customer: QboCustomer | null;
  merge: MergeResult<ClientSnapshot>;
}

export type PushOutcome = 'applied' | 'failed';

const refOf = (c: LinkedChange) => ({ Id: c.mapping.qbo_id, SyncToken: c.customer?.SyncToken ?? c.mapping.qbo_sync_token ?? '0' });

const isStale = (e: Error): boolean => e instanceof QboError && (e.kind === 'stale-object' || e.code === '5010');

export function baseOf(mapping: MappingRow): ClientSnapshot | null {
  return mapping.snapshot ? (mapping.snapshot as unknown as ClientSnapshot) : null;
}

export function mergeLinked(deps: EngineDeps, work: WorkClient, mapping: MappingRow, customer: QboCustomer | null, settings: MappingSettings): MergeResult<ClientSnapshot> {
  const base = baseOf(mapping);
  // Without a fresh customer, QBO is taken to hold the base: only Work's own changes flow.
  const qbo = customer ? deps.rules.customerSnapshot(customer, settings) : (base ?? deps.rules.clientSnapshot(work));
  return deps.rules.mergeClient({ base, work: deps.rules.clientSnapshot(work), qbo, workUpdatedAt: work.updatedAt, qboUpdatedAt: customer?.MetaData?.LastUpdatedTime ?? null });
}

/**
 * Apply decided merges of linked clients: QBO sparse updates in durable batches (the mapping's SyncToken),
 * then Work's side and the new base in one transaction per record, so a change applied to Work never
 * comes back as a push (the queued outbox row finds no difference). A 5010 is read again, merged again
 * and sent once more; then logged.
 */
export async function applyLinkedChanges(deps: EngineDeps, ctx: RunContext, changes: readonly LinkedChange[], settings: MappingSettings): Promise<Map<string, PushOutcome>> {
  const outcomes = new Map<string, PushOutcome>();
  const writes: CustomerWrite[] = [];
  // A rename's DisplayName is chosen before sending, like a create's (full name, unique, suffixed).
  const renames = new Map<string, RenameName>();
  for (const c of changes) {
    if (!c.merge.toQbo) continue;
    const ref = refOf(c);
    try {
      const rename = await renameFor(deps, ctx, c.work, c.mapping.qbo_id, c.merge);
      if (rename) renames.set(c.work.id, rename);
      writes.push({ subject: subjectFor('client', c.work.id), operation: 'update', payload: customerUpdate(deps, ref, c.merge, rename) });
    } catch (error) {
      await recordFailure(ctx, 'client', { workId: c.work.id, qboId: c.mapping.qbo_id }, error, 1, deps.clock());
      outcomes.set(c.work.id, 'failed');
    }
  }
  const results = writes.length > 0 ? await writeCustomers(deps, ctx.realmId, ctx.accountId, writes, 'clients') : new Map();
  for (const c of changes) {
    if (outcomes.has(c.work.id)) continue;
    const ids = { workId: c.work.id, qboId: c.mapping.qbo_id };
    try {
      let merge = c.merge;
      let customer: QboCustomer | null = c.customer;
      let rename = renames.get(c.work.id);
      if (merge.toQbo) {
        const result = results.get(subjectFor('client', c.work.id));
        if (!result) throw new Error('no answer from QuickBooks');
        if (result.ok) customer = result.customer;
        else if (rename && isDuplicateName(result.error)) {
          const again = await sendUpdateAgainAfter6240(deps, ctx, c.work, refOf(c), merge, rename);
          if (!again.ok) throw again.error;
          customer = again.customer;
          rename = again.rename;
        } else if (isStale(result.error)) {
          const fresh = await customers.read(deps.qbo, ctx.realmId, c.mapping.qbo_id);
          merge = mergeLinked(deps, c.work, c.mapping, fresh, settings);
          customer = fresh;
          if (merge.toQbo) {
            rename = await renameFor(deps, ctx, c.work, c.mapping.qbo_id, merge);
            const again = await writeCustomers(deps, ctx.realmId, ctx.accountId, [{ subject: subjectFor('client', c.work.id), operation: 'update', payload: customerUpdate(deps, fresh, merge, rename) }], 'clients');
            const second = again.get(subjectFor('client', c.work.id));
            if (!second?.ok) throw second?.error ?? new Error('no answer from QuickBooks');
            customer = second.customer;
          }
          await ctx.recorder.note({ entity: 'client', ...ids, level: 'info', outcome: 'warning', reasonCode: 'stale_retried', reason: SYNC_REASONS.stale_retried });
        } else throw result.error;
      }
      if (merge.toQbo && rename) await recordWarnings(ctx, 'client', ids, rename.warnings);
      const token = customer?.SyncToken ?? c.mapping.qbo_sync_token ?? '0';
      await commitClientLink(deps, ctx, c.work.id, { Id: c.mapping.qbo_id, SyncToken: token }, merge);
      if (merge.toQbo) await recordSuccess(ctx, 'client', 'updated_in_qbo', ids, 'updated_in_qbo', { fields: Object.keys(merge.toQbo), ...(rename ? { displayName: rename.name } : {}) });
      if (merge.toWork) await recordSuccess(ctx, 'client', 'updated_in_work', ids, 'updated_in_work', { fields: Object.keys(merge.toWork) });
      await recordConflicts(ctx, 'client', ids, merge.conflicts);
      await deps.log.settleFailures(ctx.accountId, 'client', c.work.id);
      outcomes.set(c.work.id, 'applied');
    } catch (error) {
      await recordFailure(ctx, 'client', ids, error, 1, deps.clock());
      outcomes.set(c.work.id, 'failed');
    }
  }
  return outcomes;
}
