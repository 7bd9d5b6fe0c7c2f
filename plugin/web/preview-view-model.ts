import { PLAN_ACTION_BADGES, PLAN_ACTION_TEXTS, PLAN_MATCH_TEXTS, PLAN_REASON_LABELS, PREVIEW_CANDIDATE_TEXTS, PREVIEW_TEXTS, SYNC_REASONS, planReasonText } from '../messages';
import type { OnboardingPlan, PlanAction, PlanEntity, PlanEntry, PlanReasonCode } from '../sync/plan/types';
import type { BadgeTone } from './page-format';

export const PLAN_ACTIONS: readonly PlanAction[] = ['link', 'create_in_qbo', 'create_in_work', 'review', 'blocked', 'already_linked'];
const PLAN_ENTITIES: readonly PlanEntity[] = ['client', 'site'];
const MAX_ROWS = 500;

export interface PreviewFilter {
  action: PlanAction | null;
  reason: PlanReasonCode | null;
  entity: PlanEntity | null;
}

/** The GET params as a filter; unknown values are dropped (and reported, so the admin knows). */
export function readPreviewFilter(query: Record<string, unknown>): { filter: PreviewFilter; ignored: boolean } {
  const pick = <T extends string>(value: unknown, allowed: readonly T[]): { value: T | null; bad: boolean } => {
    if (value === undefined || value === '') return { value: null, bad: false };
    return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? { value: value as T, bad: false } : { value: null, bad: true };
  };
  const action = pick(query['action'], PLAN_ACTIONS);
  const reason = pick(query['reason'], Object.keys(PLAN_REASON_LABELS) as PlanReasonCode[]);
  const entity = pick(query['entity'], PLAN_ENTITIES);
  return { filter: { action: action.value, reason: reason.value, entity: entity.value }, ignored: action.bad || reason.bad || entity.bad };
}

export interface OptionView {
  value: string;
  label: string;
  selected: boolean;
}

export interface PreviewRowView {
  entity: string;
  work: string;
  qbo: string;
  action: string;
  actionTone: BadgeTone;
  why: string;
}

export interface PreviewPageView {
  counts: { label: string; count: number; href: string; tone: BadgeTone }[];
  filters: { action: OptionView[]; reason: OptionView[]; entity: OptionView[]; clearHref: string };
  rows: PreviewRowView[];
  caption: string;
  truncated: string | null;
  start: { action: string; csrfToken: string } | null;
}

function actionTone(action: PlanAction): BadgeTone {
  if (action === 'blocked') return 'error';
  if (action === 'review') return 'warning';
  if (action === 'already_linked') return 'muted';
  return 'ok';
}

function why(entry: PlanEntry): string {
  if (entry.action === 'link' && entry.on) return `${PLAN_ACTION_TEXTS.link} (${PLAN_MATCH_TEXTS[entry.on]})`;
  if ((entry.action === 'review' || entry.action === 'blocked') && entry.reason) return planReasonText(entry.reason);
  // A name taken by someone else goes ahead with a number added: say that, not the review text.
  const fixes = [...new Set((entry.fixed ?? []).map((code) => (code.startsWith('name_taken_by_') ? SYNC_REASONS.name_suffixed : planReasonText(code))))];
  return [PLAN_ACTION_TEXTS[entry.action], ...fixes].join(' ');
}

function workName(entry: PlanEntry, id: string, names: ReadonlyMap<string, string>): string {
  return names.get(`${entry.entity}:${id}`) ?? `#${id}`;
}

/** The Work column: the record, or for a QuickBooks-side review entry the Work records it could be. */
function workSide(entry: PlanEntry, names: ReadonlyMap<string, string>): string {
  if (entry.workId) return workName(entry, entry.workId, names);
  const candidates = entry.candidates?.workIds ?? [];
  return candidates.length ? PREVIEW_CANDIDATE_TEXTS.work(candidates.map((id) => workName(entry, id, names))) : PREVIEW_TEXTS.notInWork;
}

/** The QuickBooks column: the customer, the name a create would use, or a review entry's candidates. */
function qboSide(entry: PlanEntry): string {
  if (entry.qboId) return PREVIEW_TEXTS.qboRecord(entry.qboId);
  const candidates = entry.candidates?.qboIds ?? [];
  if (candidates.length) return PREVIEW_CANDIDATE_TEXTS.qbo(candidates);
  return entry.displayName ? `${PREVIEW_TEXTS.notInQbo} ${PREVIEW_TEXTS.createdAs(entry.displayName)}` : PREVIEW_TEXTS.notInQbo;
}

function matches(entry: PlanEntry, filter: PreviewFilter): boolean {
  if (filter.action && entry.action !== filter.action) return false;
  if (filter.entity && entry.entity !== filter.entity) return false;
  if (filter.reason && entry.reason !== filter.reason && !(entry.fixed ?? []).includes(filter.reason)) return false;
  return true;
}

/** The preview, worded and filtered: counts per action (each a link to its filter), the table and the start button. */
export function buildPreviewPage(input: {
  plan: OnboardingPlan;
  filter: PreviewFilter;
  basePath: string;
  workNames: ReadonlyMap<string, string>;
  csrfToken: string | null;
}): PreviewPageView {
  const { plan, filter, basePath } = input;
  const entries = [...plan.clients, ...plan.sites];
  const selected = entries.filter((e) => matches(e, filter));
  const counts = PLAN_ACTIONS.map((action) => ({
    label: PLAN_ACTION_BADGES[action],
    count: plan.summary.byAction[action] ?? 0,
    href: `${basePath}/preview?action=${action}`,
    tone: actionTone(action),
  }));
  const option = (value: string, label: string, current: string | null): OptionView => ({ value, label, selected: value === current });
  const reasonCodes = (Object.keys(PLAN_REASON_LABELS) as PlanReasonCode[]).filter((code) => (plan.summary.byReason[code] ?? 0) + (plan.summary.byFix?.[code] ?? 0) > 0 || filter.reason === code);
  return {
    counts,
    filters: {
      action: PLAN_ACTIONS.map((a) => option(a, `${PLAN_ACTION_BADGES[a]} (${plan.summary.byAction[a] ?? 0})`, filter.action)),
      reason: reasonCodes.map((code) => option(code, `${PLAN_REASON_LABELS[code]} (${(plan.summary.byReason[code] ?? 0) + (plan.summary.byFix?.[code] ?? 0)})`, filter.reason)),
      entity: PLAN_ENTITIES.map((e) => option(e, PREVIEW_TEXTS.entity[e], filter.entity)),
      clearHref: `${basePath}/preview`,
    },
    rows: selected.slice(0, MAX_ROWS).map((e) => ({
      entity: PREVIEW_TEXTS.entity[e.entity],
      work: workSide(e, input.workNames),
      qbo: qboSide(e),
      action: PLAN_ACTION_BADGES[e.action],
      actionTone: actionTone(e.action),
      why: why(e),
    })),
    caption: PREVIEW_TEXTS.tableCaption(Math.min(selected.length, MAX_ROWS), entries.length),
    truncated: selected.length > MAX_ROWS ? PREVIEW_TEXTS.tooMany(MAX_ROWS) : null,
    start: input.csrfToken ? { action: `${basePath}/sync/start`, csrfToken: input.csrfToken } : null,
  };
}
