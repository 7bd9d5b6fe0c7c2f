/**
 * Work payment → QBO Payment body (pure), and what to do when a Work payment is pushed again.
 * Rules and their sources: README.md in this folder.
 */
import type Decimal from 'decimal.js';
import type { WorkPayment } from '../../host/work-records';
import type { PaymentInput } from '../../qbo/entities/inputs';
import { shortenDocNumber, QBO_PRIVATE_NOTE_MAX } from './invoice-invoice';
import { stripControlCharacters, takeUtf16Units } from './qbo-text';
import { Exact, fitsQboAmount, parseDecimal, roundCents } from './money';
import { canonicalSnapshot, payloadHash, type CanonicalValue } from './payload-hash';

/** Payment.PaymentRefNum: the QBO sandbox and Intuit's Payment page allow 21 characters (2050 otherwise). */
export const QBO_PAYMENT_REF_MAX = 21;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface LinkedInvoice {
  /** The pushed invoice's QBO id. */
  qboId: string;
  /**
   * What is still open on it in QBO: its Balance from QBO's last answer about it, less what this run already
   * applied to it. Never Work's figure: QBO's total includes QBO's own tax rounding.
   */
  openBalance: Decimal;
}

export interface PaymentMappingInput {
  payment: WorkPayment;
  /** The customer of the pushed invoice (a site's sub-customer when billed to one); else the client's customer. */
  customerId: string;
  /** Null when the Work payment belongs to no invoice: it becomes an unapplied credit. */
  invoice: LinkedInvoice | null;
  /** The Bank or Other Current Asset account chosen in the settings. */
  depositAccountId: string;
  /** The QBO payment method matching Work's method, when one does (see resolvePaymentMethod). */
  paymentMethodId: string | null;
}

export type PaymentRefusalCode = 'invalid_number' | 'zero_amount' | 'negative_amount' | 'amount_too_large' | 'invalid_date' | 'missing_customer';
export type PaymentWarningCode = 'exceeds_invoice_balance' | 'invoice_already_paid' | 'unapplied_no_invoice' | 'reference_shortened' | 'method_not_found' | 'amount_rounded';

export interface PaymentRefusal {
  code: PaymentRefusalCode;
  detail: string;
}

export interface PaymentWarning {
  code: PaymentWarningCode;
  detail: string;
}

export interface MappedPayment {
  body: PaymentInput;
  total: Decimal;
  applied: Decimal;
  unapplied: Decimal;
  warnings: PaymentWarning[];
}

export type PaymentMappingResult = { ok: true; payment: MappedPayment } | { ok: false; refusal: PaymentRefusal };

export function mapPayment(input: PaymentMappingInput): PaymentMappingResult {
  const { payment } = input;
  const warnings: PaymentWarning[] = [];
  if (input.customerId.trim() === '') return refuse('missing_customer', 'no QuickBooks customer for the payment');
  if (!ISO_DATE.test(payment.paidOn)) return refuse('invalid_date', `payment date "${payment.paidOn}"`);
  const exact = parseDecimal(payment.amount);
  if (exact === null) return refuse('invalid_number', `amount "${payment.amount}" is not a number`);
  const total = roundCents(exact);
  if (!total.equals(exact)) warnings.push({ code: 'amount_rounded', detail: `${exact.toFixed()} sent as ${total.toFixed(2)}` });
  if (total.isNegative()) return refuse('negative_amount', `amount ${total.toFixed(2)}`);
  if (total.isZero()) return refuse('zero_amount', `amount ${exact.toFixed()}`);
  if (!fitsQboAmount(total)) return refuse('amount_too_large', `amount ${total.toFixed(2)}`);

  const body: PaymentInput = { CustomerRef: { value: input.customerId }, TotalAmt: total, TxnDate: payment.paidOn, DepositToAccountRef: { value: input.depositAccountId } };
  let applied = new Exact(0);
  if (input.invoice === null) {
    warnings.push({ code: 'unapplied_no_invoice', detail: `${total.toFixed(2)} left as a credit` });
  } else {
    const open = Exact.max(roundCents(input.invoice.openBalance), 0);
    applied = Exact.min(total, open);
    if (applied.isZero()) warnings.push({ code: 'invoice_already_paid', detail: `invoice ${input.invoice.qboId} has nothing open; ${total.toFixed(2)} left as a credit` });
    else if (applied.lessThan(total)) {
      warnings.push({ code: 'exceeds_invoice_balance', detail: `${total.toFixed(2)} paid, ${applied.toFixed(2)} open on invoice ${input.invoice.qboId}; ${total.minus(applied).toFixed(2)} left as a credit` });
    }
    // QBO: without lines the payment is an unapplied credit; a zero line would only add noise.
    if (!applied.isZero()) body.Line = [{ Amount: applied, LinkedTxn: [{ TxnId: input.invoice.qboId, TxnType: 'Invoice' }] }];
  }
  if (input.paymentMethodId !== null) body.PaymentMethodRef = { value: input.paymentMethodId };
  else if (payment.method !== null && payment.method.trim() !== '') warnings.push({ code: 'method_not_found', detail: `Work method "${payment.method.trim()}"` });

  const reference = payment.reference === null ? '' : stripControlCharacters(payment.reference).trim();
  let shortened = false;
  if (reference !== '') {
    const ref = shortenReference(reference);
    shortened = ref.shortened;
    body.PaymentRefNum = ref.value;
    if (ref.shortened) warnings.push({ code: 'reference_shortened', detail: `"${reference}" sent as "${ref.value}"` });
  }
  body.PrivateNote = paymentNote(payment.id, shortened ? reference : null);
  return { ok: true, payment: { body, total, applied, unapplied: total.minus(applied), warnings } };
}

