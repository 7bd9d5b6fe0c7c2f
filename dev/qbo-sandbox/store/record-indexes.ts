/**
 * Secondary indexes the store keeps up to date on every put, so a write into a company of tens of thousands
 * of records never sorts or scans a whole list: the one DisplayName namespace of customers, vendors and
 * employees, item and account names, invoice numbers, transactions by customer, sub-customers by parent and
 * payments by the invoices they pay. Keys depend only on the stored object; callers still filter deleted
 * records where that matters.
 */
import type { EntityName, QboObject } from '../contracts';
import { DELETED_SUFFIX } from './stored-record';

export type IndexName = 'displayName' | 'itemName' | 'accountName' | 'docNumber' | 'customer' | 'parent' | 'paidInvoice';

/** Compared case-insensitively with runs of spaces collapsed, as QBO compares names. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function baseName(name: string): string {
  return name.endsWith(DELETED_SUFFIX) ? name.slice(0, -DELETED_SUFFIX.length) : name;
}

/** Names a record blocks: its own and, when inactive, its name without " (deleted)". */
export function blockedNameKeys(object: QboObject, field: string): string[] {
  const name = object[field];
  if (typeof name !== 'string') return [];
  return object['Active'] === false ? [...new Set([nameKey(name), nameKey(baseName(name))])] : [nameKey(name)];
}

function refValue(ref: unknown): string | undefined {
  return typeof ref === 'object' && ref !== null && 'value' in ref && typeof ref.value === 'string' ? ref.value : undefined;
}

/** Invoice ids a payment's lines link to (the same reading as api/entities/applications.ts). */
function linkedInvoiceIds(object: QboObject): string[] {
  const lines = object['Line'];
  if (!Array.isArray(lines)) return [];
  const ids = new Set<string>();
  for (const line of lines as unknown[]) {
    const links = typeof line === 'object' && line !== null && 'LinkedTxn' in line ? line.LinkedTxn : undefined;
    if (!Array.isArray(links)) continue;
    for (const link of links as unknown[]) {
      if (typeof link !== 'object' || link === null) continue;
      const { TxnType: type, TxnId: id } = link as Record<string, unknown>;
      if (type === 'Invoice' && typeof id === 'string') ids.add(id);
    }
  }
  return [...ids];
}

const one = (value: string | undefined): string[] => (value === undefined ? [] : [value]);

/** Which keys an object of an entity files under in each index that covers the entity. */
export function indexKeys(entity: EntityName, object: QboObject): Array<[IndexName, string]> {
  const out: Array<[IndexName, string]> = [];
  const add = (index: IndexName, keys: string[]) => {
    for (const key of keys) out.push([index, key]);
  };
  switch (entity) {
    case 'Customer':
      add('displayName', blockedNameKeys(object, 'DisplayName'));
      add('parent', one(refValue(object['ParentRef'])));
      break;
    case 'Vendor':
    case 'Employee':
      add('displayName', blockedNameKeys(object, 'DisplayName'));
      break;
    case 'Item':
      add('itemName', blockedNameKeys(object, 'Name'));
      break;
    case 'Account':
      add('accountName', blockedNameKeys(object, 'Name'));
      break;
    case 'Invoice':
      add('docNumber', typeof object['DocNumber'] === 'string' && object['DocNumber'] !== '' ? [object['DocNumber']] : []);
      add('customer', one(refValue(object['CustomerRef'])));
      break;
    case 'Payment':
      add('customer', one(refValue(object['CustomerRef'])));
      add('paidInvoice', linkedInvoiceIds(object));
      break;
    default:
      break;
  }
  return out;
}

/** One realm's indexes: index → key → the "Entity:Id" of every record filed under it. */
export class RecordIndexes {
  private readonly maps = new Map<IndexName, Map<string, Set<string>>>();

  file(entity: EntityName, id: string, object: QboObject): void {
    for (const [index, key] of indexKeys(entity, object)) {
      let byKey = this.maps.get(index);
      if (!byKey) {
        byKey = new Map();
        this.maps.set(index, byKey);
      }
      let holders = byKey.get(key);
      if (!holders) {
        holders = new Set();
        byKey.set(key, holders);
      }
      holders.add(`${entity}:${id}`);
    }
  }

  unfile(entity: EntityName, id: string, object: QboObject): void {
    for (const [index, key] of indexKeys(entity, object)) {
      const holders = this.maps.get(index)?.get(key);
      holders?.delete(`${entity}:${id}`);
      if (holders?.size === 0) this.maps.get(index)?.delete(key);
    }
  }

  holders(index: IndexName, key: string): Array<{ entity: EntityName; id: string }> {
    const holders = this.maps.get(index)?.get(key);
    if (!holders) return [];
    return [...holders].map((holder) => {
      const colon = holder.indexOf(':');
      return { entity: holder.slice(0, colon) as EntityName, id: holder.slice(colon + 1) };
    });
  }
}
