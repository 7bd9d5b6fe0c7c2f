import { SYNC_REASONS, type SyncReasonCode } from '../../messages';
import type { ReviewCandidate } from '../../persistence/review-repository';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import type { OnboardingPlan, PlanEntry } from '../plan/types';
import { adoptAnsweredCreates, applyRecoveredWrites } from './recovered-writes';
import { executeClientLayer } from './onboarding-clients';
import { executeSiteLayer } from './onboarding-sites';
import { readOnboardingData, type OnboardingData } from './onboarding-input';
import { stripUnsafeCharactersDeep } from '../text-safety';
import { recordWarnings } from './record-outcomes';

/** The readiness preview: the same reading and planning as a run, and nothing written anywhere. */
export async function previewOnboarding(deps: EngineDeps, accountId: string, realmId: string): Promise<OnboardingPlan> {
  const data = await readOnboardingData(deps, accountId, realmId);
  return deps.rules.planOnboarding(data.input);
}

/** Plan entries the admin chose to skip in the review list are left alone by every later run. */
export async function withoutSkipped(deps: EngineDeps, accountId: string, plan: OnboardingPlan): Promise<OnboardingPlan> {
  const keep = async (entries: PlanEntry[], entity: 'client' | 'site') => {
    const skipped = await deps.reviews.skippedSubjects(accountId, entity);
    return entries.filter((e) => !(e.workId && skipped.workIds.has(e.workId)) && !(e.qboId && skipped.qboIds.has(e.qboId)));
  };
  return { ...plan, clients: await keep(plan.clients, 'client'), sites: await keep(plan.sites, 'site') };
}

const DRY_RUN_OUTCOME = {
  link: 'linked',
  create_in_qbo: 'created_in_qbo',
  create_in_work: 'created_in_work',
  review: 'review',
  blocked: 'blocked',
} as const;

/** Review and blocked entries of a layer: opened in the review list / logged with their reason. */
export async function recordUndecided(deps: EngineDeps, ctx: RunContext, data: OnboardingData, entries: readonly PlanEntry[]): Promise<void> {
  for (const e of entries) {
    const ids = { workId: e.workId, qboId: e.qboId };
    if (e.action === 'review') {
      const reasonCode: SyncReasonCode = e.reason && e.reason in SYNC_REASONS ? e.reason : 'ambiguous_match';
      const candidates: ReviewCandidate[] = [
        ...(e.candidates?.workIds ?? []).filter((id) => id !== e.workId).map((id) => ({ workId: id, fields: fieldsOfWork(deps, data, e.entity, id) })),
        ...(e.candidates?.qboIds ?? []).filter((id) => id !== e.qboId).map((id) => ({ qboId: id, fields: fieldsOfQbo(deps, data, e.entity, id) })),
      ];
      await deps.reviews.open(
        ctx.accountId,
        // Review fields show both sides' values as they are (a QBO name may hold a NUL): made safe to store.
        stripUnsafeCharactersDeep({
          runId: ctx.runId,
          entity: e.entity,
          workId: e.workId,
          qboId: e.qboId,
          workFields: e.workId ? fieldsOfWork(deps, data, e.entity, e.workId) : null,
          qboFields: e.qboId ? fieldsOfQbo(deps, data, e.entity, e.qboId) : null,
          candidates,
          reasonCode,
          reason: `${SYNC_REASONS[reasonCode]}${reasonCode === 'ambiguous_match' ? '' : ` ${SYNC_REASONS.ambiguous_match}`}`,
        }).value,
        deps.clock(),
      );
      await ctx.recorder.record({ entity: e.entity, ...ids, level: 'warning', outcome: 'review', reasonCode, reason: SYNC_REASONS[reasonCode], details: { candidates: e.candidates ?? null } });
    } else if (e.action === 'blocked') {
      const code: SyncReasonCode = e.reason && e.reason in SYNC_REASONS ? e.reason : 'internal_error';
      await ctx.recorder.record({ entity: e.entity, ...ids, level: 'warning', outcome: 'blocked', reasonCode: code, reason: SYNC_REASONS[code] });
    }
  }
}

