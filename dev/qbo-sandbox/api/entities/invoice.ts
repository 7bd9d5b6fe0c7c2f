/**
 * Invoice: CustomerRef and lines required, amounts exact, US line tax codes TAX/NON, DocNumber rules by
 * the CustomTxnNumbers preference, totals computed with decimals, delete and void.
 */
import type { QboObject } from '../../contracts';
import { faults } from '../../faults';
import { currencyOf } from '../../store/seed-company';
import { addDays, formatQboDate } from '../../store/qbo-time';
import type { StoredRecord } from '../../store/stored-record';
import type { ApiContext } from '../api-context';
import { isObject, maxLength, optionalDate, optionalRef, optionalString } from '../body-checks';
import type { EntityService } from '../entity-service';
import { jsonNumber } from '../money';
import { appliedToInvoice } from './applications';
import { customerOf, refreshCustomerBalance } from './customer-balance';
import { buildInvoiceLines, zeroedLines } from './invoice-lines';
import { isEmailShaped } from './person-fields';
import { invoiceTax, type TaxCalculation } from './sales-tax';
import { activeRef } from './refs';

const COPIED = ['PrivateNote', 'CustomerMemo', 'BillEmail', 'ShipDate', 'TrackingNum', 'PONumber', 'ShipAddr', 'BillAddr', 'SalesTermRef', 'ClassRef', 'DepartmentRef'] as const;

/** The property list QBO's deserializer knows (from the 2010 recording), trimmed to the sandbox's concern. */
export const INVOICE_PROPERTIES: ReadonlySet<string> = new Set([
  'Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'status', 'DocNumber', 'HomeTotalAmt', 'TotalAmt', 'TxnSource', 'AllowOnlinePayment',
  'RecurringInfo', 'EmailStatus', 'AutoDocNumber', 'TxnDate', 'FOB', 'ClassRef', 'AllowOnlineACHPayment', 'DepositToAccountRef',
  'AllowOnlineCreditCardPayment', 'CurrencyRef', 'InvoiceLink', 'PONumber', 'ShipDate', 'PaymentMethodRef', 'TrackingNum', 'TxnTaxDetail',
  'CustomerRef', 'ShipFromAddr', 'BillAddr', 'ShipAddr', 'EInvoiceStatus', 'RecurDataRef', 'ApplyTaxAfterDiscount', 'DepartmentRef',
  'SalesRepRef', 'ExchangeRate', 'BillEmailBcc', 'BillEmailCc', 'BillEmail', 'CustomerMemo', 'TxnStatus', 'HomeBalance', 'PrintStatus',
  'DiscountRate', 'DeliveryInfo', 'FreeFormAddress', 'AllowIPNPayment', 'CustomField', 'TransactionLocationType', 'LinkedTxn',
  'PrivateNote', 'ShipMethodRef', 'PaymentRefNum', 'Balance', 'Deposit', 'DueDate', 'Line', 'SalesTermRef', 'GlobalTaxCalculation',
]);

const MAX_DOC_NUMBER = 21;
const DEFAULT_DUE_DAYS = 30;

