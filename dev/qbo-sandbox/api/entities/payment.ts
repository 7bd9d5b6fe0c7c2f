/**
 * Payment: TotalAmt and CustomerRef required, lines applied to the same customer's open invoices,
 * deposit account Bank or Other Current Asset (Undeposited Funds when omitted), void and delete give the
 * invoices their balance back, deposited payments are frozen (6540).
 */
import type { QboObject } from '../../contracts';
import { faults } from '../../faults';
import { currencyOf } from '../../store/seed-company';
import { formatQboDate } from '../../store/qbo-time';
import type { StoredRecord } from '../../store/stored-record';
import type { ApiContext } from '../api-context';
import { isObject, maxLength, optionalDate, optionalNumberText, optionalRef, optionalString, rejectUnknownProperties } from '../body-checks';
import type { EntityService } from '../entity-service';
import { Decimal, jsonNumber, money, sum } from '../money';
import { appliedToInvoice, applicationsOf, refreshInvoiceBalance } from './applications';
import { customerOf, refreshCustomerBalance } from './customer-balance';
import { activeRef } from './refs';

const UNDEPOSITED_FUNDS_ID = '4';
const DEPOSIT_ACCOUNT_TYPES = ['Bank', 'Other Current Asset'];

export const PAYMENT_PROPERTIES: ReadonlySet<string> = new Set([
  'Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'TotalAmt', 'CustomerRef', 'Line', 'DepositToAccountRef', 'PaymentMethodRef',
  'PaymentRefNum', 'TxnDate', 'PrivateNote', 'UnappliedAmt', 'ProcessPayment', 'CurrencyRef', 'ExchangeRate', 'ARAccountRef',
  'CreditCardPayment', 'TxnSource', 'TransactionLocationType', 'LinkedTxn', 'TxnStatus',
]);
const PAYMENT_LINE_PROPERTIES = new Set(['Amount', 'LinkedTxn', 'LineEx', 'Id', 'LineNum']);

export const paymentService: EntityService = {
  entity: 'Payment',
  known: PAYMENT_PROPERTIES,
  build(ctx, incoming, prev) {
    const customerId = optionalRef('Payment', incoming, 'CustomerRef');
    if (customerId === undefined) throw faults.requiredMissing('CustomerRef');
    const customer = activeRef(ctx, 'Customer', customerId, 'CustomerRef');
    const totalText = optionalNumberText('Payment', incoming, 'TotalAmt');
    if (totalText === undefined) throw faults.requiredMissing('TotalAmt');
    const total = money(totalText);
    if (total.isNegative()) throw faults.business('The payment amount cannot be negative', 'TotalAmt');
    const lines = paymentLines(ctx, incoming['Line'], customerId, prev);
    const appliedTotal = sum(lines.map((l) => money(String(l['Amount']))));
    if (appliedTotal.greaterThan(total)) throw faults.business('The amounts applied to invoices are more than the payment amount', 'Line');
    maxLength('PaymentRefNum', optionalString('Payment', incoming, 'PaymentRefNum'), 21);
    maxLength('PrivateNote', optionalString('Payment', incoming, 'PrivateNote'), 4000);
    const out: QboObject = {
      CustomerRef: { value: customerId, name: String(customer['DisplayName']) },
      DepositToAccountRef: depositAccount(ctx, optionalRef('Payment', incoming, 'DepositToAccountRef')),
      TotalAmt: jsonNumber(total),
      UnappliedAmt: jsonNumber(total.minus(appliedTotal)),
      ProcessPayment: false,
      TxnDate: optionalDate('Payment', incoming, 'TxnDate') ?? formatQboDate(ctx.clock.now()),
      CurrencyRef: currencyOf(ctx.company.country),
      Line: lines,
    };
    const method = optionalRef('Payment', incoming, 'PaymentMethodRef');
    if (method !== undefined) {
      const pm = activeRef(ctx, 'PaymentMethod', method, 'PaymentMethodRef');
      out['PaymentMethodRef'] = { value: method, name: String(pm['Name']) };
    }
    for (const key of ['PaymentRefNum', 'PrivateNote']) {
      const value = optionalString('Payment', incoming, key);
      if (value !== undefined) out[key] = value;
    }
    return out;
  },
  guardChange(_ctx, prev, operation) {
    if (prev.deposited) throw faults.depositedCannotChange();
    if (prev.voided && operation !== 'delete') throw faults.business('This transaction has been voided and can no longer be changed', 'Id');
  },
  afterWrite(ctx, saved, prev) {
    touchedInvoices(saved, prev).forEach((id) => refreshInvoiceBalance(ctx, id));
    refreshCustomerBalance(ctx, customerOf(saved));
    if (customerOf(prev) !== customerOf(saved)) refreshCustomerBalance(ctx, customerOf(prev));
  },
  afterDelete(ctx, deleted) {
    touchedInvoices(deleted, undefined).forEach((id) => refreshInvoiceBalance(ctx, id));
    refreshCustomerBalance(ctx, customerOf(deleted));
  },
  voided(_ctx, record: StoredRecord) {
    const { Id: _i, SyncToken: _s, MetaData: _m, domain: _d, sparse: _p, ...rest } = record.object;
    const lines = Array.isArray(rest['Line']) ? rest['Line'].filter(isObject).map((l) => ({ ...l, Amount: 0 })) : [];
    return { ...rest, Line: lines, TotalAmt: 0, UnappliedAmt: 0, PrivateNote: 'Voided' };
  },
};

