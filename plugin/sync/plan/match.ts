/**
 * Matching unlinked Work clients to QBO customers (SPEC §2, FAQ "Client Sync" 2 and 3).
 *
 * Rules:
 * - Candidates in QBO are active top-level customers only: Active not false, Job not true, no ParentRef
 *   (FAQ: "only customers that have an Active status in QuickBooks Online will be synced to Work";
 *   sub-customers become sites, never clients).
 * - A QBO customer's company name is its CompanyName field only, never DisplayName: the FAQ names
 *   "Company Name" as the identifier, and DisplayName often holds a person's name or a suffix. A customer
 *   without CompanyName therefore never matches (it is imported or reviewed by the onboarding plan).
 * - Pass 1: normalised company name AND normalised email. Pass 2, over what pass 1 left: company name alone.
 *   A blank company name never matches; a blank email never matches in pass 1.
 * - At each pass, records are grouped by key. One Work client and one QBO customer → matched. Two or more on
 *   either side → ambiguous (all candidate ids, both sides), never a guess; the group leaves the pool.
 * - The result does not depend on input order: groups are keyed, and every list is sorted.
 */
import { normaliseCompanyName, normaliseEmail } from './normalise';
import type { AmbiguityReason, ClientAmbiguity, ClientMatch, MatchOn, MatchResult, QboCustomer, WorkClient } from './types';

/** Active, top-level: the only QBO customers a Work client can match or be created from. */
export function isActiveTopLevelCustomer(customer: QboCustomer): boolean {
  return customer.Active !== false && customer.Job !== true && customer.ParentRef === undefined;
}

interface Keyed {
  id: string;
  name: string | null;
  email: string | null;
}

interface Group {
  work: string[];
  qbo: string[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function groupBy(work: Keyed[], qbo: Keyed[], keyOf: (k: Keyed) => string | null): Map<string, Group> {
  const groups = new Map<string, Group>();
  const add = (side: 'work' | 'qbo', k: Keyed): void => {
    const key = keyOf(k);
    if (key === null) return;
    const group = groups.get(key) ?? { work: [], qbo: [] };
    group[side].push(k.id);
    groups.set(key, group);
  };
  for (const k of work) add('work', k);
  for (const k of qbo) add('qbo', k);
  return groups;
}

function ambiguityReason(group: Group): AmbiguityReason {
  if (group.work.length > 1 && group.qbo.length > 1) return 'several_both_sides';
  return group.qbo.length > 1 ? 'several_qbo_candidates' : 'several_work_candidates';
}

export function matchClients(workClients: readonly WorkClient[], qboCustomers: readonly QboCustomer[]): MatchResult {
  let work: Keyed[] = workClients.map((c) => ({ id: c.id, name: normaliseCompanyName(c.companyName), email: normaliseEmail(c.email) }));
  let qbo: Keyed[] = qboCustomers
    .filter(isActiveTopLevelCustomer)
    .map((c) => ({ id: c.Id, name: normaliseCompanyName(c.CompanyName), email: normaliseEmail(c.PrimaryEmailAddr?.Address) }));

  const matched: ClientMatch[] = [];
  const ambiguous: ClientAmbiguity[] = [];

  const pass = (on: MatchOn, keyOf: (k: Keyed) => string | null): void => {
    const decided = new Set<string>();
    for (const group of groupBy(work, qbo, keyOf).values()) {
      if (group.work.length === 0 || group.qbo.length === 0) continue;
      const [workId] = group.work;
      const [qboId] = group.qbo;
      if (group.work.length === 1 && group.qbo.length === 1 && workId !== undefined && qboId !== undefined) {
        matched.push({ workId, qboId, on });
      } else {
        ambiguous.push({ workIds: [...group.work].sort(byText), qboIds: [...group.qbo].sort(byText), on, reason: ambiguityReason(group) });
      }
      for (const id of group.work) decided.add(`w:${id}`);
      for (const id of group.qbo) decided.add(`q:${id}`);
    }
    work = work.filter((k) => !decided.has(`w:${k.id}`));
    qbo = qbo.filter((k) => !decided.has(`q:${k.id}`));
  };

  // JSON keeps the two parts apart whatever characters they hold.
  pass('company_and_email', (k) => (k.name === null || k.email === null ? null : JSON.stringify([k.name, k.email])));
  pass('company', (k) => k.name);

  matched.sort((a, b) => byText(a.workId, b.workId));
  ambiguous.sort((a, b) => byText(a.workIds[0] ?? '', b.workIds[0] ?? '') || byText(a.qboIds[0] ?? '', b.qboIds[0] ?? ''));
  return {
    matched,
    ambiguous,
    workOnly: work.map((k) => k.id).sort(byText),
    qboOnly: qbo.map((k) => k.id).sort(byText),
  };
}

/**
 * Whether one Work client and one QBO customer are the same by the matching rules, and on what; null if not.
 * For a 6240 (name taken) at send time: link when the customer holding the name matches, else suffix.
 * Inactive customers and sub-customers never match (they are not candidates).
 */
export function matchOnFor(client: WorkClient, customer: QboCustomer): MatchOn | null {
  if (!isActiveTopLevelCustomer(customer)) return null;
  const name = normaliseCompanyName(client.companyName);
  if (name === null || name !== normaliseCompanyName(customer.CompanyName)) return null;
  const email = normaliseEmail(client.email);
  return email !== null && email === normaliseEmail(customer.PrimaryEmailAddr?.Address) ? 'company_and_email' : 'company';
}
