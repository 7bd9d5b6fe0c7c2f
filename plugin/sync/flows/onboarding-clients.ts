import type { WorkClient } from '../../host/work-records';
import { QboError } from '../../qbo/errors';
import { customers, findCustomerByDisplayName, type QboCustomer } from '../../qbo/entities/customer';
import { subjectFor, writeCustomers, type CustomerWrite, type CustomerWriteResult } from '../engine/customer-writes';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import type { ClientField, ClientSnapshot, MappingSettings, MergeResult, PlanEntry } from '../plan/types';
import { customerUpdate, isDuplicateName, renameFor, sendUpdateAgainAfter6240, type RenameName } from './client-rename';
import type { OnboardingData } from './onboarding-input';
import { recordConflicts, recordFailure, recordSuccess, recordWarnings } from './record-outcomes';

export interface LayerFailures {
  /** QBO records that did not reach Work (the CDC bookmark must not move past them). */
  qboToWork: number;
}

interface PendingLink {
  entry: PlanEntry;
  work: WorkClient;
  customer: QboCustomer;
  merge: MergeResult<ClientSnapshot>;
  rename?: RenameName;
}
const isStale = (e: Error): boolean => e instanceof QboError && (e.kind === 'stale-object' || e.code === '5010');

export { customerUpdate } from './client-rename';

/** Store a link with its merged snapshot, writing Work's side in the same transaction (no echo). */
export async function commitClientLink(deps: EngineDeps, ctx: RunContext, workId: string, customer: { Id: string; SyncToken: string }, merge: MergeResult<ClientSnapshot>): Promise<void> {
  await deps.knex.transaction(async (trx) => {
    if (merge.toWork) await deps.work.clients.update(ctx.accountId, workId, deps.rules.clientPatch(merge.merged, Object.keys(merge.toWork) as ClientField[]), { trx });
    await deps.mappings.save(
      { accountId: ctx.accountId, realmId: ctx.realmId, entity: 'client', workId, qboId: customer.Id, syncToken: customer.SyncToken, snapshot: { ...merge.merged }, hash: deps.rules.snapshotHash(merge.merged), now: deps.clock() },
      trx,
    );
  });
}

/** Names QBO is known to hold (customers, vendors, employees) and the mapping settings. */
export interface KnownNames {
  names: readonly string[];
  settings: MappingSettings;
}

function mergeFor(deps: EngineDeps, settings: MappingSettings, work: WorkClient, customer: QboCustomer, base: ClientSnapshot | null): MergeResult<ClientSnapshot> {
  return deps.rules.mergeClient({
    base,
    work: deps.rules.clientSnapshot(work),
    qbo: deps.rules.customerSnapshot(customer, settings),
    workUpdatedAt: work.updatedAt,
    qboUpdatedAt: customer.MetaData?.LastUpdatedTime ?? null,
  });
}

/** Whether an existing customer that holds the wanted name is this client (then link, never duplicate). */
function sameClient(deps: EngineDeps, settings: MappingSettings, work: WorkClient, customer: QboCustomer): boolean {
  if (customer.Job === true || customer.Active === false) return false;
  const a = deps.rules.clientSnapshot(work);
  const b = deps.rules.customerSnapshot(customer, settings);
  const key = (v: string | null) => (v === null ? null : deps.rules.nameKey(v));
  const email = (v: string | null) => (v === null ? null : v.toLowerCase());
  if (email(a.email) !== email(b.email)) return false;
  if (a.companyName !== null || b.companyName !== null) return key(a.companyName) === key(b.companyName);
  return key(a.firstName) === key(b.firstName) && key(a.lastName) === key(b.lastName);
}

/**
 * 6240 (the name exists): link when the customer holding it is this client and not linked yet; otherwise
 * create under the deterministic suffixed name. Both are logged.
 */
