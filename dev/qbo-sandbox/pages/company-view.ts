/**
 * The view model of one sandbox company: customers with their sub-customers nested under them, invoices
 * and payments, as plain strings ready to print.
 */
import type { QboObject } from '../contracts';
import type { SandboxStoreApi } from '../contracts';

export interface CustomerRow {
  id: string;
  name: string;
  depth: number;
  active: boolean;
  email: string;
  company: string;
}

export interface TxnRow {
  id: string;
  number: string;
  customer: string;
  date: string;
  total: string;
  balance: string;
  status: string;
}

function text(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function refValue(value: unknown): string {
  return typeof value === 'object' && value !== null && 'value' in value ? text(value.value) : '';
}

function refName(value: unknown): string {
  return typeof value === 'object' && value !== null && 'name' in value ? text(value.name) : '';
}

/** Customers in tree order: each parent followed by its sub-customers, indented by depth. */
export function customerTree(customers: QboObject[]): CustomerRow[] {
  const children = new Map<string, QboObject[]>();
  const roots: QboObject[] = [];
  const ids = new Set(customers.map((c) => text(c['Id'])));
  for (const c of customers) {
    const parent = refValue(c['ParentRef']);
    if (parent && ids.has(parent)) children.set(parent, [...(children.get(parent) ?? []), c]);
    else roots.push(c);
  }
  const byName = (a: QboObject, b: QboObject): number => text(a['DisplayName']).localeCompare(text(b['DisplayName']));
  const rows: CustomerRow[] = [];
  const walk = (c: QboObject, depth: number): void => {
    const email = c['PrimaryEmailAddr'];
    rows.push({
      id: text(c['Id']),
      name: text(c['DisplayName']),
      depth,
      active: c['Active'] !== false,
      email: typeof email === 'object' && email !== null && 'Address' in email ? text(email.Address) : '',
      company: text(c['CompanyName']),
    });
    for (const child of (children.get(text(c['Id'])) ?? []).sort(byName)) walk(child, depth + 1);
  };
  roots.sort(byName).forEach((r) => walk(r, 0));
  return rows;
}

export function transactionRows(objects: QboObject[]): TxnRow[] {
  return objects.map((o) => ({
    id: text(o['Id']),
    number: text(o['DocNumber']) || text(o['PaymentRefNum']),
    customer: refName(o['CustomerRef']) || refValue(o['CustomerRef']),
    date: text(o['TxnDate']),
    total: text(o['TotalAmt']),
    balance: o['Balance'] === undefined ? text(o['UnappliedAmt']) : text(o['Balance']),
    status: o['status'] === 'Deleted' ? 'deleted' : o['PrivateNote'] === 'Voided' ? 'voided' : '',
  }));
}

export function companyView(store: SandboxStoreApi, realmId: string) {
  return {
    customers: customerTree(store.all(realmId, 'Customer')),
    invoices: transactionRows(store.all(realmId, 'Invoice')),
    payments: transactionRows(store.all(realmId, 'Payment')),
  };
}
