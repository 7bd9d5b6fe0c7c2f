import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * Building blocks for QBO response schemas. Every object schema is loose: QBO adds fields over time and we
 * validate only what we use, passing the rest through untouched.
 */

/**
 * A money or quantity field as a Decimal. QBO sends JSON numbers; a number is converted from its shortest
 * decimal spelling (what JSON.parse kept), which for amounts of up to 15 significant digits is exactly
 * the digits QBO sent. Strings are accepted too.
 */
export const decimalSchema = z.union([z.number(), z.string()]).transform((value, ctx): Decimal => {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    ctx.addIssue({ code: 'custom', message: 'not a finite number' });
    return z.NEVER;
  }
  try {
    const parsed = new Decimal(value);
    if (!parsed.isFinite()) throw new Error('not finite');
    return parsed;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a decimal number' });
    return z.NEVER;
  }
});

/** `{ value, name? }` references between QBO objects. */
export const refSchema = z.looseObject({ value: z.string(), name: z.string().optional() });
export type QboRef = z.infer<typeof refSchema>;

export const metaDataSchema = z.looseObject({
  CreateTime: z.string().optional(),
  LastUpdatedTime: z.string().optional(),
});

export const addressSchema = z.looseObject({
  Id: z.string().optional(),
  Line1: z.string().optional(),
  Line2: z.string().optional(),
  Line3: z.string().optional(),
  City: z.string().optional(),
  CountrySubDivisionCode: z.string().optional(),
  PostalCode: z.string().optional(),
  Country: z.string().optional(),
});

/** Fields every stored QBO object has. */
export const entityBase = {
  Id: z.string(),
  SyncToken: z.string(),
  MetaData: metaDataSchema.optional(),
  domain: z.string().optional(),
  sparse: z.boolean().optional(),
};

/** `{ "Invoice": { "Id": "266", "status": "Deleted", "domain": "QBO" } }` after operation=delete. */
export const deletedEntitySchema = z.looseObject({ Id: z.string(), status: z.literal('Deleted') });
export type DeletedEntity = z.infer<typeof deletedEntitySchema>;