export async function resolveDuplicateName(deps: EngineDeps, ctx: RunContext, known: KnownNames, work: WorkClient, wanted: string): Promise<boolean> {
  const ids = { workId: work.id, qboId: null };
  try {
    const holder = await findCustomerByDisplayName(deps.qbo, ctx.realmId, wanted);
    if (holder && sameClient(deps, known.settings, work, holder) && !(await deps.mappings.findByQbo(ctx.accountId, 'client', holder.Id))) {
      await commitClientLink(deps, ctx, work.id, holder, { ...mergeFor(deps, known.settings, work, holder, null), toQbo: null });
      await recordSuccess(ctx, 'client', 'linked', { workId: work.id, qboId: holder.Id }, 'linked_existing_name');
      return true;
    }
    const taken = [wanted, ...known.names, ...(holder ? [holder.DisplayName] : [])];
    const chosen = deps.rules.chooseDisplayName(wanted, taken);
    const snapshot = deps.rules.clientSnapshot(work);
    const results = await writeCustomers(deps, ctx.realmId, ctx.accountId, [{ subject: subjectFor('client', work.id), operation: 'create', payload: { ...deps.rules.customerBody(snapshot, chosen.name) } }], 'clients');
    const result = results.get(subjectFor('client', work.id));
    if (!result?.ok) {
      await recordFailure(ctx, 'client', ids, result?.error ?? new Error('no answer'), 1, deps.clock());
      return false;
    }
    await saveCreated(deps, ctx, 'client', work.id, result.customer, snapshot);
    await recordSuccess(ctx, 'client', 'created_in_qbo', { workId: work.id, qboId: result.customer.Id }, 'created_in_qbo', { displayName: chosen.name, wanted });
    await recordWarnings(ctx, 'client', { workId: work.id, qboId: result.customer.Id }, chosen.warnings);
    return true;
  } catch (error) {
    await recordFailure(ctx, 'client', ids, error, 1, deps.clock());
    return false;
  }
}

export async function saveCreated(deps: EngineDeps, ctx: RunContext, entity: 'client' | 'site', workId: string, customer: QboCustomer, snapshot: object): Promise<void> {
  await deps.mappings.save({
    accountId: ctx.accountId,
    realmId: ctx.realmId,
    entity,
    workId,
    qboId: customer.Id,
    syncToken: customer.SyncToken,
    snapshot: { ...snapshot },
    hash: deps.rules.snapshotHash(snapshot),
    now: deps.clock(),
  });
}

/** 5010 on a link's update: read the customer again, merge again, send once more; then log. */
async function retryStaleLink(deps: EngineDeps, ctx: RunContext, data: OnboardingData, link: PendingLink): Promise<CustomerWriteResult & { merge: MergeResult<ClientSnapshot>; rename?: RenameName }> {
  const fresh = await customers.read(deps.qbo, ctx.realmId, link.customer.Id);
  const merge = mergeFor(deps, data.settings, link.work, fresh, null);
  if (!merge.toQbo) return { ok: true, customer: fresh, recovered: false, merge };
  const rename = await renameFor(deps, ctx, link.work, fresh.Id, merge);
  const results = await writeCustomers(deps, ctx.realmId, ctx.accountId, [{ subject: subjectFor('client', link.work.id), operation: 'update', payload: customerUpdate(deps, fresh, merge, rename) }], 'clients');
  const result = results.get(subjectFor('client', link.work.id)) ?? { ok: false, error: new Error('no answer'), recovered: false };
  return rename ? { ...result, merge, rename } : { ...result, merge };
}

/**
 * Layer 0: link matched pairs (merging their fields), create unmatched clients in QBO in durable batches,
 * create unmatched active customers in Work. Every record ends in the log; a failure stops only itself.
 */
