import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import type { PlanAction, PlanEntry } from '../plan/types';
import { executeClientLayer } from './onboarding-clients';
import { readOnboardingData } from './onboarding-input';
import { recordUndecided, withoutSkipped } from './onboarding';
import { adoptAnsweredCreates, applyRecoveredWrites } from './recovered-writes';
import { recordWarnings } from './record-outcomes';

/** Records that appeared on one side after onboarding, with no mapping yet. */
export interface NewClientSubjects {
  /** Work clients from the outbox. */
  workIds: ReadonlySet<string>;
  /** Active top-level customers seen by CDC. */
  qboIds: ReadonlySet<string>;
}

export interface NewClientsOutcome {
  /** What the plan decided per subject (absent: skipped from the review list, left alone). */
  actionOf: { work: Map<string, PlanAction>; qbo: Map<string, PlanAction> };
  /** Subjects whose link or create did not land (logged; the caller retries them). */
  failedWorkIds: Set<string>;
  failedQboIds: Set<string>;
}

const LANDS: ReadonlySet<PlanAction> = new Set(['link', 'create_in_qbo', 'create_in_work']);

function involves(e: PlanEntry, s: NewClientSubjects): boolean {
  const ids = [e.workId, ...(e.candidates?.workIds ?? [])].filter((id): id is string => id !== null);
  const qboIds = [e.qboId, ...(e.candidates?.qboIds ?? [])].filter((id): id is string => id !== null);
  return ids.some((id) => s.workIds.has(id)) || qboIds.some((id) => s.qboIds.has(id));
}

/**
 * Clients that appear after onboarding (on either side) are planned with onboarding's own rules over
 * everything both sides hold, so they match exactly as at onboarding (company name and email, then company
 * name; ambiguity → review; names taken → suffix, review or blocked), and only the entries that involve
 * them are carried out: never a duplicate on either side. Costs a full read of QBO's customer, vendor and
 * employee names and Work's clients, so callers use it only when such records exist.
 */
export async function syncNewClients(deps: EngineDeps, ctx: RunContext, subjects: NewClientSubjects): Promise<NewClientsOutcome> {
  const outcome: NewClientsOutcome = { actionOf: { work: new Map(), qbo: new Map() }, failedWorkIds: new Set(), failedQboIds: new Set() };
  if (subjects.workIds.size === 0 && subjects.qboIds.size === 0) return outcome;
  // A create of ours whose answer or mapping was lost looks like a new customer: give it its mapping first.
  await applyRecoveredWrites(deps, ctx);
  await adoptAnsweredCreates(deps, ctx, null);
  const data = await readOnboardingData(deps, ctx.accountId, ctx.realmId, { sites: false });
  const plan = await withoutSkipped(deps, ctx.accountId, deps.rules.planOnboarding(data.input));
  const entries = plan.clients.filter((e) => e.action !== 'already_linked' && involves(e, subjects));
  for (const e of entries) {
    if (e.workId && subjects.workIds.has(e.workId)) outcome.actionOf.work.set(e.workId, e.action);
    if (e.qboId && subjects.qboIds.has(e.qboId)) outcome.actionOf.qbo.set(e.qboId, e.action);
    if (e.warnings.length > 0) await recordWarnings(ctx, 'client', { workId: e.workId, qboId: e.qboId }, e.warnings);
  }
  await recordUndecided(deps, ctx, data, entries);
  await executeClientLayer(deps, ctx, data, entries);
  // A link or create that did not land left no mapping: its failure is in the log, the caller retries it.
  for (const e of entries) {
    if (!LANDS.has(e.action)) continue;
    if (e.workId && subjects.workIds.has(e.workId) && !(await deps.mappings.findByWork(ctx.accountId, 'client', e.workId))) outcome.failedWorkIds.add(e.workId);
    if (e.qboId && subjects.qboIds.has(e.qboId) && !(await deps.mappings.findByQbo(ctx.accountId, 'client', e.qboId))) outcome.failedQboIds.add(e.qboId);
  }
  return outcome;
}
