/**
 * The onboarding plan: what the first sync will do with every client, customer, site and sub-customer, and
 * why. The readiness preview is exactly this plan; the engine carries it out (parents first: layer 0, then 1).
 *
 * Clients and top-level customers (layer 0):
 * - a Work client already in qbo_mappings → already_linked (its QBO customer is out of matching);
 * - matchClients links the rest (company name and email, then company name); ambiguity → review;
 * - an unmatched Work client whose company name (normalised) or DisplayName is shared with another Work
 *   client → blocked duplicate_in_work (we cannot tell which one is "the" client; FAQ: "Make sure there are
 *   no duplicates in either system");
 * - no company name, person name or valid email → blocked blank_name;
 * - its DisplayName taken by an active top-level customer that did not match → review name_taken_by_customer
 *   (both records, as one candidate pair): a suffix could make a duplicate of the same customer; taken by a
 *   sub-customer (a site, never the same client) → suffix, like a vendor's name;
 * - taken by an inactive customer → blocked name_taken_by_inactive_customer: it is likely the same customer,
 *   retired in QBO; reactivate it there (then it matches) or rename the client;
 * - taken by a vendor or employee → created with the lowest free " (n)" suffix (a fix, not a block: a vendor
 *   is not a customer, so no duplicate is made); the fix is listed in `fixed`;
 * - otherwise → create_in_qbo with the chosen DisplayName. Inactive Work clients are planned like the others
 *   (created inactive), so every client keeps its one link.
 * - an unmatched active top-level QBO customer → create_in_work, unless its CompanyName (normalised) is shared
 *   with another active top-level customer → blocked duplicate_in_qbo. Inactive customers are never imported
 *   (FAQ: "only customers that have an Active status"); they only block names.
 * Sites and sub-customers (layer 1; sites move at onboarding only):
 * - a sub-customer's client is its top-level ancestor (Work has one level of sites; nested jobs attach to it);
 *   an inactive ancestor → blocked parent_inactive; a parent in review, blocked or missing → blocked
 *   parent_not_ready (it follows once the parent is resolved);
 * - under a linked client, a Work site and an active sub-customer with the same normalised name are linked
 *   ('site_name'); two or more on either side → review;
 * - other Work sites → create_in_qbo under the client's customer (which may itself be created in this plan);
 *   DisplayName is global in QBO while sites are per client, so a taken name always gets a suffix;
 * - other active sub-customers → create_in_work under the linked or imported client.
 * Every list is sorted by id, so the plan does not depend on input order.
 */
import { prepareClientSnapshot } from '../mappers/client-customer';
import { prepareSiteSnapshot } from '../mappers/site-subcustomer';
import { isActiveTopLevelCustomer, matchClients } from './match';
import { normaliseCompanyName } from './normalise';
import { TakenNames, chooseDisplayName, cleanQboName, displayNameForClient, displayNameKey, type NameOwner } from './qbo-name-rules';
import type {
  NameWarning,
  OnboardingInput,
  OnboardingPlan,
  PlanAction,
  PlanEntity,
  PlanEntry,
  PlanReasonCode,
  PlanSummary,
  QboCustomer,
  WorkClient,
  WorkSite,
} from './types';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const ACTIONS: readonly PlanAction[] = ['already_linked', 'link', 'create_in_qbo', 'create_in_work', 'review', 'blocked'];

/** The plan's reason code for a fix (warning) applied to a record that still goes ahead. */
function fixCodes(warnings: readonly NameWarning[], takenBy: NameOwner | null): PlanReasonCode[] {
  const codes = new Set<PlanReasonCode>();
  for (const w of warnings) {
    if (w.code === 'too_long') codes.add('too_long');
    if (w.code === 'forbidden_characters' || w.code === 'control_characters') codes.add('forbidden_characters');
    if (w.code === 'invalid_email') codes.add('invalid_email');
  }
  if (takenBy !== null) codes.add(takenReason(takenBy));
  return [...codes].sort(byText);
}

function takenReason(owner: NameOwner): PlanReasonCode {
  switch (owner.kind) {
    case 'customer':
      return 'name_taken_by_customer';
    case 'inactive_customer':
      return 'name_taken_by_inactive_customer';
    case 'vendor':
      return 'name_taken_by_vendor';
    case 'employee':
      return 'name_taken_by_employee';
  }
}

