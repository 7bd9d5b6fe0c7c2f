import { z } from 'zod';
import { EntityApi, type EntityClient, type SyncTokenRef, type WriteKey } from './entity-api';
import type { PaymentInput } from './inputs';
import { decimalSchema, entityBase, refSchema } from './schemas';

export const paymentSchema = z.looseObject({
  ...entityBase,
  TxnDate: z.string().optional(),
  TotalAmt: decimalSchema,
  UnappliedAmt: decimalSchema.optional(),
  CustomerRef: refSchema,
  DepositToAccountRef: refSchema.optional(),
  PaymentMethodRef: refSchema.optional(),
  PaymentRefNum: z.string().optional(),
  PrivateNote: z.string().optional(),
  Line: z
    .array(
      z.looseObject({
        Amount: decimalSchema,
        LinkedTxn: z.array(z.looseObject({ TxnId: z.string(), TxnType: z.string() })).optional(),
      }),
    )
    .optional(),
});
export type QboPayment = z.infer<typeof paymentSchema>;

export const payments = new EntityApi('Payment', 'payment', paymentSchema);

/** Payments are voided with a sparse update: POST /payment?operation=update&include=void. */
export async function voidPayment(client: EntityClient, realmId: string, ref: SyncTokenRef, operationKey: WriteKey): Promise<QboPayment> {
  const response = await payments.operation(client, realmId, 'update', { Id: ref.Id, SyncToken: ref.SyncToken, sparse: true }, operationKey, { include: 'void' });
  return payments.fromWriteResponse(response);
}

export function createPayment(client: EntityClient, realmId: string, input: PaymentInput, operationKey: WriteKey): Promise<QboPayment> {
  return payments.create(client, realmId, { ...input }, operationKey);
}

export function updatePayment(client: EntityClient, realmId: string, ref: SyncTokenRef, fields: Partial<PaymentInput>, operationKey: WriteKey): Promise<QboPayment> {
  return payments.sparseUpdate(client, realmId, ref, { ...fields }, operationKey);
}
