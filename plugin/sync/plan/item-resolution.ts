/**
 * Which QBO item each invoice line uses (pure). Items are not synced (the customer's rule), but every
 * SalesItemLineDetail line needs an ItemRef: a line with a Work item uses the QBO item of that name; a line
 * without one uses DEFAULT_ITEM_NAME. An item is taken from the known mappings, else found by name among
 * the QBO items the engine read, else created once as a Service item with the chosen accounts.
 *
 * QBO name rules (Item.Name): unique among items, case-insensitively; at most 100 characters; no colon
 * (sub-item separator), tab or newline (2040). Double quotes are removed too: Intuit's item pages reject
 * them in names (unverified for the API; the stricter choice). Inactive items carry " (deleted)".
 */
import type { WorkInvoice, WorkItem } from '../../host/work-records';
import type { ItemInput, RefInput } from '../../qbo/entities/inputs';

export const QBO_ITEM_NAME_MAX = 100;
/** Lines without a Work item use this QBO item (Intuit companies ship a "Services" item). */
export const DEFAULT_ITEM_NAME = 'Services';
/** The mapping key of the default item in qbo_mappings (entity 'item'). */
export const DEFAULT_ITEM_KEY = 'default';
const DELETED_SUFFIX = ' (deleted)';
/** Item types that can stand on an invoice line (Category and Group cannot). */
const SELLABLE_TYPES: ReadonlySet<string> = new Set(['Service', 'NonInventory', 'Inventory']);

/** A Service item's create body with the optional expense account (QBO accepts ExpenseAccountRef on items). */
export type ServiceItemInput = ItemInput & { ExpenseAccountRef?: RefInput };

export interface QboItemSeen {
  Id: string;
  Name: string;
  Active?: boolean | undefined;
  Type?: string | undefined;
}

export interface ItemAccounts {
  incomeAccountId: string;
  expenseAccountId: string | null;
}

export interface ItemResolutionInput {
  invoices: readonly WorkInvoice[];
  /** Work items by id (for the names of the lines' items). */
  workItems: ReadonlyMap<string, Pick<WorkItem, 'id' | 'name'>>;
  /** Known qbo_mappings of entity 'item': Work item id (or DEFAULT_ITEM_KEY) → QBO item id. */
  knownItemIds: ReadonlyMap<string, string>;
  /** QBO items the engine found by the names in itemNamesToLookUp (active and inactive). */
  qboItemsFound: readonly QboItemSeen[];
  accounts: ItemAccounts;
}

export type ItemBlockReason = 'item_name_blank' | 'item_name_not_sellable' | 'item_inactive';

export interface ItemToCreate {
  /** Work item id or DEFAULT_ITEM_KEY: what the new mapping is stored under. */
  key: string;
  /** Other Work items whose names clean to the same QBO name: they map to the same new item. */
  alsoFor: string[];
  body: ServiceItemInput;
}

export interface ItemNameFix {
  key: string;
  workName: string;
  qboName: string;
  fixes: Array<'forbidden_characters' | 'too_long'>;
}

export interface ItemResolution {
  /** Work line id → QBO item id, for lines whose item exists in QBO already. */
  itemIdByLineId: Map<string, string>;
  /** Work line id → item key, for lines waiting for an item created in this run (layer "items"). */
  waitingForCreate: Map<string, string>;
  /** Each item to create, once, however many lines use it. */
  toCreate: ItemToCreate[];
  /** Items found by name: new mappings to remember (key → QBO id). */
  newMappings: Map<string, string>;
  /** Lines that cannot get an item, with the reason (the invoice waits; the log says why). */
  blocked: Array<{ lineId: string; invoiceId: string; key: string; name: string; reason: ItemBlockReason }>;
  nameFixes: ItemNameFix[];
}

/** The item key of a line: its Work item id, or DEFAULT_ITEM_KEY. */
export function itemKeyOf(line: { itemId: string | null }, workItems: ReadonlyMap<string, unknown>): string {
  return line.itemId !== null && workItems.has(line.itemId) ? line.itemId : DEFAULT_ITEM_KEY;
}

/** A name QBO accepts: forbidden characters replaced, spaces collapsed, at most 100 characters. */
export function cleanItemName(name: string): { name: string; fixes: ItemNameFix['fixes'] } {
  const fixes: ItemNameFix['fixes'] = [];
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === ':' || ch === '"' || code < 0x20 || code === 0x7f) {
      out += ' ';
      if (!fixes.includes('forbidden_characters')) fixes.push('forbidden_characters');
    } else out += ch;
  }
  out = out.replace(/\s+/g, ' ').trim();
  if (out.length > QBO_ITEM_NAME_MAX) {
    let cut = '';
    for (const ch of out) {
      if (cut.length + ch.length > QBO_ITEM_NAME_MAX) break;
      cut += ch;
    }
    out = cut.trimEnd();
    fixes.push('too_long');
  }
  return { name: out, fixes };
}

