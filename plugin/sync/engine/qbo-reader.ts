import { customers, type QboCustomer } from '../../qbo/entities/customer';
import type { EntityClient } from '../../qbo/entities/entity-api';
import { QboQuery } from '../../qbo/query';
import { pageThrough } from '../../qbo/query-pager';
import { cutToLength } from '../plan/qbo-name-rules';
import type { TakenName, TakenNameKind } from '../plan/types';

/** Every customer and sub-customer, active and inactive: nothing drops out of the result mid-scan. */
export async function readAllCustomers(client: EntityClient, realmId: string): Promise<QboCustomer[]> {
  const all: QboCustomer[] = [];
  for await (const customer of customers.queryAll(client, realmId, customers.select().where('Active', 'IN', [true, false]).orderBy('Id'))) {
    all.push(customer);
  }
  return all;
}

async function namesOf(client: EntityClient, realmId: string, entity: 'Vendor' | 'Employee', kind: TakenNameKind, into: TakenName[]): Promise<void> {
  const query = QboQuery.select(entity).where('Active', 'IN', [true, false]).orderBy('Id');
  for await (const row of pageThrough(client, realmId, query)) {
    const name = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)['DisplayName'] : undefined;
    if (typeof name === 'string' && name.length > 0) into.push({ name, kind });
  }
}

/** DisplayNames of vendors and employees (inactive ones included): they block a customer's name. */
export async function readTakenNames(client: EntityClient, realmId: string): Promise<TakenName[]> {
  const taken: TakenName[] = [];
  await namesOf(client, realmId, 'Vendor', 'vendor', taken);
  await namesOf(client, realmId, 'Employee', 'employee', taken);
  return taken;
}

export interface NameInUse {
  name: string;
  kind: 'customer' | 'inactive_customer' | TakenNameKind;
}

/** Long enough to find every suffixed variant of a name ("<name cut to 500 - suffix> (n)"). */
const NAME_PREFIX = 480;

/**
 * DisplayNames in use that start like `wanted` (case-insensitively: QBO's LIKE), across customers (inactive
 * included, `exceptCustomerId` left out: a renamed customer's own name is not taken), vendors and employees.
 * What a rename is chosen against: a few small queries instead of reading every name in the company.
 */
export async function readNamesLike(client: EntityClient, realmId: string, wanted: string, exceptCustomerId: string | null): Promise<NameInUse[]> {
  const pattern = `${cutToLength(wanted, NAME_PREFIX)}%`;
  const found: NameInUse[] = [];
  const query = customers.select().where('DisplayName', 'LIKE', pattern).where('Active', 'IN', [true, false]).orderBy('Id');
  for await (const customer of customers.queryAll(client, realmId, query)) {
    if (customer.Id !== exceptCustomerId) found.push({ name: customer.DisplayName, kind: customer.Active === false ? 'inactive_customer' : 'customer' });
  }
  for (const [entity, kind] of [['Vendor', 'vendor'], ['Employee', 'employee']] as const) {
    for await (const row of pageThrough(client, realmId, QboQuery.select(entity).where('DisplayName', 'LIKE', pattern).where('Active', 'IN', [true, false]).orderBy('Id'))) {
      const name = typeof row === 'object' && row !== null ? (row as Record<string, unknown>)['DisplayName'] : undefined;
      if (typeof name === 'string' && name.length > 0) found.push({ name, kind });
    }
  }
  return found;
}