function entry(fields: Omit<PlanEntry, 'warnings'> & { warnings?: NameWarning[] }): PlanEntry {
  const out: PlanEntry = { ...fields, warnings: fields.warnings ?? [] };
  if (out.fixed !== undefined && out.fixed.length === 0) delete out.fixed;
  return out;
}

function takenNamesOf(input: OnboardingInput): TakenNames {
  const taken = new TakenNames();
  // Customers first, so a name held by a customer and a vendor is reported as the customer's.
  for (const c of [...input.qboCustomers].sort((a, b) => byText(a.Id, b.Id))) {
    taken.add(c.DisplayName, { kind: c.Active === false ? 'inactive_customer' : 'customer', id: c.Id });
  }
  // Sorted, so a name held by both an employee and a vendor is always reported the same way.
  const others = [...input.takenNames].sort((a, b) => byText(a.name, b.name) || byText(a.kind, b.kind));
  for (const t of others) taken.add(t.name, { kind: t.kind });
  return taken;
}

/** The top-level ancestor of a sub-customer, or why there is none we can use. */
function topAncestor(sub: QboCustomer, byId: ReadonlyMap<string, QboCustomer>): { root: QboCustomer } | { reason: 'parent_not_ready' | 'parent_inactive' } {
  let current = sub;
  // QBO nests at most 5 levels; 10 steps also stops a (corrupt) ParentRef cycle.
  for (let depth = 0; depth < 10; depth++) {
    const parentId = current.ParentRef?.value;
    if (parentId === undefined) return current.Active === false ? { reason: 'parent_inactive' } : { root: current };
    const parent = byId.get(parentId);
    if (parent === undefined) return { reason: 'parent_not_ready' };
    if (parent.Active === false) return { reason: 'parent_inactive' };
    current = parent;
  }
  return { reason: 'parent_not_ready' };
}

const isSubCustomer = (c: QboCustomer): boolean => c.Job === true || c.ParentRef !== undefined;

