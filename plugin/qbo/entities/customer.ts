import { z } from 'zod';
import { EntityApi, type EntityClient, type SyncTokenRef, type WriteKey } from './entity-api';
import type { CustomerInput } from './inputs';
import { addressSchema, decimalSchema, entityBase, refSchema } from './schemas';

export const customerSchema = z.looseObject({
  ...entityBase,
  DisplayName: z.string(),
  GivenName: z.string().optional(),
  MiddleName: z.string().optional(),
  FamilyName: z.string().optional(),
  CompanyName: z.string().optional(),
  FullyQualifiedName: z.string().optional(),
  PrimaryEmailAddr: z.looseObject({ Address: z.string().optional() }).optional(),
  PrimaryPhone: z.looseObject({ FreeFormNumber: z.string().optional() }).optional(),
  Mobile: z.looseObject({ FreeFormNumber: z.string().optional() }).optional(),
  BillAddr: addressSchema.optional(),
  ShipAddr: addressSchema.optional(),
  Notes: z.string().optional(),
  Active: z.boolean().optional(),
  Job: z.boolean().optional(),
  ParentRef: refSchema.optional(),
  BillWithParent: z.boolean().optional(),
  Taxable: z.boolean().optional(),
  Balance: decimalSchema.optional(),
  BalanceWithJobs: decimalSchema.optional(),
});
export type QboCustomer = z.infer<typeof customerSchema>;

export const customers = new EntityApi('Customer', 'customer', customerSchema);

/** Customers are never deleted in QBO: they are made inactive (QBO appends " (deleted)" to the name). */
export function deactivateCustomer(client: EntityClient, realmId: string, ref: SyncTokenRef, operationKey: WriteKey): Promise<QboCustomer> {
  return customers.sparseUpdate(client, realmId, ref, { Active: false }, operationKey);
}

/** DisplayName is unique across customers, vendors and employees, inactive ones included. */
export function findCustomerByDisplayName(client: EntityClient, realmId: string, displayName: string): Promise<QboCustomer | null> {
  return customers.queryFirst(client, realmId, customers.select().where('DisplayName', '=', displayName).where('Active', 'IN', [true, false]));
}

export function createCustomer(client: EntityClient, realmId: string, input: CustomerInput, operationKey: WriteKey): Promise<QboCustomer> {
  return customers.create(client, realmId, { ...input }, operationKey);
}

/** Sparse: only the fields given change. */
export function updateCustomer(client: EntityClient, realmId: string, ref: SyncTokenRef, fields: Partial<CustomerInput>, operationKey: WriteKey): Promise<QboCustomer> {
  return customers.sparseUpdate(client, realmId, ref, { ...fields }, operationKey);
}
