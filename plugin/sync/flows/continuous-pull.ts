import { SYNC_REASONS } from '../../messages';
import { fetchChanges } from '../../qbo/cdc';
import { customerSchema, type QboCustomer } from '../../qbo/entities/customer';
import type { EngineDeps } from '../engine/engine-deps';
import { readAllCustomers } from '../engine/qbo-reader';
import type { RunContext } from '../engine/run-lifecycle';
import { applyLinkedChanges, baseOf, mergeLinked, type LinkedChange } from './client-push';
import { syncNewClients } from './new-clients';
import { recordFailure } from './record-outcomes';

const ENTITY = 'Customer';

export interface PullResult {
  seen: number;
  fullScan: boolean;
  bookmarkAdvanced: boolean;
}

function isDeleted(object: unknown): object is { Id: string; status: 'Deleted' } {
  return typeof object === 'object' && object !== null && (object as Record<string, unknown>)['status'] === 'Deleted';
}

/**
 * QBO → Work for linked clients, and new customers: CDC since the bookmark (with its overlap), or a full ordered scan past 30
 * days or without a bookmark. Each linked customer is merged field by field against the last-synced
 * snapshot; a pushed change comes back with the snapshot already equal, so it does nothing (no echo).
 * An active top-level customer with no mapping (created in QBO after onboarding) is matched against the
 * unlinked Work clients by onboarding's rules, then linked, reviewed or created in Work; a new sub-customer
 * is only logged (sites follow at onboarding). A customer made inactive, merged or deleted in QBO is
 * reported, never guessed at. The bookmark moves
 * only when the entity came back complete and every record of it was applied.
 */
export async function pullChanges(deps: EngineDeps, ctx: RunContext, options: { matchNew?: boolean } = {}): Promise<PullResult> {
  const before = deps.clock();
  const bookmark = await deps.bookmarks.get(ctx.accountId, ENTITY);
  const cdc = await fetchChanges(deps.qbo, ctx.realmId, [ENTITY], bookmark, before);
  let objects: unknown[];
  let next: string;
  let complete: boolean;
  if (cdc.kind === 'full-scan-required') {
    objects = await readAllCustomers(deps.qbo, ctx.realmId);
    next = before.toISOString();
    complete = true;
  } else {
    const changes = cdc.entities.get(ENTITY);
    objects = changes?.objects ?? [];
    complete = changes?.complete ?? false;
    next = cdc.nextBookmark;
  }

  const settings = await deps.settings.mappingSettings(ctx.accountId);
  const changes: LinkedChange[] = [];
  const newCustomers = new Set<string>();
  let failed = 0;
  for (const object of objects) {
    try {
      if (isDeleted(object)) {
        const mapping = await deps.mappings.findByQbo(ctx.accountId, 'client', object.Id);
        if (mapping) {
          await ctx.recorder.record({ entity: 'client', workId: mapping.work_id, qboId: object.Id, level: 'warning', outcome: 'reported', reasonCode: 'customer_deleted_in_qbo', reason: SYNC_REASONS.customer_deleted_in_qbo });
        }
        continue;
      }
      const parsed = customerSchema.safeParse(object);
      if (!parsed.success) continue;
      const customer: QboCustomer = parsed.data;
      if (customer.Job === true || customer.ParentRef) {
        // Sites follow only at onboarding (the customer's rule): a new sub-customer is only noted.
        if (cdc.kind !== 'full-scan-required' && !(await deps.mappings.findByQbo(ctx.accountId, 'site', customer.Id))) {
          await ctx.recorder.record({ entity: 'site', workId: null, qboId: customer.Id, level: 'info', outcome: 'skipped', reasonCode: 'sub_customer_not_synced_continuously', reason: SYNC_REASONS.sub_customer_not_synced_continuously });
        }
        continue;
      }
      const mapping = await deps.mappings.findByQbo(ctx.accountId, 'client', customer.Id);
      if (!mapping) {
        // A customer created (or first made active) in QBO after onboarding: matched like at onboarding below.
        if (customer.Active !== false && options.matchNew !== false) newCustomers.add(customer.Id);
        continue;
      }
      if (mapping.qbo_sync_token === customer.SyncToken) continue;
      const base = baseOf(mapping);
      if (customer.Active === false && base?.active !== false) {
        await ctx.recorder.record({ entity: 'client', workId: mapping.work_id, qboId: customer.Id, level: 'warning', outcome: 'reported', reasonCode: 'customer_inactive_in_qbo', reason: SYNC_REASONS.customer_inactive_in_qbo });
        continue;
      }
      const work = await deps.work.clients.get(ctx.accountId, mapping.work_id);
      if (!work) {
        await ctx.recorder.record({ entity: 'client', workId: mapping.work_id, qboId: customer.Id, level: 'warning', outcome: 'skipped', reasonCode: 'deleted_in_work_not_in_qbo', reason: SYNC_REASONS.deleted_in_work_not_in_qbo });
        continue;
      }
      changes.push({ work, mapping, customer, merge: mergeLinked(deps, work, mapping, customer, settings) });
    } catch (error) {
      failed += 1;
      await recordFailure(ctx, 'client', { workId: null, qboId: typeof object === 'object' && object !== null ? String((object as Record<string, unknown>)['Id'] ?? '') || null : null }, error, 1, deps.clock());
    }
  }
  const outcomes = await applyLinkedChanges(deps, ctx, changes, settings);
  failed += [...outcomes.values()].filter((o) => o === 'failed').length;
  try {
    const created = await syncNewClients(deps, ctx, { workIds: new Set(), qboIds: newCustomers });
    failed += created.failedQboIds.size;
  } catch (error) {
    failed += 1;
    await recordFailure(ctx, 'client', { workId: null, qboId: null }, error, 1, deps.clock());
  }
  const advance = complete && failed === 0;
  if (advance) await deps.bookmarks.set(ctx.accountId, ctx.realmId, ENTITY, next, deps.clock());
  return { seen: objects.length, fullScan: cdc.kind === 'full-scan-required', bookmarkAdvanced: advance };
}
