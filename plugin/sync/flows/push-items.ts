import type { WorkInvoice, WorkItem } from '../../host/work-records';
import { ITEM_TEXTS, PUSH_TEXTS } from '../../messages';
import { items as itemApi } from '../../qbo/entities/item';
import type { EngineDeps } from '../engine/engine-deps';
import type { RunContext } from '../engine/run-lifecycle';
import { payloadHash } from '../mappers/payload-hash';
import { cleanItemName, completeItemIds, DEFAULT_ITEM_KEY, DEFAULT_ITEM_NAME, itemKeyOf, itemNameKey, itemNamesToLookUp, resolveItems, type ItemBlockReason, type QboItemSeen } from '../plan/item-resolution';
import { logNote, logOutcome, logPushFailure } from './push-outcomes';
import { pushSubject, writeLayer } from './push-writes';

/** Names per lookup query: one `Name IN (…)` query per batch of invoices' names. */
const NAMES_PER_QUERY = 200;

export interface ItemLayerResult {
  /** Work line id → QBO item id. */
  itemIdByLineId: Map<string, string>;
  /** Invoices that cannot go now, with the reason (their lines' items are blocked or were not created). */
  waiting: Map<string, { code: string; reason: string }>;
}

async function readWorkItems(deps: EngineDeps, accountId: string): Promise<Map<string, WorkItem>> {
  const out = new Map<string, WorkItem>();
  for (let afterId: string | undefined; ; ) {
    const page = await deps.work.items.list(accountId, { limit: 1000, ...(afterId === undefined ? {} : { afterId }) });
    for (const item of page) out.set(item.id, item);
    if (page.length < 1000) return out;
    afterId = page[page.length - 1]?.id;
  }
}

async function lookUpItems(deps: EngineDeps, realmId: string, names: readonly string[]): Promise<QboItemSeen[]> {
  const found: QboItemSeen[] = [];
  for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
    const query = itemApi.select().where('Name', 'IN', names.slice(i, i + NAMES_PER_QUERY)).where('Active', 'IN', [true, false]);
    for await (const item of itemApi.queryAll(deps.qbo, realmId, query)) found.push(item);
  }
  return found;
}

/**
 * Items are remembered by their QBO name (qbo_mappings.work_id "name:<name, lower case>"), not by Work item id:
 * QBO names are unique, so Work items whose names clean to one QBO name (and lines without an item, which use
 * "Services") share one QBO item, and one mapping row (the table allows one row per QBO object).
 */
export const itemMappingKey = (qboName: string): string => `name:${itemNameKey(qboName)}`;

function qboNameOf(key: string, workItems: ReadonlyMap<string, Pick<WorkItem, 'name'>>): string {
  return cleanItemName(key === DEFAULT_ITEM_KEY ? DEFAULT_ITEM_NAME : (workItems.get(key)?.name ?? DEFAULT_ITEM_NAME)).name;
}

async function saveItemMapping(deps: EngineDeps, ctx: RunContext, qboName: string, qboId: string, syncToken: string | null): Promise<void> {
  const snapshot = { name: qboName };
  await deps.mappings.save({ accountId: ctx.accountId, realmId: ctx.realmId, entity: 'item', workId: itemMappingKey(qboName), qboId, syncToken, snapshot, hash: payloadHash(snapshot), now: deps.clock() });
}

/**
 * The items layer: each line's QBO item from the known mappings, else found by name (one query per batch of
 * names, inactive ones too), else created once as a Service item with the chosen accounts and remembered
 * (qbo_mappings entity 'item'). Items are never updated: they are the bookkeeper's.
 */
