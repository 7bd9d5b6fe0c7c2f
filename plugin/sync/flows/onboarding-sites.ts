import type { WorkSite } from '../../host/work-records';
import { subjectFor, writeCustomers, type CustomerWrite, type CustomerWriteResult } from '../engine/customer-writes';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import type { PlanEntry } from '../plan/types';
import { saveCreated, type LayerFailures } from './onboarding-clients';
import type { OnboardingData } from './onboarding-input';
import { recordFailure, recordSuccess } from './record-outcomes';
import { SYNC_REASONS } from '../../messages';

/** A site's parent on the other side, from the plan or from the client mappings layer 0 just stored. */
async function parentQboId(deps: EngineDeps, ctx: RunContext, entry: PlanEntry): Promise<string | null> {
  if (entry.parent?.qboCustomerId) return entry.parent.qboCustomerId;
  if (!entry.parent?.workClientId) return null;
  return (await deps.mappings.findByWork(ctx.accountId, 'client', entry.parent.workClientId))?.qbo_id ?? null;
}

async function parentWorkId(deps: EngineDeps, ctx: RunContext, entry: PlanEntry): Promise<string | null> {
  if (entry.parent?.workClientId) return entry.parent.workClientId;
  if (!entry.parent?.qboCustomerId) return null;
  return (await deps.mappings.findByQbo(ctx.accountId, 'client', entry.parent.qboCustomerId))?.work_id ?? null;
}

async function parentNotReady(ctx: RunContext, ids: { workId: string | null; qboId: string | null }): Promise<void> {
  await ctx.recorder.record({ entity: 'site', ...ids, level: 'warning', outcome: 'blocked', reasonCode: 'parent_not_ready', reason: SYNC_REASONS.parent_not_ready });
}

/**
 * Layer 1, after every client of layer 0 is linked or created: Work sites become sub-customers (Job,
 * ParentRef, BillWithParent) and active sub-customers become sites under their client. Sites follow only
 * at onboarding (the customer's rule), so a link stores the sub-customer's snapshot and nothing merges.
 */
export async function executeSiteLayer(deps: EngineDeps, ctx: RunContext, data: OnboardingData, entries: readonly PlanEntry[]): Promise<LayerFailures> {
  const failures: LayerFailures = { qboToWork: 0 };
  const writes: CustomerWrite[] = [];
  const creates = new Map<string, WorkSite>();

  for (const entry of entries) {
    const site = entry.workId ? data.sitesById.get(entry.workId) : undefined;
    const ids = { workId: entry.workId, qboId: entry.qboId };
    if (entry.action === 'link' && site && entry.qboId) {
      const sub = data.customersById.get(entry.qboId);
      if (!sub) continue;
      try {
        await saveCreated(deps, ctx, 'site', site.id, sub, deps.rules.siteSnapshot(site));
        await recordSuccess(ctx, 'site', 'linked', ids, 'linked_site');
      } catch (error) {
        await recordFailure(ctx, 'site', ids, error, 1, deps.clock());
      }
    } else if (entry.action === 'create_in_qbo' && site && entry.displayName) {
      const parent = await parentQboId(deps, ctx, entry);
      if (!parent) {
        await parentNotReady(ctx, ids);
        continue;
      }
      creates.set(subjectFor('site', site.id), site);
      writes.push({ subject: subjectFor('site', site.id), operation: 'create', payload: { ...deps.rules.subCustomerBody(deps.rules.siteSnapshot(site), entry.displayName, parent) } });
    }
  }

  const results = writes.length > 0 ? await writeCustomers(deps, ctx.realmId, ctx.accountId, writes, 'sites') : new Map<string, CustomerWriteResult>();
  for (const [subject, site] of creates) {
    const result = results.get(subject);
    if (result?.ok) {
      await saveCreated(deps, ctx, 'site', site.id, result.customer, deps.rules.siteSnapshot(site));
      await recordSuccess(ctx, 'site', 'created_in_qbo', { workId: site.id, qboId: result.customer.Id }, 'created_sub_customer');
    } else {
      await recordFailure(ctx, 'site', { workId: site.id, qboId: null }, result?.error ?? new Error('no answer from QuickBooks'), 1, deps.clock());
    }
  }

  for (const entry of entries) {
    if (entry.action !== 'create_in_work' || !entry.qboId) continue;
    const sub = data.customersById.get(entry.qboId);
    if (!sub) continue;
    const clientId = await parentWorkId(deps, ctx, entry);
    if (!clientId) {
      failures.qboToWork += 1;
      await parentNotReady(ctx, { workId: null, qboId: sub.Id });
      continue;
    }
    try {
      const parentCustomer = sub.ParentRef ? data.customersById.get(sub.ParentRef.value) : undefined;
      const parentSnapshot = parentCustomer ? deps.rules.customerSnapshot(parentCustomer, data.settings) : null;
      const snapshot = deps.rules.subCustomerSnapshot(sub, data.settings, parentSnapshot);
      const created = await deps.knex.transaction(async (trx) => {
        const site = await deps.work.sites.create(ctx.accountId, clientId, deps.rules.siteInput(snapshot), { trx });
        await deps.mappings.save(
          { accountId: ctx.accountId, realmId: ctx.realmId, entity: 'site', workId: site.id, qboId: sub.Id, syncToken: sub.SyncToken, snapshot: { ...snapshot }, hash: deps.rules.snapshotHash(snapshot), now: deps.clock() },
          trx,
        );
        return site;
      });
      await recordSuccess(ctx, 'site', 'created_in_work', { workId: created.id, qboId: sub.Id }, 'created_site_in_work');
    } catch (error) {
      failures.qboToWork += 1;
      await recordFailure(ctx, 'site', { workId: null, qboId: sub.Id }, error, 1, deps.clock(), true);
    }
  }
  return failures;
}