function fieldsOfWork(deps: EngineDeps, data: OnboardingData, entity: 'client' | 'site', id: string): Record<string, unknown> {
  if (entity === 'client') {
    const c = data.clientsById.get(id);
    return c ? { ...deps.rules.clientSnapshot(c) } : {};
  }
  const s = data.sitesById.get(id);
  return s ? { ...deps.rules.siteSnapshot(s), clientId: s.clientId } : {};
}

function fieldsOfQbo(deps: EngineDeps, data: OnboardingData, entity: 'client' | 'site', id: string): Record<string, unknown> {
  const c = data.customersById.get(id);
  if (!c) return {};
  return entity === 'client'
    ? { displayName: c.DisplayName, ...deps.rules.customerSnapshot(c, data.settings) }
    : { displayName: c.DisplayName, parentId: c.ParentRef?.value ?? null, ...deps.rules.subCustomerSnapshot(c, data.settings, null) };
}

/** Records the run will record per entity: every plan entry but those already linked. */
function expectedCounts(plan: OnboardingPlan): Record<string, number> {
  const count = (entries: PlanEntry[]) => entries.filter((e) => e.action !== 'already_linked').length;
  return { client: count(plan.clients), site: count(plan.sites) };
}

/**
 * The first sync: finish writes an earlier (killed) run left open, read both sides, plan, then write in
 * dependency layers (clients and customers, then sites and sub-customers). Everything is re-planned from
 * what is stored, so a killed run simply continues: linked records are "already linked", and a create
 * whose answer was lost is recovered from its durable batch before anything new is formed.
 */
export async function runOnboarding(deps: EngineDeps, ctx: RunContext): Promise<OnboardingPlan> {
  if (!ctx.dryRun) {
    await ctx.recorder.setPhase('recovering');
    await applyRecoveredWrites(deps, ctx);
  }
  await ctx.recorder.setPhase('reading');
  const data = await readOnboardingData(deps, ctx.accountId, ctx.realmId);
  if (!ctx.dryRun) data.input.existingMappings.push(...(await adoptAnsweredCreates(deps, ctx, data.customersById)));
  const plan = await withoutSkipped(deps, ctx.accountId, deps.rules.planOnboarding(data.input));
  await ctx.recorder.setExpected(expectedCounts(plan));
  if (ctx.dryRun) {
    for (const e of [...plan.clients, ...plan.sites]) {
      if (e.action === 'already_linked') continue;
      await ctx.recorder.record({ entity: e.entity, workId: e.workId, qboId: e.qboId, level: 'info', outcome: DRY_RUN_OUTCOME[e.action], reasonCode: e.reason ?? e.action, reason: '' });
    }
    return plan;
  }
  for (const e of [...plan.clients, ...plan.sites]) {
    if (e.warnings.length > 0 && e.action !== 'already_linked') await recordWarnings(ctx, e.entity, { workId: e.workId, qboId: e.qboId }, e.warnings);
  }
  await ctx.recorder.setPhase('clients');
  await recordUndecided(deps, ctx, data, plan.clients);
  const clientFailures = await executeClientLayer(deps, ctx, data, plan.clients);
  await ctx.recorder.setPhase('sites');
  await recordUndecided(deps, ctx, data, plan.sites);
  const siteFailures = await executeSiteLayer(deps, ctx, data, plan.sites);
  // The bookmark moves only when every QBO change seen by the scan reached Work; else the next pull rescans.
  if (clientFailures.qboToWork === 0 && siteFailures.qboToWork === 0) {
    await deps.bookmarks.set(ctx.accountId, ctx.realmId, 'Customer', data.bookmark, deps.clock());
  }
  return plan;
}
