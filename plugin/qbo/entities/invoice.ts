import { z } from 'zod';
import { EntityApi, type EntityClient, type SyncTokenRef, type WriteKey } from './entity-api';
import type { InvoiceInput } from './inputs';
import { addressSchema, decimalSchema, entityBase, refSchema } from './schemas';

export const invoiceLineSchema = z.looseObject({
  Id: z.string().optional(),
  LineNum: z.number().optional(),
  Description: z.string().optional(),
  Amount: decimalSchema,
  DetailType: z.string(),
  SalesItemLineDetail: z
    .looseObject({
      ItemRef: refSchema.optional(),
      Qty: decimalSchema.optional(),
      UnitPrice: decimalSchema.optional(),
      TaxCodeRef: refSchema.optional(),
      ServiceDate: z.string().optional(),
    })
    .optional(),
});

export const invoiceSchema = z.looseObject({
  ...entityBase,
  DocNumber: z.string().optional(),
  TxnDate: z.string().optional(),
  DueDate: z.string().optional(),
  CustomerRef: refSchema,
  Line: z.array(invoiceLineSchema),
  TotalAmt: decimalSchema,
  Balance: decimalSchema.optional(),
  TxnTaxDetail: z.looseObject({ TotalTax: decimalSchema.optional() }).optional(),
  CurrencyRef: refSchema.optional(),
  PrivateNote: z.string().optional(),
  CustomerMemo: z.looseObject({ value: z.string() }).optional(),
  BillAddr: addressSchema.optional(),
  ShipAddr: addressSchema.optional(),
  LinkedTxn: z.array(z.looseObject({ TxnId: z.string(), TxnType: z.string() })).optional(),
});
export type QboInvoice = z.infer<typeof invoiceSchema>;

export const invoices = new EntityApi('Invoice', 'invoice', invoiceSchema);

/** POST /invoice?operation=void: amounts go to zero, SyncToken + 1; later updates fail. */
export async function voidInvoice(client: EntityClient, realmId: string, ref: SyncTokenRef, operationKey: WriteKey): Promise<QboInvoice> {
  const response = await invoices.operation(client, realmId, 'void', { Id: ref.Id, SyncToken: ref.SyncToken }, operationKey);
  return invoices.fromWriteResponse(response);
}

export function createInvoice(client: EntityClient, realmId: string, input: InvoiceInput, operationKey: WriteKey): Promise<QboInvoice> {
  if (input.Line.length === 0) throw new Error('an invoice needs at least one line');
  return invoices.create(client, realmId, { ...input }, operationKey);
}

/** Sparse, but `Line`, when given, replaces all lines (QBO replaces lines as a set). */
export function updateInvoice(client: EntityClient, realmId: string, ref: SyncTokenRef, fields: Partial<InvoiceInput>, operationKey: WriteKey): Promise<QboInvoice> {
  return invoices.sparseUpdate(client, realmId, ref, { ...fields }, operationKey);
}
