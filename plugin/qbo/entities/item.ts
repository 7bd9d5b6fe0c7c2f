import { z } from 'zod';
import { EntityApi, type EntityClient, type SyncTokenRef, type WriteKey } from './entity-api';
import type { ItemInput } from './inputs';
import { decimalSchema, entityBase, refSchema } from './schemas';

export const itemSchema = z.looseObject({
  ...entityBase,
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  Type: z.string().optional(),
  Active: z.boolean().optional(),
  Description: z.string().optional(),
  UnitPrice: decimalSchema.optional(),
  Taxable: z.boolean().optional(),
  IncomeAccountRef: refSchema.optional(),
  ExpenseAccountRef: refSchema.optional(),
  SalesTaxCodeRef: refSchema.optional(),
});
export type QboItem = z.infer<typeof itemSchema>;

export const items = new EntityApi('Item', 'item', itemSchema);

export function findItemByName(client: EntityClient, realmId: string, name: string): Promise<QboItem | null> {
  return items.queryFirst(client, realmId, items.select().where('Name', '=', name).where('Active', 'IN', [true, false]));
}

export function createItem(client: EntityClient, realmId: string, input: ItemInput, operationKey: WriteKey): Promise<QboItem> {
  return items.create(client, realmId, { ...input }, operationKey);
}

export function updateItem(client: EntityClient, realmId: string, ref: SyncTokenRef, fields: Partial<ItemInput>, operationKey: WriteKey): Promise<QboItem> {
  return items.sparseUpdate(client, realmId, ref, { ...fields }, operationKey);
}
