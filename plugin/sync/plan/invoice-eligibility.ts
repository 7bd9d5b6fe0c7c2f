/**
 * Which Work invoices and payments are pushed now, which wait (and why), and which are never pushed (pure).
 * The engine asks again for each dependency layer (see push-layers.ts), so a customer or invoice written
 * earlier in the same run lets its invoices or payments go in the same run.
 *
 * - Invoices: invoice sync on; created or updated at or after the moment it was turned on (never past ones).
 * - Payments: payment sync on (it needs invoice sync); created or updated at or after payment sync was on;
 *   a payment waits for its invoice; a payment whose invoice will never be pushed is skipped and logged.
 * - Settings missing or a chosen account / tax code inactive in QBO: everything waits, nothing is dropped.
 * - A deleted Work invoice or payment is never deleted in QBO: skipped and logged.
 */
import type { WorkInvoice, WorkPayment } from '../../host/work-records';
import { accountProblem, isUsCompany, taxCodeProblem, type AccountProblem, type CompanyFacts, type InvoicePaymentSettings, type TaxCodeProblem } from './settings-rules';

export type SkipReason =
  | 'invoices_off'
  | 'payments_off'
  | 'payments_need_invoices'
  | 'before_invoice_sync'
  | 'before_payment_sync'
  | 'deleted_in_work'
  | 'invoice_not_synced';

export type WaitReason =
  | 'client_not_linked'
  | 'invoice_not_pushed'
  | `income_${AccountProblem}`
  | `expense_${Exclude<AccountProblem, 'account_missing'>}`
  | `deposit_${AccountProblem}`
  | `taxable_${TaxCodeProblem}`
  | `non_taxable_${TaxCodeProblem}`;

export type Eligibility<T> = ({ decision: 'push' } & T) | { decision: 'wait'; reason: WaitReason } | { decision: 'skip'; reason: SkipReason };

/** The QBO side of the records an invoice depends on, from qbo_mappings. */
export interface InvoiceLinks {
  clientCustomerId: string | null;
  /** The site's sub-customer, when the invoice has a site and that site is linked. */
  siteCustomerId: string | null;
}

/** Sites sync at onboarding only, so an invoice whose site is not linked is billed to the client's customer. */
export function invoiceCustomerId(invoice: Pick<WorkInvoice, 'siteId'>, links: InvoiceLinks): { customerId: string; billedTo: 'site' | 'client' } | null {
  if (invoice.siteId !== null && links.siteCustomerId !== null) return { customerId: links.siteCustomerId, billedTo: 'site' };
  if (links.clientCustomerId !== null) return { customerId: links.clientCustomerId, billedTo: 'client' };
  return null;
}

/** Settings and company problems that hold back every invoice (null when none). */
export function invoiceSettingsWait(settings: InvoicePaymentSettings, facts: CompanyFacts): WaitReason | null {
  const income = accountProblem('income', settings.incomeAccountId, facts.accounts);
  if (income !== null) return `income_${income}`;
  if (settings.expenseAccountId !== null) {
    const expense = accountProblem('expense', settings.expenseAccountId, facts.accounts);
    if (expense !== null && expense !== 'account_missing') return `expense_${expense}`;
  }
  if (!isUsCompany(facts)) {
    const taxable = taxCodeProblem(settings.taxableTaxCodeId, facts.taxCodes);
    if (taxable !== null) return `taxable_${taxable}`;
    const nonTaxable = taxCodeProblem(settings.nonTaxableTaxCodeId, facts.taxCodes);
    if (nonTaxable !== null) return `non_taxable_${nonTaxable}`;
  }
  return null;
}

/** Created or updated at or after the moment the flow was turned on. */
export function changedSince(record: { createdAt: Date; updatedAt: Date }, enabledAt: Date | null): boolean {
  if (enabledAt === null) return false;
  const latest = Math.max(record.createdAt.getTime(), record.updatedAt.getTime());
  return latest >= enabledAt.getTime();
}

export interface InvoiceEligibilityInput {
  /** Null when the Work invoice was deleted. */
  invoice: WorkInvoice | null;
  links: InvoiceLinks;
  settings: InvoicePaymentSettings;
  facts: CompanyFacts;
}

export function invoiceEligibility(input: InvoiceEligibilityInput): Eligibility<{ customerId: string; billedTo: 'site' | 'client' }> {
  const { invoice, settings } = input;
  if (invoice === null) return { decision: 'skip', reason: 'deleted_in_work' };
  if (!settings.invoicesEnabled) return { decision: 'skip', reason: 'invoices_off' };
  if (!changedSince(invoice, settings.invoicesEnabledAt)) return { decision: 'skip', reason: 'before_invoice_sync' };
  const held = invoiceSettingsWait(settings, input.facts);
  if (held !== null) return { decision: 'wait', reason: held };
  const customer = invoiceCustomerId(invoice, input.links);
  if (customer === null) return { decision: 'wait', reason: 'client_not_linked' };
  return { decision: 'push', ...customer };
}

/** Where the payment's invoice stands. */
export type PaymentInvoiceState =
  | { state: 'none' } // the Work payment belongs to no invoice
  | { state: 'pushed'; qboInvoiceId: string; qboCustomerId: string }
  | { state: 'pending' } // eligible, not in QBO yet: the payment waits
  | { state: 'never' }; // past, deleted or refused: it will not be pushed by itself

export interface PaymentEligibilityInput {
  /** Null when the Work payment was deleted. */
  payment: WorkPayment | null;
  invoice: PaymentInvoiceState;
  clientCustomerId: string | null;
  settings: InvoicePaymentSettings;
  facts: CompanyFacts;
}

export function paymentEligibility(input: PaymentEligibilityInput): Eligibility<{ customerId: string; qboInvoiceId: string | null }> {
  const { payment, settings } = input;
  if (payment === null) return { decision: 'skip', reason: 'deleted_in_work' };
  if (!settings.invoicesEnabled) return { decision: 'skip', reason: 'payments_need_invoices' };
  if (!settings.paymentsEnabled) return { decision: 'skip', reason: 'payments_off' };
  if (!changedSince(payment, settings.paymentsEnabledAt)) return { decision: 'skip', reason: 'before_payment_sync' };
  if (input.invoice.state === 'never') return { decision: 'skip', reason: 'invoice_not_synced' };
  const deposit = accountProblem('deposit', settings.depositAccountId, input.facts.accounts);
  if (deposit !== null) return { decision: 'wait', reason: `deposit_${deposit}` };
  if (input.invoice.state === 'pending') return { decision: 'wait', reason: 'invoice_not_pushed' };
  // QBO applies a payment only to invoices of its own customer: that of the pushed invoice.
  if (input.invoice.state === 'pushed') return { decision: 'push', customerId: input.invoice.qboCustomerId, qboInvoiceId: input.invoice.qboInvoiceId };
  if (input.clientCustomerId === null) return { decision: 'wait', reason: 'client_not_linked' };
  return { decision: 'push', customerId: input.clientCustomerId, qboInvoiceId: null };
}