export function planOnboarding(input: OnboardingInput): OnboardingPlan {
  const taken = takenNamesOf(input);
  const qboById = new Map(input.qboCustomers.map((c) => [c.Id, c]));
  const clientLinks = new Map(input.existingMappings.filter((m) => m.entity === 'client').map((m) => [m.workId, m.qboId]));
  const siteLinks = new Map(input.existingMappings.filter((m) => m.entity === 'site').map((m) => [m.workId, m.qboId]));
  const linkedQboIds = new Set(input.existingMappings.map((m) => m.qboId));

  const clients = [...input.workClients].sort((a, b) => byText(a.id, b.id));
  const clientEntries = new Map<string, PlanEntry>(); // by Work client id
  const customerEntries = new Map<string, PlanEntry>(); // by QBO customer id (QBO-only entries)

  // ---- already linked
  for (const c of clients) {
    const qboId = clientLinks.get(c.id);
    if (qboId !== undefined) clientEntries.set(c.id, entry({ entity: 'client', action: 'already_linked', workId: c.id, qboId, layer: 0 }));
  }

  // ---- matching
  const unlinkedClients = clients.filter((c) => !clientLinks.has(c.id));
  const candidates = input.qboCustomers.filter((c) => isActiveTopLevelCustomer(c) && !linkedQboIds.has(c.Id));
  const result = matchClients(unlinkedClients, candidates);
  const clientById = new Map(clients.map((c) => [c.id, c]));
  const pushWarnings = (workId: string): NameWarning[] => {
    const c = clientById.get(workId);
    return c === undefined ? [] : prepareClientSnapshot(c).warnings;
  };

  for (const m of result.matched) {
    const warnings = pushWarnings(m.workId);
    clientEntries.set(m.workId, entry({ entity: 'client', action: 'link', workId: m.workId, qboId: m.qboId, on: m.on, warnings, fixed: fixCodes(warnings, null), layer: 0 }));
  }
  for (const a of result.ambiguous) {
    const candidatesOf = { workIds: a.workIds, qboIds: a.qboIds };
    for (const workId of a.workIds) clientEntries.set(workId, entry({ entity: 'client', action: 'review', workId, qboId: null, reason: 'ambiguous_match', candidates: candidatesOf, on: a.on, layer: 0 }));
    for (const qboId of a.qboIds) customerEntries.set(qboId, entry({ entity: 'client', action: 'review', workId: null, qboId, reason: 'ambiguous_match', candidates: candidatesOf, on: a.on, layer: 0 }));
  }

  // ---- Work clients with no match
  const companyCount = new Map<string, number>();
  for (const c of clients) {
    const key = normaliseCompanyName(c.companyName);
    if (key !== null) companyCount.set(key, (companyCount.get(key) ?? 0) + 1);
  }
  const wanted = new Map(result.workOnly.map((id) => [id, displayNameForClient(clientById.get(id) as WorkClient)]));
  const wantedCount = new Map<string, number>();
  for (const w of wanted.values()) if (w.name !== null) wantedCount.set(displayNameKey(w.name), (wantedCount.get(displayNameKey(w.name)) ?? 0) + 1);
  const reviewPairs = new Map<string, string[]>(); // QBO customer id → Work client ids whose name it holds

  for (const workId of result.workOnly) {
    const client = clientById.get(workId) as WorkClient;
    const name = wanted.get(workId) ?? { name: null, warnings: [] };
    const companyKey = normaliseCompanyName(client.companyName);
    const blocked = (reason: PlanReasonCode): void => {
      clientEntries.set(workId, entry({ entity: 'client', action: 'blocked', workId, qboId: null, reason, layer: 0 }));
    };
    if ((companyKey !== null && (companyCount.get(companyKey) ?? 0) > 1) || (name.name !== null && (wantedCount.get(displayNameKey(name.name)) ?? 0) > 1)) {
      blocked('duplicate_in_work');
      continue;
    }
    if (name.name === null) {
      blocked('blank_name');
      continue;
    }
    const owner = taken.ownerOf(name.name);
    const ownerCustomer = owner?.id === undefined ? undefined : qboById.get(owner.id);
    // A sub-customer (a site) holding the name is not a candidate for the same client: suffix, as for a vendor.
    if (owner?.kind === 'customer' && owner.id !== undefined && ownerCustomer !== undefined && !isSubCustomer(ownerCustomer)) {
      const qboId = owner.id;
      clientEntries.set(workId, entry({ entity: 'client', action: 'review', workId, qboId: null, reason: 'name_taken_by_customer', candidates: { workIds: [workId], qboIds: [qboId] }, layer: 0 }));
      reviewPairs.set(qboId, [...(reviewPairs.get(qboId) ?? []), workId]);
      continue;
    }
    if (owner?.kind === 'inactive_customer') {
      clientEntries.set(workId, entry({ entity: 'client', action: 'blocked', workId, qboId: null, reason: 'name_taken_by_inactive_customer', candidates: { workIds: [workId], qboIds: owner.id === undefined ? [] : [owner.id] }, layer: 0 }));
      continue;
    }
    const chosen = chooseDisplayName(name.name, taken);
    taken.add(chosen.name, { kind: 'customer' });
    const warnings = [...name.warnings, ...chosen.warnings, ...prepareClientSnapshot(client).warnings];
    clientEntries.set(workId, entry({ entity: 'client', action: 'create_in_qbo', workId, qboId: null, displayName: chosen.name, warnings, fixed: fixCodes(warnings, chosen.takenBy), layer: 0 }));
  }

  // ---- QBO customers with no match
  const qboCompanyCount = new Map<string, number>();
  for (const c of input.qboCustomers.filter(isActiveTopLevelCustomer)) {
    const key = normaliseCompanyName(c.CompanyName);
    if (key !== null) qboCompanyCount.set(key, (qboCompanyCount.get(key) ?? 0) + 1);
  }
  for (const qboId of result.qboOnly) {
    const customer = qboById.get(qboId) as QboCustomer;
    const pair = reviewPairs.get(qboId);
    const key = normaliseCompanyName(customer.CompanyName);
    if (pair !== undefined) {
      const workIds = [...pair].sort(byText);
      customerEntries.set(qboId, entry({ entity: 'client', action: 'review', workId: null, qboId, reason: 'name_taken_by_customer', candidates: { workIds, qboIds: [qboId] }, layer: 0 }));
      for (const workId of workIds) {
        const e = clientEntries.get(workId);
        if (e?.candidates !== undefined) e.candidates = { workIds, qboIds: [qboId] };
      }
    } else if (key !== null && (qboCompanyCount.get(key) ?? 0) > 1) {
      customerEntries.set(qboId, entry({ entity: 'client', action: 'blocked', workId: null, qboId, reason: 'duplicate_in_qbo', layer: 0 }));
    } else {
      customerEntries.set(qboId, entry({ entity: 'client', action: 'create_in_work', workId: null, qboId, layer: 0 }));
    }
  }

  const clientPlan = [...[...clientEntries.values()], ...[...customerEntries.values()]].sort(
    (a, b) => byText(a.workId ?? '\uFFFF', b.workId ?? '\uFFFF') || byText(a.qboId ?? '', b.qboId ?? ''),
  );
  const sitePlan = planSites(input, { clientEntries, customerEntries, siteLinks, linkedQboIds, qboById, taken });
  return { clients: clientPlan, sites: sitePlan, summary: summarise([...clientPlan, ...sitePlan]) };
}

