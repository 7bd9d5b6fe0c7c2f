import { z } from 'zod';
import { EntityApi } from './entity-api';
import { entityBase } from './schemas';

export const paymentMethodSchema = z.looseObject({
  ...entityBase,
  Name: z.string(),
  Active: z.boolean().optional(),
  Type: z.string().optional(),
});
export type QboPaymentMethod = z.infer<typeof paymentMethodSchema>;

export const paymentMethods = new EntityApi('PaymentMethod', 'paymentmethod', paymentMethodSchema);
