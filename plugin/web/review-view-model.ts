import { ENTITY_TEXTS, REVIEW_TEXTS } from '../messages';
import type { ReviewRow } from '../persistence/review-repository';
import { formatDateTime } from './page-format';

export interface ReviewChoiceView {
  value: string;
  label: string;
  id: string;
}

export interface ReviewEntryView {
  id: string;
  title: string;
  reason: string;
  created: string;
  columns: string[];
  rows: { label: string; values: string[] }[];
  choices: ReviewChoiceView[];
  action: string;
  legend: string;
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'boolean') return value ? REVIEW_TEXTS.yes : REVIEW_TEXTS.no;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The values a decision may take for this entry: link to one of its candidates (clients only), create, skip. */
export function reviewChoices(entry: ReviewRow): string[] {
  if (entry.entity !== 'client') return ['skip'];
  const links = entry.candidates.map((c) => c.qboId ?? c.workId).filter((id): id is string => typeof id === 'string').map((id) => `link:${id}`);
  return [...links, 'create', 'skip'];
}

/** One open entry: this record and every candidate side by side, field by field, and the choices. */
export function reviewEntryView(entry: ReviewRow, basePath: string): ReviewEntryView {
  const workSide = entry.work_id !== null;
  const own = (workSide ? entry.work_fields : entry.qbo_fields) ?? {};
  const thisSide = workSide ? REVIEW_TEXTS.work : REVIEW_TEXTS.qbo;
  const otherSide = workSide ? REVIEW_TEXTS.qbo : REVIEW_TEXTS.work;
  const id = String(entry.id);
  const keys = [...new Set([...Object.keys(own), ...entry.candidates.flatMap((c) => Object.keys(c.fields))])];
  const candidateIds = entry.candidates.map((c) => c.qboId ?? c.workId ?? '?');
  const choices: ReviewChoiceView[] = reviewChoices(entry).map((value, n) => {
    const label = value.startsWith('link:') ? REVIEW_TEXTS.link(otherSide, value.slice(5)) : value === 'create' ? REVIEW_TEXTS.create(otherSide) : REVIEW_TEXTS.skip;
    return { value, label, id: `review-${id}-choice-${n}` };
  });
  const entityName = ENTITY_TEXTS[entry.entity];
  return {
    id,
    title: REVIEW_TEXTS.entryTitle(entityName, id),
    reason: entry.reason,
    created: formatDateTime(entry.created_at),
    columns: [REVIEW_TEXTS.thisRecord(`${thisSide} #${(workSide ? entry.work_id : entry.qbo_id) ?? ''}`), ...candidateIds.map((cid) => REVIEW_TEXTS.candidate(otherSide, cid))],
    rows: keys.map((key) => ({ label: REVIEW_TEXTS.fields[key] ?? key, values: [shown(own[key]), ...entry.candidates.map((c) => shown(c.fields[key]))] })),
    choices,
    action: `${basePath}/review/${id}`,
    legend: REVIEW_TEXTS.decisionLegend,
  };
}