interface SiteContext {
  clientEntries: ReadonlyMap<string, PlanEntry>;
  customerEntries: ReadonlyMap<string, PlanEntry>;
  siteLinks: ReadonlyMap<string, string>;
  linkedQboIds: ReadonlySet<string>;
  qboById: ReadonlyMap<string, QboCustomer>;
  taken: TakenNames;
}

const PARENT_READY: ReadonlySet<PlanAction> = new Set(['already_linked', 'link', 'create_in_qbo', 'create_in_work']);

function planSites(input: OnboardingInput, ctx: SiteContext): PlanEntry[] {
  const out: PlanEntry[] = [];
  // The client entry for each QBO customer id (linked, matched or to be imported).
  const entryByQboId = new Map<string, PlanEntry>();
  for (const e of [...ctx.clientEntries.values(), ...ctx.customerEntries.values()]) if (e.qboId !== null) entryByQboId.set(e.qboId, e);

  // Active, unlinked sub-customers grouped under their top-level ancestor.
  const subsByRoot = new Map<string, QboCustomer[]>();
  const subEntries: PlanEntry[] = [];
  for (const sub of [...input.qboCustomers].filter((c) => isSubCustomer(c) && c.Active !== false && !ctx.linkedQboIds.has(c.Id)).sort((a, b) => byText(a.Id, b.Id))) {
    const found = topAncestor(sub, ctx.qboById);
    if ('reason' in found) {
      subEntries.push(entry({ entity: 'site', action: 'blocked', workId: null, qboId: sub.Id, reason: found.reason, parent: { workClientId: null, qboCustomerId: sub.ParentRef?.value ?? null }, layer: 1 }));
      continue;
    }
    subsByRoot.set(found.root.Id, [...(subsByRoot.get(found.root.Id) ?? []), sub]);
  }

  // Work sites grouped by client.
  const sitesByClient = new Map<string, WorkSite[]>();
  for (const site of [...input.workSites].sort((a, b) => byText(a.id, b.id))) {
    const linked = ctx.siteLinks.get(site.id);
    const parentEntry = ctx.clientEntries.get(site.clientId);
    const parent = { workClientId: site.clientId, qboCustomerId: parentEntry?.qboId ?? null };
    if (linked !== undefined) {
      out.push(entry({ entity: 'site', action: 'already_linked', workId: site.id, qboId: linked, parent, layer: 1 }));
      continue;
    }
    if (parentEntry === undefined || !PARENT_READY.has(parentEntry.action)) {
      out.push(entry({ entity: 'site', action: 'blocked', workId: site.id, qboId: null, reason: 'parent_not_ready', parent, layer: 1 }));
      continue;
    }
    sitesByClient.set(site.clientId, [...(sitesByClient.get(site.clientId) ?? []), site]);
  }

  // Work sites: match by name under the same linked customer, else create in QBO.
  for (const [clientId, sites] of [...sitesByClient.entries()].sort(([a], [b]) => byText(a, b))) {
    const parentEntry = ctx.clientEntries.get(clientId) as PlanEntry;
    const rootId = parentEntry.qboId;
    const subs = rootId === null ? [] : subsByRoot.get(rootId) ?? [];
    if (rootId !== null) subsByRoot.delete(rootId);
    const groups = new Map<string, { sites: WorkSite[]; subs: QboCustomer[] }>();
    const keyOf = (name: string | null | undefined): string | null => normaliseCompanyName(name);
    for (const s of sites) {
      const k = keyOf(s.name);
      if (k !== null) groups.set(k, { sites: [...(groups.get(k)?.sites ?? []), s], subs: groups.get(k)?.subs ?? [] });
    }
    for (const s of subs) {
      const k = keyOf(s.DisplayName);
      if (k !== null && groups.has(k)) groups.get(k)?.subs.push(s);
    }
    const decided = new Set<string>();
    for (const g of groups.values()) {
      if (g.subs.length === 0) continue;
      const parent = { workClientId: clientId, qboCustomerId: rootId };
      const [site] = g.sites;
      const [sub] = g.subs;
      if (g.sites.length === 1 && g.subs.length === 1 && site !== undefined && sub !== undefined) {
        const warnings = prepareSiteSnapshot(site).warnings;
        out.push(entry({ entity: 'site', action: 'link', workId: site.id, qboId: sub.Id, on: 'site_name', parent, warnings, fixed: fixCodes(warnings, null), layer: 1 }));
      } else {
        const candidates = { workIds: g.sites.map((s) => s.id).sort(byText), qboIds: g.subs.map((s) => s.Id).sort(byText) };
        for (const s of g.sites) out.push(entry({ entity: 'site', action: 'review', workId: s.id, qboId: null, reason: 'ambiguous_match', candidates, on: 'site_name', parent, layer: 1 }));
        for (const s of g.subs) out.push(entry({ entity: 'site', action: 'review', workId: null, qboId: s.Id, reason: 'ambiguous_match', candidates, on: 'site_name', parent, layer: 1 }));
      }
      for (const s of g.sites) decided.add(`w:${s.id}`);
      for (const s of g.subs) decided.add(`q:${s.Id}`);
    }
    for (const site of sites) {
      if (decided.has(`w:${site.id}`)) continue;
      const parent = { workClientId: clientId, qboCustomerId: rootId };
      const prepared = prepareSiteSnapshot(site);
      if (prepared.snapshot.name === null) {
        out.push(entry({ entity: 'site', action: 'blocked', workId: site.id, qboId: null, reason: 'blank_name', parent, layer: 1 }));
        continue;
      }
      const chosen = chooseDisplayName(prepared.snapshot.name, ctx.taken);
      ctx.taken.add(chosen.name, { kind: 'customer' });
      const warnings = [...prepared.warnings, ...chosen.warnings];
      out.push(entry({ entity: 'site', action: 'create_in_qbo', workId: site.id, qboId: null, displayName: chosen.name, parent, warnings, fixed: fixCodes(warnings, chosen.takenBy), layer: 1 }));
    }
    for (const sub of subs) if (!decided.has(`q:${sub.Id}`)) subEntries.push(importSub(sub, { workClientId: clientId, qboCustomerId: rootId }));
  }

  // Sub-customers whose client has no Work sites to compare with.
  for (const [rootId, subs] of subsByRoot) {
    const parentEntry = entryByQboId.get(rootId);
    for (const sub of subs) {
      const parent = { workClientId: parentEntry?.workId ?? null, qboCustomerId: rootId };
      if (parentEntry === undefined || !PARENT_READY.has(parentEntry.action)) {
        subEntries.push(entry({ entity: 'site', action: 'blocked', workId: null, qboId: sub.Id, reason: 'parent_not_ready', parent, layer: 1 }));
      } else {
        subEntries.push(importSub(sub, parent));
      }
    }
  }

  return [...out, ...subEntries].sort((a, b) => byText(a.workId ?? '\uFFFF', b.workId ?? '\uFFFF') || byText(a.qboId ?? '', b.qboId ?? ''));
}

function importSub(sub: QboCustomer, parent: { workClientId: string | null; qboCustomerId: string | null }): PlanEntry {
  if (cleanQboName(sub.DisplayName, 'DisplayName').value === null) return entry({ entity: 'site', action: 'blocked', workId: null, qboId: sub.Id, reason: 'blank_name', parent, layer: 1 });
  return entry({ entity: 'site', action: 'create_in_work', workId: null, qboId: sub.Id, parent, layer: 1 });
}

function zeroes(): Record<PlanAction, number> {
  return Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
}

export function summarise(entries: readonly PlanEntry[]): PlanSummary {
  const summary: PlanSummary = { total: entries.length, byAction: zeroes(), byReason: {}, byEntity: { client: zeroes(), site: zeroes() }, byFix: {} };
  for (const e of entries) {
    summary.byAction[e.action] += 1;
    summary.byEntity[e.entity satisfies PlanEntity][e.action] += 1;
    if (e.reason !== undefined) summary.byReason[e.reason] = (summary.byReason[e.reason] ?? 0) + 1;
    for (const f of e.fixed ?? []) if (summary.byFix !== undefined) summary.byFix[f] = (summary.byFix[f] ?? 0) + 1;
  }
  return summary;
}
