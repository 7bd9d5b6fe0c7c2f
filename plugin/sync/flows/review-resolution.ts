import { customers } from '../../qbo/entities/customer';
import type { ReviewRow } from '../../persistence/review-repository';
import { subjectFor, writeCustomers } from '../engine/customer-writes';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import { customerUpdate, renameFor } from './client-rename';
import { commitClientLink, resolveDuplicateName, saveCreated } from './onboarding-clients';
import { recordConflicts, recordFailure, recordSuccess } from './record-outcomes';

export type ReviewDecision = 'link' | 'create' | 'skip';

export interface ReviewTarget {
  /** For 'link' of a Work-side entry: which QBO candidate. */
  qboId?: string;
  /** For 'link' of a QBO-side entry: which Work candidate. */
  workId?: string;
}

export class ReviewResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewResolutionError';
  }
}

/** Link a client and a customer the admin chose: merge their fields (newer wins), write both sides, map. */
async function linkPair(deps: EngineDeps, ctx: RunContext, workId: string, qboId: string): Promise<void> {
  const work = await deps.work.clients.get(ctx.accountId, workId);
  if (!work) throw new ReviewResolutionError('The Work client of this review entry no longer exists.');
  if (await deps.mappings.findByQbo(ctx.accountId, 'client', qboId)) throw new ReviewResolutionError('That QuickBooks customer is already linked to another Work client.');
  if (await deps.mappings.findByWork(ctx.accountId, 'client', workId)) throw new ReviewResolutionError('That Work client is already linked to a QuickBooks customer.');
  const settings = await deps.settings.mappingSettings(ctx.accountId);
  let customer = await customers.read(deps.qbo, ctx.realmId, qboId);
  const merge = deps.rules.mergeClient({
    base: null,
    work: deps.rules.clientSnapshot(work),
    qbo: deps.rules.customerSnapshot(customer, settings),
    workUpdatedAt: work.updatedAt,
    qboUpdatedAt: customer.MetaData?.LastUpdatedTime ?? null,
  });
  if (merge.toQbo) {
    const rename = await renameFor(deps, ctx, work, qboId, merge);
    const results = await writeCustomers(deps, ctx.realmId, ctx.accountId, [{ subject: subjectFor('client', workId), operation: 'update', payload: customerUpdate(deps, customer, merge, rename) }], 'clients');
    const result = results.get(subjectFor('client', workId));
    if (!result?.ok) throw result?.error ?? new Error('no answer from QuickBooks');
    customer = result.customer;
  }
  await commitClientLink(deps, ctx, workId, customer, merge);
  await recordSuccess(ctx, 'client', 'linked', { workId, qboId }, 'linked_company');
  await recordConflicts(ctx, 'client', { workId, qboId }, merge.conflicts);
}

async function createFor(deps: EngineDeps, ctx: RunContext, entry: ReviewRow): Promise<{ workId: string | null; qboId: string | null }> {
  const settings = await deps.settings.mappingSettings(ctx.accountId);
  if (entry.work_id) {
    const work = await deps.work.clients.get(ctx.accountId, entry.work_id);
    if (!work) throw new ReviewResolutionError('The Work client of this review entry no longer exists.');
    const name = deps.rules.displayNameForClient(work);
    if (!name.name) throw new ReviewResolutionError('This client has no name QuickBooks can use; add a company or contact name first.');
    const snapshot = deps.rules.clientSnapshot(work);
    const results = await writeCustomers(deps, ctx.realmId, ctx.accountId, [{ subject: subjectFor('client', work.id), operation: 'create', payload: { ...deps.rules.customerBody(snapshot, name.name) } }], 'clients');
    const result = results.get(subjectFor('client', work.id));
    if (result?.ok) {
      await saveCreated(deps, ctx, 'client', work.id, result.customer, snapshot);
      await recordSuccess(ctx, 'client', 'created_in_qbo', { workId: work.id, qboId: result.customer.Id }, 'created_in_qbo');
      return { workId: work.id, qboId: result.customer.Id };
    }
    if (result && (result.error as { code?: string }).code === '6240') {
      const known = { names: entry.candidates.map((c) => String(c.fields['displayName'] ?? '')).filter((n) => n.length > 0), settings };
      if (await resolveDuplicateName(deps, ctx, known, work, name.name)) {
        return { workId: work.id, qboId: (await deps.mappings.findByWork(ctx.accountId, 'client', work.id))?.qbo_id ?? null };
      }
    }
    throw result?.error ?? new Error('no answer from QuickBooks');
  }
  if (!entry.qbo_id) throw new ReviewResolutionError('This review entry names no record.');
  const customer = await customers.read(deps.qbo, ctx.realmId, entry.qbo_id);
  const snapshot = deps.rules.customerSnapshot(customer, settings);
  const client = await deps.knex.transaction(async (trx) => {
    const created = await deps.work.clients.create(ctx.accountId, deps.rules.clientInput(snapshot), { trx });
    await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'client', workId: created.id, qboId: customer.Id, syncToken: customer.SyncToken, snapshot: { ...snapshot }, hash: deps.rules.snapshotHash(snapshot), now: deps.clock() }, trx);
    return created;
  });
  await recordSuccess(ctx, 'client', 'created_in_work', { workId: client.id, qboId: customer.Id }, 'created_in_work');
  return { workId: client.id, qboId: customer.Id };
}

/** Carry out the admin's decision on one open review entry (inside a run holding the account's lock). */
export async function resolveReviewEntry(deps: EngineDeps, ctx: RunContext, entry: ReviewRow, decision: ReviewDecision, target: ReviewTarget): Promise<void> {
  if (entry.status !== 'open') throw new ReviewResolutionError('This review entry was already resolved.');
  if (entry.entity !== 'client' && decision !== 'skip') throw new ReviewResolutionError('Sites under review can only be skipped; link or create their client first.');
  try {
    if (decision === 'skip') {
      await deps.reviews.resolve(ctx.accountId, entry.id, 'skipped', { workId: null, qboId: null }, deps.clock());
      await ctx.recorder.record({ entity: entry.entity, workId: entry.work_id, qboId: entry.qbo_id, level: 'info', outcome: 'skipped', reasonCode: 'ambiguous_match', reason: 'Skipped from the review list: this record is left alone by later syncs.' });
      return;
    }
    if (decision === 'link') {
      const workId = entry.work_id ?? target.workId ?? null;
      const qboId = entry.qbo_id ?? target.qboId ?? null;
      const candidates = new Set(entry.candidates.map((c) => c.workId ?? c.qboId));
      const chosen = entry.work_id ? qboId : workId;
      if (!workId || !qboId || !chosen || !candidates.has(chosen)) throw new ReviewResolutionError('Choose one of the candidates of this review entry to link.');
      await linkPair(deps, ctx, workId, qboId);
      await deps.reviews.resolve(ctx.accountId, entry.id, 'linked', { workId, qboId }, deps.clock());
      return;
    }
    const created = await createFor(deps, ctx, entry);
    await deps.reviews.resolve(ctx.accountId, entry.id, 'created', created, deps.clock());
  } catch (error) {
    if (error instanceof ReviewResolutionError) throw error;
    await recordFailure(ctx, 'client', { workId: entry.work_id, qboId: entry.qbo_id }, error, 1, deps.clock());
    throw error;
  }
}