export interface PaymentToAllocate {
  workPaymentId: string;
  qboInvoiceId: string | null;
  /** Work's amount (a decimal string, as in WorkPayment.amount). */
  amount: string;
}

/**
 * The open balance each payment of a run may apply, in the given order: what QBO said is open on the
 * invoice, less what earlier payments of the run apply to it. Batch items may run in any order and do not
 * see each other's results, so without this two payments of one invoice could both apply its whole balance.
 * The applied amounts of one invoice never add up to more than its open balance.
 */
export function allocateOpenBalances(payments: readonly PaymentToAllocate[], openBalances: ReadonlyMap<string, Decimal>): Map<string, Decimal> {
  const remaining = new Map<string, Decimal>();
  for (const [id, open] of openBalances) remaining.set(id, Exact.max(roundCents(open), 0));
  const out = new Map<string, Decimal>();
  for (const payment of payments) {
    if (payment.qboInvoiceId === null) continue;
    const open = remaining.get(payment.qboInvoiceId) ?? new Exact(0);
    out.set(payment.workPaymentId, open);
    const amount = parseDecimal(payment.amount);
    if (amount === null || !roundCents(amount).isPositive()) continue;
    remaining.set(payment.qboInvoiceId, open.minus(Exact.min(roundCents(amount), open)));
  }
  return out;
}

/** The reference as PaymentRefNum: kept when it fits 21 characters, else prefix + "~" + short hash. */
export function shortenReference(reference: string): { value: string; shortened: boolean } {
  const out = shortenDocNumber(reference);
  return { value: out.docNumber, shortened: out.shortened };
}

/** Work's method name to a QBO PaymentMethod id: case- and space-insensitive, active methods only. */
export function resolvePaymentMethod(method: string | null, qboMethods: readonly { Id: string; Name: string; Active?: boolean | undefined }[]): string | null {
  if (method === null) return null;
  const wanted = normaliseName(method);
  if (wanted === '') return null;
  const found = qboMethods.find((m) => m.Active !== false && normaliseName(m.Name) === wanted);
  return found ? found.Id : null;
}

function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function paymentNote(workPaymentId: string, fullReference: string | null): string {
  const note = fullReference === null ? `Work payment ${workPaymentId}` : `Work payment ${workPaymentId}\nReference: ${fullReference}`;
  return note.length <= QBO_PRIVATE_NOTE_MAX ? note : `${takeUtf16Units(note, QBO_PRIVATE_NOTE_MAX - 1)}…`;
}

function refuse(code: PaymentRefusalCode, detail: string): PaymentMappingResult {
  return { ok: false, refusal: { code, detail } };
}

// ---------------------------------------------------------------- pushing a payment again

/** The Work payment's own fields that, when changed, make a new QBO payment (the customer's rule). */
export function paymentSnapshot(payment: WorkPayment): CanonicalValue {
  const amount = parseDecimal(payment.amount);
  return canonicalSnapshot({
    amount: amount === null ? payment.amount : amount,
    paidOn: payment.paidOn,
    invoiceId: payment.invoiceId,
    method: payment.method,
    reference: payment.reference,
    clientId: payment.clientId,
  });
}

export function paymentSnapshotHash(payment: WorkPayment): string {
  return payloadHash(paymentSnapshot(payment));
}

/** What the engine knows of an earlier push of this Work payment (qbo_mappings). */
export interface PushedPayment {
  qboPaymentId: string;
  /** paymentSnapshotHash of the Work payment as it was pushed. */
  hash: string;
}

export type PaymentPushDecision =
  | { action: 'create'; hash: string }
  | { action: 'skip'; reason: 'unchanged' | 'deleted_in_work'; warning?: PaymentEditWarning }
  | { action: 'create_new'; hash: string; warning: PaymentEditWarning };

export interface PaymentEditWarning {
  code: 'payment_edited' | 'payment_deleted_in_work';
  workPaymentId: string;
  /** The QBO payment that stays as it is and must be removed by hand if it is wrong now. */
  earlierQboPaymentId: string | null;
}

/**
 * An edited Work payment makes a NEW QBO payment (the customer's rule: payments are never edited through
 * the sync) and the earlier one stays, named in the warning so the bookkeeper can remove it by hand.
 * A deleted Work payment is never deleted in QBO.
 */
export function decidePaymentPush(pushed: PushedPayment | null, payment: WorkPayment | null, workPaymentId: string): PaymentPushDecision {
  if (payment === null) {
    return { action: 'skip', reason: 'deleted_in_work', warning: { code: 'payment_deleted_in_work', workPaymentId, earlierQboPaymentId: pushed?.qboPaymentId ?? null } };
  }
  const hash = paymentSnapshotHash(payment);
  if (pushed === null) return { action: 'create', hash };
  if (pushed.hash === hash) return { action: 'skip', reason: 'unchanged' };
  return { action: 'create_new', hash, warning: { code: 'payment_edited', workPaymentId, earlierQboPaymentId: pushed.qboPaymentId } };
}