/** QBO compares item names case-insensitively; an inactive item's name ends in " (deleted)". */
export function itemNameKey(name: string, active = true): string {
  const base = !active && name.endsWith(DELETED_SUFFIX) ? name.slice(0, -DELETED_SUFFIX.length) : name;
  return base.trim().toLowerCase();
}

/**
 * The names the engine should look up in QBO, in one query per batch: `Name IN (...)` with
 * `Active IN (true,false)`. Each name comes twice: as is, and with " (deleted)", the name QBO gives an
 * inactive item, which still holds the plain name (a create would be refused with 6240).
 */
export function itemNamesToLookUp(input: Pick<ItemResolutionInput, 'invoices' | 'workItems' | 'knownItemIds'>): string[] {
  const names = new Map<string, string>();
  for (const invoice of input.invoices) {
    for (const line of invoice.lines) {
      const key = itemKeyOf(line, input.workItems);
      if (input.knownItemIds.has(key)) continue;
      const name = cleanItemName(workNameOf(key, input.workItems)).name;
      if (name !== '' && !names.has(itemNameKey(name))) names.set(itemNameKey(name), name);
    }
  }
  return [...names.values()].sort().flatMap((name) => [name, `${name}${DELETED_SUFFIX}`]);
}

export function resolveItems(input: ItemResolutionInput): ItemResolution {
  const out: ItemResolution = { itemIdByLineId: new Map(), waitingForCreate: new Map(), toCreate: [], newMappings: new Map(), blocked: [], nameFixes: [] };
  const foundByName = new Map<string, QboItemSeen>();
  for (const item of input.qboItemsFound) {
    const key = itemNameKey(item.Name, item.Active !== false);
    const seen = foundByName.get(key);
    // An active item wins over an inactive one of the same name.
    if (!seen || (seen.Active === false && item.Active !== false)) foundByName.set(key, item);
  }
  const decided = new Map<string, Decision>();
  for (const invoice of input.invoices) {
    for (const line of invoice.lines) {
      const key = itemKeyOf(line, input.workItems);
      let decision = decided.get(key);
      if (decision === undefined) {
        decision = decide(key, input, foundByName, out);
        decided.set(key, decision);
      }
      if ('qboId' in decision) out.itemIdByLineId.set(line.id, decision.qboId);
      else if ('createdAs' in decision) out.waitingForCreate.set(line.id, decision.createdAs);
      else out.blocked.push({ lineId: line.id, invoiceId: invoice.id, key, name: decision.name, reason: decision.blocked });
    }
  }
  return out;
}

type Decision = { qboId: string } | { createdAs: string } | { blocked: ItemBlockReason; name: string };

function decide(key: string, input: ItemResolutionInput, foundByName: ReadonlyMap<string, QboItemSeen>, out: ItemResolution): Decision {
  const known = input.knownItemIds.get(key);
  if (known !== undefined) return { qboId: known };
  const workName = workNameOf(key, input.workItems);
  const cleaned = cleanItemName(workName);
  if (cleaned.name === '') return { blocked: 'item_name_blank', name: workName };
  if (cleaned.fixes.length > 0) out.nameFixes.push({ key, workName, qboName: cleaned.name, fixes: cleaned.fixes });
  const found = foundByName.get(itemNameKey(cleaned.name));
  if (found) {
    if (found.Type !== undefined && !SELLABLE_TYPES.has(found.Type)) return { blocked: 'item_name_not_sellable', name: cleaned.name };
    // An inactive item still holds its name; reviving a bookkeeper's deleted item is theirs to decide.
    if (found.Active === false) return { blocked: 'item_inactive', name: cleaned.name };
    out.newMappings.set(key, found.Id);
    return { qboId: found.Id };
  }
  // Two Work items whose names clean to one QBO name share one new item (a second create would be 6240).
  const pending = out.toCreate.find((c) => itemNameKey(c.body.Name) === itemNameKey(cleaned.name));
  if (pending) {
    pending.alsoFor.push(key);
    return { createdAs: pending.key };
  }
  const body: ServiceItemInput = { Name: cleaned.name, Type: 'Service', IncomeAccountRef: { value: input.accounts.incomeAccountId } };
  if (input.accounts.expenseAccountId !== null) body.ExpenseAccountRef = { value: input.accounts.expenseAccountId };
  out.toCreate.push({ key, alsoFor: [], body });
  return { createdAs: key };
}

function workNameOf(key: string, workItems: ItemResolutionInput['workItems']): string {
  if (key === DEFAULT_ITEM_KEY) return DEFAULT_ITEM_NAME;
  return workItems.get(key)?.name ?? DEFAULT_ITEM_NAME;
}

/** After the items layer: the QBO ids of created items joined with the resolved ones, per line. */
export function completeItemIds(resolution: Pick<ItemResolution, 'itemIdByLineId' | 'waitingForCreate'>, createdIds: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(resolution.itemIdByLineId);
  for (const [lineId, key] of resolution.waitingForCreate) {
    const id = createdIds.get(key);
    if (id !== undefined) out.set(lineId, id);
  }
  return out;
}