export async function executeClientLayer(deps: EngineDeps, ctx: RunContext, data: OnboardingData, entries: readonly PlanEntry[]): Promise<LayerFailures> {
  const failures: LayerFailures = { qboToWork: 0 };
  const writes: CustomerWrite[] = [];
  const links = new Map<string, PendingLink>();
  const creates = new Map<string, { entry: PlanEntry; work: WorkClient }>();

  for (const entry of entries) {
    const work = entry.workId ? data.clientsById.get(entry.workId) : undefined;
    const customer = entry.qboId ? data.customersById.get(entry.qboId) : undefined;
    if (entry.action === 'link' && work && customer) {
      const merge = mergeFor(deps, data.settings, work, customer, null);
      try {
        const rename = await renameFor(deps, ctx, work, customer.Id, merge);
        links.set(subjectFor('client', work.id), { entry, work, customer, merge, ...(rename ? { rename } : {}) });
        if (merge.toQbo) writes.push({ subject: subjectFor('client', work.id), operation: 'update', payload: customerUpdate(deps, customer, merge, rename) });
      } catch (error) {
        await recordFailure(ctx, 'client', { workId: work.id, qboId: customer.Id }, error, 1, deps.clock());
      }
    } else if (entry.action === 'create_in_qbo' && work && entry.displayName) {
      creates.set(subjectFor('client', work.id), { entry, work });
      writes.push({ subject: subjectFor('client', work.id), operation: 'create', payload: { ...deps.rules.customerBody(deps.rules.clientSnapshot(work), entry.displayName) } });
    }
  }

  const results = writes.length > 0 ? await writeCustomers(deps, ctx.realmId, ctx.accountId, writes, 'clients') : new Map<string, CustomerWriteResult>();

  for (const [subject, link] of links) {
    const ids = { workId: link.work.id, qboId: link.customer.Id };
    try {
      let customer = link.customer;
      let merge = link.merge;
      const result = results.get(subject);
      let rename = link.rename;
      if (merge.toQbo && result && !result.ok && isStale(result.error)) {
        const retried = await retryStaleLink(deps, ctx, data, link);
        if (!retried.ok) throw retried.error;
        customer = retried.customer;
        merge = retried.merge;
        rename = retried.rename;
      } else if (merge.toQbo && result && !result.ok && link.rename && isDuplicateName(result.error)) {
        const again = await sendUpdateAgainAfter6240(deps, ctx, link.work, link.customer, merge, link.rename);
        if (!again.ok) throw again.error;
        customer = again.customer;
        rename = again.rename;
      } else if (merge.toQbo) {
        if (!result) throw new Error('no answer from QuickBooks');
        if (!result.ok) throw result.error;
        customer = result.customer;
      }
      await commitClientLink(deps, ctx, link.work.id, customer, merge);
      await recordSuccess(ctx, 'client', 'linked', ids, link.entry.on === 'company_and_email' ? 'linked_company_and_email' : 'linked_company', {
        sentToQbo: merge.toQbo ? Object.keys(merge.toQbo) : [],
        copiedToWork: merge.toWork ? Object.keys(merge.toWork) : [],
        ...(merge.toQbo && rename ? { displayName: rename.name } : {}),
      });
      if (merge.toQbo && rename) await recordWarnings(ctx, 'client', ids, rename.warnings);
      await recordConflicts(ctx, 'client', ids, merge.conflicts);
    } catch (error) {
      await recordFailure(ctx, 'client', ids, error, 1, deps.clock());
    }
  }

  for (const [subject, { entry, work }] of creates) {
    const result = results.get(subject);
    const ids = { workId: work.id, qboId: null };
    if (result?.ok) {
      await saveCreated(deps, ctx, 'client', work.id, result.customer, deps.rules.clientSnapshot(work));
      await recordSuccess(ctx, 'client', 'created_in_qbo', { workId: work.id, qboId: result.customer.Id }, 'created_in_qbo', { displayName: entry.displayName ?? null });
    } else if (result && isDuplicateName(result.error) && entry.displayName) {
      const known = { names: [...data.input.qboCustomers.map((c) => c.DisplayName), ...data.input.takenNames.map((t) => t.name)], settings: data.settings };
      await resolveDuplicateName(deps, ctx, known, work, entry.displayName);
    } else {
      await recordFailure(ctx, 'client', ids, result?.error ?? new Error('no answer from QuickBooks'), 1, deps.clock());
    }
  }

  for (const entry of entries) {
    if (entry.action !== 'create_in_work' || !entry.qboId) continue;
    const customer = data.customersById.get(entry.qboId);
    if (!customer) continue;
    try {
      const snapshot = deps.rules.customerSnapshot(customer, data.settings);
      const created = await deps.knex.transaction(async (trx) => {
        const client = await deps.work.clients.create(ctx.accountId, deps.rules.clientInput(snapshot), { trx });
        await deps.mappings.save(
          { accountId: ctx.accountId, realmId: ctx.realmId, entity: 'client', workId: client.id, qboId: customer.Id, syncToken: customer.SyncToken, snapshot: { ...snapshot }, hash: deps.rules.snapshotHash(snapshot), now: deps.clock() },
          trx,
        );
        return client;
      });
      data.clientsById.set(created.id, created);
      await recordSuccess(ctx, 'client', 'created_in_work', { workId: created.id, qboId: customer.Id }, 'created_in_work');
    } catch (error) {
      failures.qboToWork += 1;
      await recordFailure(ctx, 'client', { workId: null, qboId: customer.Id }, error, 1, deps.clock(), true);
    }
  }
  return failures;
}
