import { z } from 'zod';
import { EntityApi, type EntityClient } from './entity-api';
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
