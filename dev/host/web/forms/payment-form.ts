import { z } from 'zod';
import type { WorkPayment } from '../../../../plugin/host/work-records';
import type { PaymentInput } from '../../models/payment-model';
import { messages } from '../messages';
import { decimalText, optionalId, optionalText, requiredDate, requiredId } from './fields';
import { enteredText, parseForm, type FormResult } from './form-result';

export const PAYMENT_METHODS = ['Cash', 'Check', 'Credit card', 'Bank transfer', 'Other'] as const;
export const PAYMENT_FIELD_NAMES = ['clientId', 'invoiceId', 'amount', 'paidOn', 'method', 'reference'] as const;

const paymentSchema = z.object({
  clientId: requiredId('Client'),
  invoiceId: optionalId,
  amount: decimalText({ label: 'Amount', maxDecimals: 2, sign: 'positive' }),
  paidOn: requiredDate('Payment date'),
  method: optionalText('Method', 50).refine((m) => m === null || (PAYMENT_METHODS as readonly string[]).includes(m), messages.unknownPaymentMethod),
  reference: optionalText('Reference', 100),
});

export function parsePaymentForm(body: unknown): FormResult<PaymentInput> {
  return parseForm(paymentSchema, body);
}

export function paymentFormValuesFromBody(body: unknown): Record<string, string> {
  return enteredText(body, PAYMENT_FIELD_NAMES);
}

export function paymentFormValuesFromRecord(p: WorkPayment | null, defaults: { clientId?: string; invoiceId?: string; paidOn: string }): Record<string, string> {
  if (!p) return { ...enteredText({}, PAYMENT_FIELD_NAMES), clientId: defaults.clientId ?? '', invoiceId: defaults.invoiceId ?? '', paidOn: defaults.paidOn };
  return {
    clientId: p.clientId,
    invoiceId: p.invoiceId ?? '',
    amount: p.amount,
    paidOn: p.paidOn,
    method: p.method ?? '',
    reference: p.reference ?? '',
  };
}