function touchedInvoices(a: QboObject, b: QboObject | undefined): Set<string> {
  return new Set([...applicationsOf(a), ...(b ? applicationsOf(b) : [])].map((x) => x.invoiceId));
}

function depositAccount(ctx: ApiContext, id: string | undefined): { value: string; name: string } {
  const accountId = id ?? UNDEPOSITED_FUNDS_ID;
  const account = activeRef(ctx, 'Account', accountId, 'DepositToAccountRef');
  if (!DEPOSIT_ACCOUNT_TYPES.includes(String(account['AccountType']))) throw faults.invalidAccountType();
  return { value: accountId, name: String(account['Name']) };
}

function paymentLines(ctx: ApiContext, raw: unknown, customerId: string, prev: StoredRecord | undefined): QboObject[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw faults.unsupportedProperty('Payment', 'Line');
  const perInvoice = new Map<string, Decimal>();
  const out = raw.map((line): QboObject => {
    if (!isObject(line)) throw faults.unsupportedProperty('Payment', 'Line');
    rejectUnknownProperties('Line', line, PAYMENT_LINE_PROPERTIES);
    const amountText = optionalNumberText('Line', line, 'Amount');
    if (amountText === undefined) throw faults.requiredMissing('Line.Amount');
    const amount = money(amountText);
    if (amount.isNegative()) throw faults.business('An applied amount cannot be negative', 'Line.Amount');
    const links = line['LinkedTxn'];
    if (!Array.isArray(links) || links.length !== 1 || !isObject(links[0])) throw faults.requiredMissing('Line.LinkedTxn');
    const link = links[0];
    const txnId = link['TxnId'];
    if (typeof txnId !== 'string' || !/^\d+$/.test(txnId)) throw faults.requiredMissing('Line.LinkedTxn.TxnId');
    if (link['TxnType'] !== 'Invoice') throw faults.invalidEnumeration('Line.LinkedTxn.TxnType', String(link['TxnType']));
    const invoice = ctx.store.get(ctx.realmId, 'Invoice', txnId);
    if (!invoice) throw faults.invalidReference('Invoice', 'LinkedTxn', txnId);
    if (invoice.deleted) throw faults.deletedByAnotherUser();
    if (invoice.voided) throw faults.business('A payment cannot be applied to a voided invoice', 'LinkedTxn');
    const invoiceCustomer = invoice.object['CustomerRef'];
    if (!isObject(invoiceCustomer) || invoiceCustomer['value'] !== customerId) {
      throw faults.business('The invoice belongs to a different customer than the payment', 'LinkedTxn');
    }
    perInvoice.set(txnId, (perInvoice.get(txnId) ?? new Decimal(0)).plus(amount));
    return { Amount: jsonNumber(amount), LinkedTxn: [{ TxnId: txnId, TxnType: 'Invoice' }] };
  });
  for (const [invoiceId, amount] of perInvoice) {
    const invoice = ctx.store.get(ctx.realmId, 'Invoice', invoiceId);
    const open = money(String(invoice?.object['TotalAmt'] ?? 0)).minus(appliedToInvoice(ctx, invoiceId, prev?.id).total);
    if (amount.greaterThan(open)) throw faults.business(`The amount applied to invoice ${invoiceId} is more than its open balance`, 'Line.Amount');
  }
  return out;
}