export const invoiceService: EntityService = {
  entity: 'Invoice',
  known: INVOICE_PROPERTIES,
  build(ctx, incoming, prev) {
    const customerId = optionalRef('Invoice', incoming, 'CustomerRef');
    if (customerId === undefined) throw faults.requiredMissing('CustomerRef');
    const customer = activeRef(ctx, 'Customer', customerId, 'CustomerRef');
    const { lines, total: subtotal } = buildInvoiceLines(ctx, incoming['Line']);
    const calculation = taxCalculation(ctx, incoming);
    const tax = invoiceTax(ctx.company.country, lines, calculation);
    const total = calculation === 'TaxExcluded' ? subtotal.plus(tax.totalTax) : subtotal;
    if (total.isNegative()) throw faults.business('Transaction total cannot be negative', 'TotalAmt');
    const applied = prev ? appliedToInvoice(ctx, prev.id).total : undefined;
    const prevCustomer = prev?.object['CustomerRef'];
    if (applied && !applied.isZero() && isObject(prevCustomer) && prevCustomer['value'] !== customerId) {
      throw faults.business('The customer of an invoice with payments applied cannot change', 'CustomerRef');
    }
    if (applied && total.lessThan(applied)) throw faults.business('The invoice total cannot be less than the payments applied to it', 'TotalAmt');
    const txnDate = optionalDate('Invoice', incoming, 'TxnDate') ?? formatQboDate(ctx.clock.now());
    const out: QboObject = {
      AllowIPNPayment: false,
      AllowOnlinePayment: false,
      AllowOnlineCreditCardPayment: false,
      AllowOnlineACHPayment: false,
      CustomField: [{ DefinitionId: '1', Name: 'Crew #', Type: 'StringType' }],
    };
    const docNumber = docNumberFor(ctx, incoming, prev);
    if (docNumber !== undefined) out['DocNumber'] = docNumber;
    out['TxnDate'] = txnDate;
    out['CurrencyRef'] = currencyOf(ctx.company.country);
    out['LinkedTxn'] = prev && Array.isArray(prev.object['LinkedTxn']) ? prev.object['LinkedTxn'] : [];
    out['Line'] = lines;
    out['TxnTaxDetail'] = tax.detail;
    out['CustomerRef'] = { value: customerId, name: String(customer['DisplayName']) };
    for (const key of COPIED) {
      const value = incoming[key];
      if (value !== undefined && value !== null) out[key] = structuredClone(value);
    }
    maxLength('PrivateNote', optionalString('Invoice', incoming, 'PrivateNote'), 4000);
    checkBillEmail(incoming);
    for (const addr of ['BillAddr', 'ShipAddr'] as const) {
      if (out[addr] === undefined && isObject(customer[addr])) out[addr] = structuredClone(customer[addr]);
    }
    const term = optionalRef('Invoice', incoming, 'SalesTermRef');
    if (term !== undefined) activeRef(ctx, 'Term', term, 'SalesTermRef');
    out['DueDate'] = optionalDate('Invoice', incoming, 'DueDate') ?? addDays(txnDate, dueDays(ctx, term ?? refValue(customer['SalesTermRef'])));
    if (ctx.company.country !== 'US') out['GlobalTaxCalculation'] = calculation;
    out['TotalAmt'] = jsonNumber(total);
    out['ApplyTaxAfterDiscount'] = false;
    out['PrintStatus'] = optionalString('Invoice', incoming, 'PrintStatus') ?? 'NeedToPrint';
    out['EmailStatus'] = optionalString('Invoice', incoming, 'EmailStatus') ?? 'NotSet';
    out['Balance'] = jsonNumber(applied ? total.minus(applied) : total);
    return out;
  },
  guardChange(ctx, prev, operation) {
    if (prev.voided && operation !== 'delete') throw faults.business('This transaction has been voided and can no longer be changed', 'Id');
    // Unverified: QBO may unlink the payments instead; refusing is the stricter choice.
    if (operation === 'delete' && appliedToInvoice(ctx, prev.id).paymentIds.length > 0) {
      throw faults.business('This invoice has payments applied to it. Remove the payments first.', 'Id');
    }
  },
  afterWrite(ctx, saved, prev) {
    refreshCustomerBalance(ctx, customerOf(saved));
    if (customerOf(prev) !== customerOf(saved)) refreshCustomerBalance(ctx, customerOf(prev));
  },
  afterDelete(ctx, deleted) {
    // An invoice with payments cannot be deleted (see guardChange), so only its customer's balance changes.
    refreshCustomerBalance(ctx, customerOf(deleted));
  },
  voided(_ctx, record: StoredRecord) {
    return {
      ...withoutServerFields(record.object),
      PrivateNote: 'Voided',
      Line: zeroedLines(record.object['Line']),
      TxnTaxDetail: { TotalTax: 0 },
      TotalAmt: 0,
      Balance: 0,
    };
  },
};

