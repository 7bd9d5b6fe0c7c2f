import type { PostalAddress, WorkClient, WorkSite } from '../../plugin/host/work-records';
import type { QboCustomer } from '../../plugin/qbo/entities/customer';

export const NO_ADDRESS: PostalAddress = { line1: null, line2: null, city: null, state: null, postalCode: null, country: null };

export function workClient(id: string, fields: Partial<WorkClient> = {}): WorkClient {
  return {
    id,
    accountId: 'acc-1',
    companyName: null,
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    billingAddress: NO_ADDRESS,
    notes: null,
    active: true,
    updatedAt: new Date('2026-11-01T10:00:00Z'),
    ...fields,
  };
}

export function workSite(id: string, clientId: string, fields: Partial<WorkSite> = {}): WorkSite {
  return {
    id,
    accountId: 'acc-1',
    clientId,
    name: `Site ${id}`,
    contactName: null,
    email: null,
    phone: null,
    address: NO_ADDRESS,
    active: true,
    updatedAt: new Date('2026-11-01T10:00:00Z'),
    ...fields,
  };
}

export function qboCustomer(id: string, fields: Partial<QboCustomer> = {}): QboCustomer {
  return {
    Id: id,
    SyncToken: '0',
    DisplayName: fields.CompanyName ?? `Customer ${id}`,
    Active: true,
    MetaData: { CreateTime: '2026-10-01T10:00:00Z', LastUpdatedTime: '2026-10-01T10:00:00Z' },
    ...fields,
  };
}

export function subCustomer(id: string, parentId: string, fields: Partial<QboCustomer> = {}): QboCustomer {
  return qboCustomer(id, { Job: true, BillWithParent: true, ParentRef: { value: parentId }, DisplayName: `Job ${id}`, ...fields });
}

/** Fisher–Yates with a given sequence of choices, so fast-check drives the permutation. */
export function permute<T>(items: readonly T[], seeds: readonly number[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (seeds[i % Math.max(seeds.length, 1)] ?? 0) % (i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
