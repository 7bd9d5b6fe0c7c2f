import type { WorkClient } from '../../host/work-records';
import { QboError } from '../../qbo/errors';
import { subjectFor, writeCustomers, type CustomerWriteResult } from '../engine/customer-writes';
import type { EngineDeps } from '../engine/engine-deps';
import { readNamesLike } from '../engine/qbo-reader';
import type { RunContext } from '../engine/run-lifecycle';
import type { ClientField, ClientSnapshot, MergeResult, NameWarning } from '../plan/types';

/** The DisplayName a linked customer's update carries, and the fixes made to reach it (for the log). */
export interface RenameName {
  name: string;
  warnings: NameWarning[];
}

export const isDuplicateName = (e: Error): boolean => e instanceof QboError && (e.kind === 'duplicate-name' || e.code === '6240');

/** A sparse update of a linked customer: only the merged fields QBO lacks (and the DisplayName of a rename). */
export function customerUpdate(deps: EngineDeps, customer: { Id: string; SyncToken: string }, merge: MergeResult<ClientSnapshot>, rename?: RenameName): Record<string, unknown> {
  const fields = Object.keys(merge.toQbo ?? {}) as ClientField[];
  return { ...deps.rules.customerPatch(merge.merged, fields, rename?.name), Id: customer.Id, SyncToken: customer.SyncToken, sparse: true };
}

/**
 * When a merge sends the client's company name to QBO (a rename in Work), DisplayName follows it, chosen
 * exactly as a create chooses it: the full company name (up to 500, not CompanyName's 100), made unique
 * against the customers (inactive too, this one left out), vendors and employees holding it or a suffixed
 * variant, with the deterministic " (n)" suffix. `alsoTaken` adds names QBO refused (a 6240 on the update).
 * Undefined when the update renames nothing.
 */
export async function renameFor(deps: EngineDeps, ctx: RunContext, work: WorkClient, qboId: string, merge: MergeResult<ClientSnapshot>, alsoTaken: readonly string[] = []): Promise<RenameName | undefined> {
  if (!merge.toQbo || !('companyName' in merge.toQbo) || merge.merged.companyName === null) return undefined;
  const wanted = deps.rules.displayNameForClient(work);
  if (wanted.name === null) return undefined;
  const inUse = await readNamesLike(deps.qbo, ctx.realmId, wanted.name, qboId);
  const chosen = deps.rules.chooseDisplayNameAmong(wanted.name, [...inUse, ...alsoTaken.map((name) => ({ name, kind: 'customer' as const }))]);
  return { name: chosen.name, warnings: [...wanted.warnings.filter((w) => w.field === 'DisplayName'), ...chosen.warnings] };
}

/**
 * A 6240 on a rename (the name was taken after we looked): like a create, the holder is read and the next
 * free suffix is sent once more. Linking to the holder is not an option here: this client is already
 * linked to its own customer, and re-pointing it would orphan that customer's history.
 */
export async function sendUpdateAgainAfter6240(
  deps: EngineDeps,
  ctx: RunContext,
  work: WorkClient,
  ref: { Id: string; SyncToken: string },
  merge: MergeResult<ClientSnapshot>,
  refused: RenameName,
): Promise<CustomerWriteResult & { rename?: RenameName }> {
  const rename = await renameFor(deps, ctx, work, ref.Id, merge, [refused.name]);
  const subject = subjectFor('client', work.id);
  const results = await writeCustomers(deps, ctx.realmId, ctx.accountId, [{ subject, operation: 'update', payload: customerUpdate(deps, ref, merge, rename) }], 'clients');
  const result = results.get(subject) ?? { ok: false as const, error: new Error('no answer from QuickBooks'), recovered: false };
  return rename ? { ...result, rename } : result;
}