const CALCULATIONS: TaxCalculation[] = ['TaxExcluded', 'TaxInclusive', 'NotApplicable'];

/** US companies always add tax on top; elsewhere GlobalTaxCalculation decides (default TaxExcluded). */
function taxCalculation(ctx: ApiContext, incoming: QboObject): TaxCalculation {
  if (ctx.company.country === 'US') return 'TaxExcluded';
  const sent = optionalString('Invoice', incoming, 'GlobalTaxCalculation') ?? 'TaxExcluded';
  const known = CALCULATIONS.find((c) => c === sent);
  if (!known) throw faults.invalidEnumeration('GlobalTaxCalculation', sent);
  return known;
}

function withoutServerFields(object: QboObject): QboObject {
  const { Id: _id, SyncToken: _token, MetaData: _meta, domain: _domain, sparse: _sparse, ...rest } = object;
  return rest;
}

function refValue(ref: unknown): string | undefined {
  return isObject(ref) && typeof ref['value'] === 'string' ? ref['value'] : undefined;
}

function dueDays(ctx: ApiContext, termId: string | undefined): number {
  const prefs = ctx.store.get(ctx.realmId, 'Preferences', '1')?.object;
  const salesPrefs = prefs && isObject(prefs['SalesFormsPrefs']) ? prefs['SalesFormsPrefs'] : undefined;
  const id = termId ?? refValue(salesPrefs?.['DefaultTerms']);
  const term = id ? ctx.store.get(ctx.realmId, 'Term', id)?.object : undefined;
  return typeof term?.['DueDays'] === 'number' ? term['DueDays'] : DEFAULT_DUE_DAYS;
}


function checkBillEmail(incoming: QboObject): void {
  const email = incoming['BillEmail'];
  if (email === undefined || email === null) return;
  if (!isObject(email)) throw faults.unsupportedProperty('Invoice', 'BillEmail');
  const address = optionalString('Invoice', email, 'Address');
  maxLength('BillEmail.Address', address, 100);
  if (address !== undefined && address !== '' && !isEmailShaped(address)) throw faults.invalidEmail('BillEmail.Address');
}

/**
 * DocNumber by the CustomTxnNumbers preference (Intuit's Invoice reference):
 * - on: the client's number is kept; none sent means none at all, unless AutoDocNumber asks for QBO's next.
 * - off: an invoice created without one gets the company's next number (1001, 1002, …). One that is sent
 *   is kept as sent and does not move the company's sequence, so later own numbers may repeat it (Intuit:
 *   "do not send a value as it can lead to unwanted duplicates"). An update keeps the number unless a new
 *   one is sent.
 * Either way a sent number that another live invoice already carries is 6140 unless
 * include=allowduplicatedocnum (with custom numbers off this is the sandbox's stricter reading).
 */
function docNumberFor(ctx: ApiContext, incoming: QboObject, prev: StoredRecord | undefined): string | undefined {
  const sent = optionalString('Invoice', incoming, 'DocNumber');
  maxLength('DocNumber', sent, MAX_DOC_NUMBER);
  const own = !ctx.company.customTxnNumbers || incoming['AutoDocNumber'] === true;
  if (sent === undefined || sent === '') {
    if (!own) return undefined;
    const kept = prev?.object['DocNumber'];
    return typeof kept === 'string' ? kept : ctx.store.nextDocNumber(ctx.realmId);
  }
  if (sent !== prev?.object['DocNumber'] && !ctx.include.has('allowduplicatedocnum')) {
    const clash = ctx.store.indexed(ctx.realmId, 'docNumber', sent).some((r) => !r.deleted && r.id !== prev?.id);
    if (clash) throw faults.duplicateDocNumber(sent);
  }
  return sent;
}
