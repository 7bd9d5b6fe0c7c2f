import { customers, type QboCustomer } from '../../qbo/entities/customer';
import type { EntityClient } from '../../qbo/entities/entity-api';
import { QboQuery } from '../../qbo/query';
import { pageThrough } from '../../qbo/query-pager';
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