export async function resolveItemLayer(deps: EngineDeps, ctx: RunContext, invoices: readonly WorkInvoice[], accounts: { incomeAccountId: string; expenseAccountId: string | null }): Promise<ItemLayerResult> {
  const byName = new Map((await deps.mappings.listForAccount(ctx.accountId, 'item')).map((m) => [m.work_id, m.qbo_id]));
  const needsWorkItems = invoices.some((inv) => inv.lines.some((l) => l.itemId !== null));
  const workItems = needsWorkItems ? await readWorkItems(deps, ctx.accountId) : new Map<string, WorkItem>();
  // Each line's item key (Work item id or "default") → the QBO item remembered under its name.
  const known = new Map<string, string>();
  for (const invoice of invoices) {
    for (const l of invoice.lines) {
      const key = itemKeyOf(l, workItems);
      const name = qboNameOf(key, workItems);
      const id = name === '' ? undefined : byName.get(itemMappingKey(name));
      if (id !== undefined) known.set(key, id);
    }
  }
  const names = itemNamesToLookUp({ invoices, workItems, knownItemIds: known });
  const found = names.length > 0 ? await lookUpItems(deps, ctx.realmId, names) : [];
  const resolution = resolveItems({ invoices, workItems, knownItemIds: known, qboItemsFound: found, accounts });
  const waiting = new Map<string, { code: string; reason: string }>();
  for (const b of resolution.blocked) {
    if (!waiting.has(b.invoiceId)) waiting.set(b.invoiceId, { code: `item:${b.reason}`, reason: `${ITEM_TEXTS[b.reason satisfies ItemBlockReason]} (${b.name})` });
  }
  if (ctx.dryRun) return { itemIdByLineId: completeItemIds(resolution, new Map()), waiting };
  const remembered = new Set<string>();
  for (const [key, qboId] of resolution.newMappings) {
    const name = qboNameOf(key, workItems);
    if (remembered.has(itemMappingKey(name))) continue;
    remembered.add(itemMappingKey(name));
    await saveItemMapping(deps, ctx, name, qboId, null);
    await logOutcome(ctx, 'item', { workId: itemMappingKey(name), qboId }, 'info', 'linked', 'item_found_by_name', PUSH_TEXTS.itemFound(found.find((f) => f.Id === qboId)?.Name ?? name));
  }
  for (const fix of resolution.nameFixes) {
    for (const code of fix.fixes) await logNote(ctx, 'item', { workId: fix.key, qboId: null }, 'warning', `item_${code}`, ITEM_TEXTS[code], { workName: fix.workName, qboName: fix.qboName });
  }
  const created = new Map<string, string>();
  const results = await writeLayer(
    deps,
    ctx,
    'Item',
    resolution.toCreate.map((c) => ({ subject: pushSubject('item', itemMappingKey(c.body.Name)), operation: 'create' as const, payload: { ...c.body } })),
  );
  for (const c of resolution.toCreate) {
    const subject = pushSubject('item', itemMappingKey(c.body.Name));
    const result = results.get(subject);
    const id = result?.ok ? result.body['Id'] : undefined;
    if (result?.ok && typeof id === 'string') {
      const token = typeof result.body['SyncToken'] === 'string' ? result.body['SyncToken'] : null;
      await saveItemMapping(deps, ctx, c.body.Name, id, token);
      for (const key of [c.key, ...c.alsoFor]) created.set(key, id);
      await logOutcome(ctx, 'item', { workId: itemMappingKey(c.body.Name), qboId: id }, 'info', 'created_in_qbo', 'item_created', PUSH_TEXTS.itemCreated(c.body.Name));
    } else {
      const error = result && !result.ok ? result.error : new Error('no answer from QuickBooks');
      await logPushFailure(deps, ctx, 'item', { workId: itemMappingKey(c.body.Name), qboId: null }, error, 1);
    }
  }
  const itemIdByLineId = completeItemIds(resolution, created);
  for (const invoice of invoices) {
    if (waiting.has(invoice.id)) continue;
    if (invoice.lines.some((l) => !itemIdByLineId.has(l.id))) {
      waiting.set(invoice.id, { code: 'item:not_created', reason: PUSH_TEXTS.itemNotCreated });
    }
  }
  return { itemIdByLineId, waiting };
}
