import { z } from 'zod';
import { EntityApi } from './entity-api';
import { entityBase } from './schemas';

export const taxCodeSchema = z.looseObject({
  ...entityBase,
  Name: z.string(),
  Description: z.string().optional(),
  Active: z.boolean().optional(),
  Taxable: z.boolean().optional(),
  TaxGroup: z.boolean().optional(),
});
export type QboTaxCode = z.infer<typeof taxCodeSchema>;

/** Read and query only: tax codes are created through QBO's TaxService, not here. */
export const taxCodes = new EntityApi('TaxCode', 'taxcode', taxCodeSchema);

/** US companies use these pseudo codes on lines instead of real TaxCode ids (6100 otherwise). */
export const US_LINE_TAX_CODES = { taxable: 'TAX', nonTaxable: 'NON' } as const;
