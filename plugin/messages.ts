/**
 * Every text the admin reads, in one place, written for a bookkeeper rather than a developer.
 * Pages look texts up by code, so a URL can only ever select one of these, never inject its own words.
 */

import type { MatchOn, PlanAction, PlanReasonCode } from './sync/plan/types';

export type NoticeTone = 'success' | 'info' | 'warning' | 'error';

export const CONNECT_NOTICES = {
  connected: { tone: 'success', text: 'Connected to QuickBooks. Your QuickBooks company is now linked to this Work account.' },
  reconnected: { tone: 'success', text: 'Reconnected to QuickBooks. Syncing picks up where it left off; nothing waiting was lost.' },
  disconnected: {
    tone: 'info',
    text: 'Disconnected from QuickBooks. Your links between Work and QuickBooks records are kept, so reconnecting the same company later creates no duplicates.',
  },
  access_denied: { tone: 'info', text: 'You cancelled the connection in QuickBooks, so nothing was changed. Click "Connect to QuickBooks" to try again.' },
  intuit_error: { tone: 'error', text: 'QuickBooks did not complete the sign-in, so nothing was changed. Please try again in a few minutes.' },
  state_unknown: { tone: 'error', text: 'This QuickBooks sign-in link is not one we started, so it was ignored and nothing was changed. Click "Connect to QuickBooks" to start again.' },
  state_used: { tone: 'error', text: 'This QuickBooks sign-in link was already used, so it was ignored and nothing was changed. Click "Connect to QuickBooks" to start again.' },
  state_expired: { tone: 'error', text: 'The QuickBooks sign-in took too long and expired, so nothing was changed. Click "Connect to QuickBooks" to start again.' },
  state_other_session: {
    tone: 'error',
    text: 'This QuickBooks sign-in was started in another browser, by another user, or at another address of Work (a browser keeps separate sign-ins for each address, such as localhost and 127.0.0.1), so it was ignored and nothing was changed. Click "Connect to QuickBooks" here to start again.',
  },
  missing_code: { tone: 'error', text: 'QuickBooks sent us back without the approval we need, so nothing was changed. Click "Connect to QuickBooks" to try again.' },
  bad_realm: { tone: 'error', text: 'QuickBooks sent us back without a valid company, so nothing was changed. Click "Connect to QuickBooks" to try again.' },
  code_rejected: { tone: 'error', text: 'QuickBooks did not accept the approval (it may have been used already or expired), so nothing was changed. Click "Connect to QuickBooks" to try again.' },
  token_unreachable: { tone: 'error', text: 'We could not reach QuickBooks to finish connecting, so nothing was changed. Please try again in a few minutes.' },
  company_unreadable: {
    tone: 'error',
    text: 'We could not read this company\'s details from QuickBooks, so it was not connected. Only QuickBooks Online companies (Simple Start, Essentials, Plus or Advanced) can be connected.',
  },
  company_unreachable: {
    tone: 'error',
    text: 'We could not reach QuickBooks to read your company\'s details, so nothing was changed. Please try again in a few minutes.',
  },
  self_employed: {
    tone: 'error',
    text: 'This is a QuickBooks Self-Employed company, which cannot be connected. Only QuickBooks Online companies (Simple Start, Essentials, Plus or Advanced) can be connected.',
  },
  unsupported_sku: {
    tone: 'error',
    text: 'This QuickBooks plan is not supported, so it was not connected. Only QuickBooks Online companies (Simple Start, Essentials, Plus or Advanced) can be connected.',
  },
  realm_taken: {
    tone: 'error',
    text: 'This QuickBooks company is already linked to another Work account. A QuickBooks company can be linked to only one Work account, so it was not connected.',
  },
  mappings_exist: {
    tone: 'error',
    text: 'This Work account is already linked to a different QuickBooks company and has records synced with it. To switch companies, the links must first be cleared with an explicit "Reset mappings"; nothing was changed.',
  },
  not_connected: { tone: 'info', text: 'This Work account is not connected to QuickBooks, so there was nothing to disconnect.' },
  disconnect_unreachable: {
    tone: 'error',
    text: 'We could not reach QuickBooks to end the connection, so it is still connected. Please try again in a few minutes.',
  },
  csrf_failed: { tone: 'error', text: 'This page was out of date, so that action was not carried out. Please try again.' },
  connection_busy: {
    tone: 'error',
    text: 'QuickBooks was busy renewing this connection\'s sign-in, so nothing was changed. Please try again in a minute.',
  },
  other_address: {
    tone: 'error',
    text: 'You are using Work at a different address from the one QuickBooks sends you back to, so connecting could not finish here. Open Work at its configured address, sign in, and click "Connect to QuickBooks" there.',
  },
} as const satisfies Record<string, { tone: NoticeTone; text: string }>;

export type NoticeCode = keyof typeof CONNECT_NOTICES;

export function isNoticeCode(value: unknown): value is NoticeCode {
  return typeof value === 'string' && Object.hasOwn(CONNECT_NOTICES, value);
}

/** The health report's problems, for the operator reading a monitoring alert (what, why, what to do). */
export const HEALTH_PROBLEMS = {
  needs_reconnect: 'QuickBooks stopped accepting this connection; syncing is paused until an admin reconnects on the QuickBooks settings page.',
  not_connected: 'Changes are waiting but the account is not connected to QuickBooks; they are sent once an admin connects.',
  queue_stalled: 'The oldest change waiting for QuickBooks has waited longer than expected; check that the sync worker is running.',
  queue_stuck: 'Changes have waited for QuickBooks for over an hour; the sync worker is probably not running or QuickBooks keeps refusing them.',
  failures: 'Some changes failed to reach QuickBooks in the last 24 hours; see the sync log on the QuickBooks settings page.',
  last_run_failed: 'The last sync run failed; see its error and the sync log.',
  run_stuck: 'A sync run has been running for over two hours; its worker may have stopped.',
  pulls_waiting: 'QuickBooks reported changes (webhooks) that no worker has pulled yet; check that the sync worker is running.',
  first_sync_pending: 'Changes are waiting for this account\'s first sync: an admin starts it on the QuickBooks settings page after checking the preview; after that they are sent by themselves.',
  leases_expired: 'Changes a stopped sync worker was sending have not been taken back by another worker; check that the sync worker is running (nothing is lost, they are sent once one runs).',
} as const;

export type HealthProblem = keyof typeof HEALTH_PROBLEMS;

export const CONNECTION_TEXTS = {
  title: 'QuickBooks Online',
  notConnected: 'Not connected to QuickBooks yet.',
  connectButton: 'Connect to QuickBooks',
  reconnectButton: 'Reconnect to QuickBooks',
  disconnectButton: 'Disconnect',
  disconnectHint: 'Disconnecting stops syncing and signs this account out of QuickBooks. Links between records are kept.',
  status: {
    connected: 'Connected',
    needs_reconnect: 'Needs reconnect',
    disconnected: 'Disconnected',
  },
  needsReconnectBanner:
    'QuickBooks stopped accepting this connection, so syncing is paused. Nothing is lost: changes wait in the queue. Click "Reconnect to QuickBooks" and sign in again to resume.',
  companyUnavailableBanner:
    'QuickBooks no longer lets us reach this company: it may have been deleted or closed, or this app\'s access to it was removed. Syncing is paused and nothing is lost: changes wait in the queue. Click "Reconnect to QuickBooks" and sign in to the company again to resume.',
  accessRefusedBanner:
    'QuickBooks refused this connection\'s sign-in even after renewing it, so syncing is paused. Nothing is lost: changes wait in the queue. Click "Reconnect to QuickBooks" and sign in again to resume.',
  hardExpiryWarning: (date: string) =>
    `QuickBooks requires signing in again every five years. This connection expires on ${date}; reconnect before then to keep syncing.`,
  disconnectedNote: (company: string) => `Previously connected to ${company}. Reconnecting the same company reuses all existing links.`,
} as const;

/**
 * Why a record of a sync ended as it did, by the reason code the sync log stores (qbo_sync_log.reason_code).
 * Written for a bookkeeper: what happened, why, and what to do.
 */
export const SYNC_REASONS = {
  linked_company_and_email: 'Linked to the QuickBooks customer with the same company name and email. Nothing was created.',
  linked_company: 'Linked to the QuickBooks customer with the same company name (there was no matching email). Nothing was created.',
  linked_existing_name: 'QuickBooks already had a customer with this name and the same details, so the two were linked instead of creating a duplicate.',
  linked_site: 'Linked to the existing sub-customer of the same name under this client in QuickBooks. Nothing was created.',
  created_in_qbo: 'Created in QuickBooks.',
  created_sub_customer: 'Created in QuickBooks as a sub-customer under its client.',
  created_in_work: 'Created in Work from the active QuickBooks customer.',
  created_site_in_work: 'Created in Work as a site of its client, from the QuickBooks sub-customer.',
  updated_in_qbo: 'Changes made in Work were sent to QuickBooks.',
  updated_in_work: 'Changes made in QuickBooks were copied to Work.',
  unchanged: 'Already the same on both sides; nothing was sent.',
  conflict_newer_wins:
    'This field was changed in both Work and QuickBooks since the last sync. The newer change was kept on both sides; the other value is shown here so you can restore it if needed.',
  ambiguous_match:
    'More than one possible match was found, so nothing was linked or created. Open the review list and choose which record to link, create a new one, or skip it.',
  blank_name: 'This record has no company name, no contact name and no email, so it cannot be named in QuickBooks. Add a name in Work, then sync again.',
  duplicate_in_work:
    'Another Work client has the same company name, so we cannot tell which one QuickBooks means. Rename or merge one of them in Work, then sync again.',
  duplicate_in_qbo:
    'QuickBooks has more than one customer with this name, so we cannot tell which one to use. Merge or rename them in QuickBooks, then sync again.',
  name_taken_by_vendor: 'A QuickBooks vendor already uses this name, and QuickBooks needs names to be unique. Rename the vendor or the Work client, then sync again.',
  name_taken_by_employee: 'A QuickBooks employee already uses this name, and QuickBooks needs names to be unique. Rename the employee or the Work client, then sync again.',
  name_taken_by_inactive_customer:
    'An inactive QuickBooks customer already uses this name. Inactive customers are not imported, but QuickBooks still reserves their names. Reactivate that customer to link it, or rename one of them.',
  name_taken_by_customer: 'Another QuickBooks customer already uses this name. Rename one of them, then sync again.',
  parent_not_ready: 'This site waits for its client to be synced first. It will go through once its client is linked.',
  parent_inactive: 'The client of this site is inactive in QuickBooks, so the site was not synced. Reactivate the client in QuickBooks to sync its sites.',
  too_long: 'A name was longer than QuickBooks allows, so it was shortened. Work keeps the full name.',
  forbidden_characters: 'QuickBooks does not allow colons, tabs or line breaks in names, so they were replaced with spaces. Work keeps the original.',
  control_characters: 'Invisible control characters were removed from a name before sending it to QuickBooks.',
  invalid_email: 'The email address is not valid for QuickBooks (it needs an @ and a dot), so it was left out. Correct it in Work to send it.',
  name_suffixed: 'QuickBooks already had this name, so a number was added to make it unique. Work keeps the original name.',
  name_from_person: 'The client has no company name, so its contact name is used as its name in QuickBooks.',
  name_from_email: 'The client has no company or contact name, so its email is used as its name in QuickBooks.',
  site_not_synced_continuously: 'Sites are copied to QuickBooks only during the first sync; later changes to sites are not sent (your chosen rule).',
  sub_customer_not_synced_continuously:
    'A sub-customer was added or changed in QuickBooks. Sites are copied only during the first sync (your chosen rule), so Work was not changed; add the site in Work by hand if you need it.',
  deleted_in_work_not_in_qbo:
    'This client was deleted in Work. QuickBooks customers are never deleted by the sync, so it is still in QuickBooks; make it inactive there if you no longer need it.',
  record_gone_in_work: 'This record no longer exists in Work, so there was nothing to send.',
  customer_inactive_in_qbo: 'This customer was made inactive in QuickBooks. Work was not changed; reactivate it in QuickBooks or make the client inactive in Work.',
  customer_deleted_in_qbo:
    'This customer was deleted or merged into another one in QuickBooks, so the link no longer works. Work was not changed; link the client again from the review list.',
  stale_retried: 'Someone changed this customer in QuickBooks while we were sending; we read it again, merged both changes and sent it once more.',
  stale_failed: 'Someone kept changing this customer in QuickBooks while we were sending, so this change was not sent. It will be tried again.',
  qbo_refused: 'QuickBooks refused this record. The message from QuickBooks is shown with it; correct the record in Work and it will be sent again.',
  qbo_unreachable: 'QuickBooks could not be reached or did not answer in time. Nothing was lost; this record will be tried again automatically.',
  qbo_throttled: 'QuickBooks asked us to slow down. Nothing was lost; this record will be tried again automatically.',
  work_refused: 'Work refused to save this record. It will be tried again; if it keeps failing, check the record in QuickBooks.',
  connection_paused: 'The QuickBooks connection needs a reconnect, so nothing was sent. Reconnect on the settings page; waiting changes are kept.',
  internal_error: 'Something unexpected went wrong with this record. It will be tried again; if it keeps failing, contact support with the log entry.',
} as const;

export type SyncReasonCode = keyof typeof SYNC_REASONS;

export const SYNC_TEXTS = {
  alreadyRunning: 'A sync is already running for this account. It will finish on its own; there is no need to start another.',
  notConnected: 'This account is not connected to QuickBooks, so nothing can be synced. Connect it on the settings page first.',
  needsReconnect: 'The QuickBooks connection needs a reconnect, so syncing is paused. Reconnect on the settings page; nothing waiting is lost.',
  runAbandoned: 'This sync stopped before it finished (the server was restarted or the worker stopped). The next sync continues where it left off.',
  runFailed: 'This sync stopped because of an error. Nothing already done was lost; the next sync continues where it left off.',
  runCancelled: 'This sync was cancelled. What it had already done is kept; the next sync continues where it left off.',
} as const;

// ---------------------------------------------------------------- onboarding plan and readiness preview (sync/plan)

/** Why a client, customer, site or sub-customer is reviewed, blocked or fixed: what happened, why, what to do. */
export const PLAN_REASON_TEXTS = {
  blank_name:
    'This record has no name we can use: no company name, no first or last name and no valid email. QuickBooks needs a name for every customer, so it was not synced. Add a company name (or a contact name) and sync again.',
  duplicate_in_work:
    'Another client in Work has the same name, so we cannot tell which one is the QuickBooks customer and nothing was created. Merge or rename the duplicate clients in Work, then sync again.',
  duplicate_in_qbo:
    'Another active customer in QuickBooks has the same company name, so importing both would make duplicate clients in Work. Merge or make inactive the duplicate in QuickBooks, or give each a different company name, then sync again.',
  ambiguous_match:
    'More than one record could be the same customer (same company name, and the email did not settle it), so we did not guess. Choose the right one in the review list: link them, create a new customer, or skip.',
  name_taken_by_vendor:
    'A vendor in QuickBooks already uses this name, and QuickBooks does not allow a customer and a vendor to share a name. The customer is created with a number added, for example "Acme (2)"; rename it in QuickBooks if you prefer another name.',
  name_taken_by_employee:
    'An employee in QuickBooks already uses this name, and QuickBooks does not allow a customer and an employee to share a name. The customer is created with a number added, for example "Jo Lee (2)"; rename it in QuickBooks if you prefer another name.',
  name_taken_by_inactive_customer:
    'An inactive customer in QuickBooks already uses this name. It is probably the same customer, so we did not create a second one. Make that customer active again in QuickBooks (it will then be linked on the next sync), or rename the client in Work.',
  name_taken_by_customer:
    'A QuickBooks customer already uses this name but did not match by company name and email, so it may or may not be the same customer. Choose in the review list: link them, create a new customer, or skip.',
  parent_not_ready:
    'This site belongs to a client that is not synced yet (it is waiting in the review list or blocked). Resolve the client first; the site follows on the next sync.',
  parent_inactive:
    'This sub-customer belongs to a customer that is inactive in QuickBooks, and only active customers are brought into Work. Make the customer active in QuickBooks if this site should come to Work.',
  too_long:
    'A name or field is longer than QuickBooks allows (for example 100 characters for a company name), so it was shortened in QuickBooks. Work keeps the full text.',
  forbidden_characters:
    'QuickBooks does not allow colons, tabs, line breaks or invisible control characters in names, so they were replaced in QuickBooks (a colon becomes "-", a line break a space). Work keeps the original.',
  invalid_email:
    'The email address is not one QuickBooks accepts (it needs an @ and a dot, at most 100 characters), so it was not sent. Correct the email in Work and it will be sent on the next sync.',
} as const satisfies Record<PlanReasonCode, string>;

export function planReasonText(code: PlanReasonCode): string {
  return PLAN_REASON_TEXTS[code];
}

/** What the preview says each planned action will do. */
export const PLAN_ACTION_TEXTS = {
  already_linked: 'Already linked: it will keep syncing.',
  link: 'Found in both: they will be linked, with no new record.',
  create_in_qbo: 'Only in Work: it will be created in QuickBooks.',
  create_in_work: 'Only in QuickBooks: it will be created in Work.',
  review: 'Needs your choice in the review list before it syncs.',
  blocked: 'Will not sync until the problem below is fixed.',
} as const satisfies Record<PlanAction, string>;

export const PLAN_MATCH_TEXTS = {
  company_and_email: 'matched on company name and email',
  company: 'matched on company name',
  site_name: 'matched on site name under the same client',
} as const satisfies Record<MatchOn, string>;
// ---------------------------------------------------------------- invoices and payments (issue 12)
// One text per reason code of plugin/sync (mappers/invoice-invoice.ts, mappers/payment-payment.ts,
// plan/item-resolution.ts, plan/invoice-eligibility.ts, plan/settings-rules.ts, plan/reconcile.ts).
// The log shows the text; the record's own facts (numbers, names) go beside it as the entry's detail.
// (Type imports kept beside this section so the file's other sections stay untouched.)
import type { InvoiceRefusalCode, InvoiceWarningCode } from './sync/mappers/invoice-invoice';
import type { PaymentRefusalCode, PaymentWarningCode } from './sync/mappers/payment-payment';
import type { SkipReason, WaitReason } from './sync/plan/invoice-eligibility';
import type { SettingsErrorCode } from './sync/plan/settings-rules';

export const INVOICE_REFUSAL_TEXTS = {
  no_lines: 'This invoice has no lines, and QuickBooks needs at least one, so it was not sent. Add a line in Work; it will be sent on the next sync.',
  invalid_number: 'A quantity or price on this invoice is not a number QuickBooks can take, so the invoice was not sent. Correct the line in Work; it will be sent on the next sync.',
  amount_too_large: 'An amount on this invoice is larger than QuickBooks allows (9,999,999,999.99), so the invoice was not sent. Check the quantities and prices in Work.',
  negative_total: 'This invoice adds up to less than zero, and QuickBooks does not accept negative invoices, so it was not sent. Record a credit in QuickBooks instead, or correct the invoice in Work.',
  too_many_lines: 'This invoice has more than 750 lines, the most a taxable QuickBooks invoice can hold, so it was not sent. Split it into smaller invoices in Work.',
  missing_item: 'A line of this invoice has no QuickBooks product or service yet, so the invoice waits. It will be sent once the product or service exists in QuickBooks.',
  missing_customer: 'This invoice\'s client is not in QuickBooks yet, so the invoice waits. It will be sent once the client is synced.',
  invalid_date: 'This invoice has a date QuickBooks cannot read, so it was not sent. Correct the invoice date or due date in Work.',
  tax_codes_missing: 'No QuickBooks tax codes are chosen for taxable and non-taxable lines, so invoices wait. Choose them in the QuickBooks settings.',
} as const satisfies Record<InvoiceRefusalCode, string>;

export const INVOICE_WARNING_TEXTS = {
  zero_total: 'This invoice totals 0.00. It was sent; QuickBooks shows it as paid.',
  line_sent_as_total:
    'QuickBooks could not hold this line\'s quantity and price exactly (too many decimals, or a total that falls on half a cent), so the line was sent as quantity 1 at its total; Work\'s quantity and price are in the line description.',
  doc_number_shortened:
    'The Work invoice number is longer than the 21 characters QuickBooks allows, so a shortened number was sent; the full number is in the invoice\'s private note in QuickBooks.',
  doc_number_by_qbo:
    'Your QuickBooks company numbers invoices itself (custom transaction numbers are off), so QuickBooks gave this invoice its own number. The Work number is in the invoice\'s private note in QuickBooks.',
  no_invoice_number: 'This Work invoice has no number, so it was sent without one. Give it a number in QuickBooks or in Work.',
  description_truncated: 'A line description was longer than the 4,000 characters QuickBooks allows, so it was cut.',
  work_total_mismatch: 'The subtotal stored on this Work invoice is not the sum of its lines. The lines were sent as they are; check the invoice in Work.',
} as const satisfies Record<InvoiceWarningCode, string>;

export const PAYMENT_REFUSAL_TEXTS = {
  invalid_number: 'This payment\'s amount is not a number QuickBooks can take, so it was not sent. Correct it in Work.',
  zero_amount: 'This payment is for 0.00, so there was nothing to record in QuickBooks and it was not sent.',
  negative_amount: 'This payment is negative, and QuickBooks records refunds differently, so it was not sent. Record the refund in QuickBooks.',
  amount_too_large: 'This payment is larger than QuickBooks allows (9,999,999,999.99), so it was not sent. Check the amount in Work.',
  invalid_date: 'This payment has a date QuickBooks cannot read, so it was not sent. Correct the payment date in Work.',
  missing_customer: 'This payment\'s client is not in QuickBooks yet, so the payment waits. It will be sent once the client is synced.',
} as const satisfies Record<PaymentRefusalCode, string>;

export const PAYMENT_WARNING_TEXTS = {
  exceeds_invoice_balance:
    'This payment is more than what is still open on its invoice in QuickBooks. The open amount was applied to the invoice and the rest is left as a credit on the customer in QuickBooks. Small differences usually come from tax rounding (see the invoice\'s totals).',
  invoice_already_paid: 'The invoice of this payment is already fully paid in QuickBooks, so the whole payment is left as a credit on the customer in QuickBooks. Apply or refund it there.',
  unapplied_no_invoice: 'This payment belongs to no invoice in Work, so it was recorded in QuickBooks as a credit on the customer. Apply it to an invoice there if needed.',
  reference_shortened: 'The payment reference is longer than the 21 characters QuickBooks allows, so a shortened reference was sent; the full reference is in the payment\'s private note in QuickBooks.',
  method_not_found: 'QuickBooks has no payment method with this payment\'s method name, so the payment was sent without a method. Add the method in QuickBooks to have it filled in next time.',
  amount_rounded: 'This payment\'s amount had more than two decimals, so it was rounded to the cent for QuickBooks.',
} as const satisfies Record<PaymentWarningCode, string>;

export const ITEM_TEXTS = {
  item_name_blank: 'This line\'s product or service has no name QuickBooks can use, so its invoice waits. Give the item a name in Work.',
  item_name_not_sellable:
    'A QuickBooks category or bundle already has this product or service\'s name, and it cannot be used on an invoice line, so the invoice waits. Rename one of them.',
  item_inactive:
    'The QuickBooks product or service with this name is inactive, so the invoice waits. Make it active again in QuickBooks (or rename the item in Work); the invoice will be sent on the next sync.',
  forbidden_characters: 'The product or service name had characters QuickBooks does not allow in names (colon, tab, line break or double quote); they were replaced by spaces.',
  too_long: 'The product or service name was longer than the 100 characters QuickBooks allows, so it was cut.',
} as const;

export const INVOICE_PAYMENT_SKIP_TEXTS = {
  invoices_off: 'Invoice sync is off, so this invoice was not sent.',
  payments_off: 'Payment sync is off, so this payment was not sent.',
  payments_need_invoices: 'Payments are sent only while invoice sync is on, so this payment was not sent.',
  before_invoice_sync: 'This invoice was created and last changed before invoice sync was turned on, so it is not sent (past invoices never are). Changing it in Work sends it.',
  before_payment_sync: 'This payment was created and last changed before payment sync was turned on, so it is not sent.',
  deleted_in_work: 'This record was deleted in Work. Deletions are never copied to QuickBooks: if it is in QuickBooks, delete it there by hand if it should go.',
  invoice_not_synced: 'This payment\'s invoice is not sent to QuickBooks (it is older than invoice sync, deleted, or refused), so the payment is not sent either. Record it in QuickBooks by hand if needed.',
} as const satisfies Record<SkipReason, string>;

const ACCOUNT_WAITS = {
  account_missing: 'no account is chosen',
  account_not_found: 'the chosen account no longer exists in QuickBooks',
  account_inactive: 'the chosen account was made inactive in QuickBooks',
  account_wrong_type: 'the chosen account is not of a type that can be used for this',
} as const;
const TAX_CODE_WAITS = {
  tax_code_missing: 'no tax code is chosen',
  tax_code_not_found: 'the chosen tax code no longer exists in QuickBooks',
  tax_code_inactive: 'the chosen tax code was made inactive in QuickBooks',
} as const;
const WAIT_ENDING = 'Nothing is lost: it waits and is sent once this is fixed in the QuickBooks settings.';

/** Why an invoice or payment waits, for the log. */
export function invoicePaymentWaitText(reason: WaitReason): string {
  if (reason === 'client_not_linked') return 'The client is not in QuickBooks yet, so this waits. It is sent right after the client is synced.';
  if (reason === 'invoice_not_pushed') return 'This payment\'s invoice is not in QuickBooks yet, so the payment waits. It is sent right after its invoice.';
  for (const [prefix, what] of [['income_', 'Income account for new products and services'], ['expense_', 'expense account for new products and services'], ['deposit_', 'deposit account for payments']] as const) {
    if (reason.startsWith(prefix)) {
      const problem = reason.slice(prefix.length) as keyof typeof ACCOUNT_WAITS;
      return `The ${what}: ${ACCOUNT_WAITS[problem]}. ${WAIT_ENDING}`;
    }
  }
  const [what, problem] = reason.startsWith('non_taxable_') ? ['non-taxable lines', reason.slice('non_taxable_'.length)] : ['taxable lines', reason.slice('taxable_'.length)];
  return `The tax code for ${what}: ${TAX_CODE_WAITS[problem as keyof typeof TAX_CODE_WAITS]}. ${WAIT_ENDING}`;
}

export const INVOICE_SETTINGS_ERROR_TEXTS = {
  payments_need_invoices: 'Payment sync needs invoice sync: turn invoice sync on too, or leave payment sync off.',
  account_missing: 'Choose an account: invoice sync needs an Income account, and payment sync a deposit account.',
  account_not_found: 'This account is not in your QuickBooks company any more. Choose another one.',
  account_inactive: 'This account is inactive in QuickBooks. Choose an active one, or make it active again in QuickBooks.',
  account_wrong_type: 'This account cannot be used here: invoices need an Income account (never Accounts Receivable), expenses an Expense or Cost of Goods Sold account, payments a Bank or Other Current Asset account.',
  tax_code_missing: 'Choose a tax code: companies outside the US need one for taxable and one for non-taxable lines.',
  tax_code_not_found: 'This tax code is not in your QuickBooks company any more. Choose another one.',
  tax_code_inactive: 'This tax code is inactive in QuickBooks. Choose an active one.',
} as const satisfies Record<SettingsErrorCode, string>;

export const INVOICE_PAYMENT_TEXTS = {
  /** Custom transaction numbers off: both numbers in one log line. */
  numberedByQbo: (workNumber: string, qboNumber: string) => `Work invoice ${workNumber} is invoice ${qboNumber} in QuickBooks (QuickBooks numbers invoices itself in your company).`,
  /** An edited Work payment made a new QBO payment: name both. */
  paymentEdited: (workPaymentId: string, earlierQboPaymentId: string | null, newQboPaymentId: string) =>
    `Payment ${workPaymentId} was changed in Work, so a new payment (${newQboPaymentId}) was recorded in QuickBooks. Payments are never edited through the sync: ` +
    (earlierQboPaymentId === null ? 'check QuickBooks for the earlier one and remove it by hand.' : `remove the earlier payment (${earlierQboPaymentId}) in QuickBooks by hand.`),
  paymentDeletedInWork: (workPaymentId: string, qboPaymentId: string | null) =>
    qboPaymentId === null
      ? `Payment ${workPaymentId} was deleted in Work before it reached QuickBooks; nothing was sent.`
      : `Payment ${workPaymentId} was deleted in Work. Deletions are never copied to QuickBooks: delete payment ${qboPaymentId} there by hand if it should go.`,
  /** The FAQ's explanation of a few cents' difference. */
  totalsDiffer: (differenceCents: string) =>
    `The QuickBooks total differs from Work's by ${differenceCents} cent(s). This comes from rounding: Work taxes each line's unrounded amount (up to 4 decimals), while QuickBooks rounds each line to the cent and taxes the invoice total, rounded to 2 decimals.`,
  totalsUnexplained: (differenceCents: string, explainableCents: string) =>
    `The QuickBooks total differs from Work's by ${differenceCents} cent(s), more than rounding can explain (at most ${explainableCents}). Check the invoice in QuickBooks, especially its tax rate.`,
  invalidWorkAmount: 'This invoice\'s stored totals in Work are not numbers, so its totals could not be compared with QuickBooks. Check the invoice in Work.',
} as const;

export const DOC_NUMBER_TEXTS = {
  clashWithQbo: (docNumber: string, qboInvoiceId: string) =>
    `Invoice number ${docNumber} is already used by another invoice in QuickBooks (${qboInvoiceId}), and your company requires unique numbers, so this invoice was not sent. Change the number in Work or in QuickBooks; it is sent on the next sync.`,
  clashInBatch: (docNumber: string) =>
    `Another Work invoice numbered ${docNumber} is being sent, and QuickBooks needs unique invoice numbers, so this one was held back. Give one of them another number in Work.`,
  linked: (docNumber: string, qboInvoiceId: string) =>
    `Invoice ${docNumber} was already in QuickBooks (${qboInvoiceId}) from an earlier attempt, so it was linked instead of being created twice.`,
} as const;

/** QuickBooks faults an invoice or payment push can meet, by fault code, for the log beside the code and intuit_tid. */
export const INVOICE_PAYMENT_FAULT_TEXTS: Readonly<Record<string, string>> = {
  '6070': 'QuickBooks found a line amount that is not its quantity times its price. Nothing was changed; please report this, as the sync computes these amounts itself.',
  '6140': 'QuickBooks already has an invoice with this number, and your company requires unique numbers. Change the number in Work or in QuickBooks; it is sent on the next sync.',
  '6200': 'QuickBooks refused the change because the date falls in a closed accounting period. Reopen the period in QuickBooks (or change the date in Work); it is sent on the next sync.',
  '6210': 'QuickBooks refused the change because the date falls in a closed accounting period. Reopen the period in QuickBooks (or change the date in Work); it is sent on the next sync.',
  '6430': 'QuickBooks refused the account chosen for this: its type cannot be used here. Choose another account in the QuickBooks settings.',
  '6540': 'This payment is already deposited in QuickBooks, so it cannot be changed there any more. Record any correction in QuickBooks by hand.',
  '610': 'This invoice or payment was deleted or made unavailable in QuickBooks, so it was not changed. It is not retried; link or recreate it by hand if it should be there.',
  '5010': 'Someone changed this record in QuickBooks at the same moment. The sync read it again and retried once; if this stays, it is retried on the next sync.',
  '6190': 'Your QuickBooks subscription does not accept changes right now (cancelled, expired or suspended). Nothing was lost: pushes wait until the subscription is active again.',
  '6250': 'The QuickBooks customer of this invoice or payment is inactive or missing. Make the customer active in QuickBooks; it is sent on the next sync.',
};
export const NAV_TEXTS = {
  label: 'QuickBooks Online pages',
  connection: 'Connection',
  settings: 'Settings',
  productsImport: 'Products import',
} as const;

export const SETTINGS_TEXTS = {
  title: 'Sync settings',
  saved: 'Settings saved.',
  saveButton: 'Save settings',
  notConnected: 'Connect to QuickBooks first: the account lists below come from your QuickBooks company. Open "Connection" and click "Connect to QuickBooks".',
  needsReconnect: 'QuickBooks stopped accepting this connection, so we cannot read your accounts. Open "Connection" and click "Reconnect to QuickBooks", then come back here.',
  qboUnreachable: 'We could not read your accounts from QuickBooks just now, so nothing was changed. Please try again in a few minutes.',
  formExpired: 'This form expired or was opened in another browser, so nothing was saved. Reload the page and save again.',
  errorsIntro: 'Nothing was saved. Please fix the following:',
  chooseAccount: 'Choose an account',
  chooseTaxCode: 'Choose a tax code',
  whatToSync: 'What to sync',
  accountsLegend: 'QuickBooks accounts',
  taxLegend: 'Sales tax',
  defaultsLegend: 'Defaults for addresses',
  scheduleLegend: 'Nightly sync',
  clients: 'Sync clients and sites',
  clientsHint: 'Clients become customers in QuickBooks and sites become their sub-customers.',
  invoices: 'Push invoices to QuickBooks',
  invoicesHintOff: 'When you turn this on, only invoices created or changed from that moment on are pushed; earlier invoices stay as they are.',
  invoicesOnSince: (when: string) => `Invoices created or changed since ${when} are pushed to QuickBooks. Earlier invoices are not.`,
  payments: 'Push payments to QuickBooks',
  paymentsHint: 'Payments are recorded against their invoice in QuickBooks, so invoice sync must be on too.',
  incomeAccount: 'Income account for products and services',
  incomeHint: 'Income accounts from your QuickBooks chart of accounts.',
  expenseAccount: 'Expense account for products and services',
  expenseHint: 'Expense and cost of goods sold accounts.',
  depositAccount: 'Deposit payments to',
  depositHint: 'Bank and other current asset accounts: where QuickBooks records the money a payment brings in.',
  taxableCode: 'Tax code for taxable lines',
  exemptCode: 'Tax code for non-taxable lines',
  taxHint: 'Your company is outside the US, so each invoice line needs one of your QuickBooks tax codes.',
  defaultState: 'Default state or province',
  defaultCountry: 'Default country',
  defaultsHint: 'Used when a QuickBooks customer has no state or country in its address.',
  fillSites: 'Fill a site\'s missing details from its client',
  fillSitesHint: 'A sub-customer without an email, phone or address takes its client\'s.',
  nightlyTime: 'Time of the nightly sync',
  timeZone: 'Time zone',
  timeZoneHint: 'For example America/Chicago or Europe/London.',
  problems: {
    paymentsNeedInvoices: 'Payments can only be pushed when invoices are pushed too. Turn on "Push invoices to QuickBooks" or turn payments off.',
    unknownAccount: (field: string) => `The account chosen for "${field}" is not one of this QuickBooks company's accounts. Choose one from the list.`,
    wrongAccountType: (field: string, types: string) => `The account chosen for "${field}" is not of the right type (${types}). Choose one from the list.`,
    requiredAccount: (field: string) => `Choose an account for "${field}".`,
    unknownTaxCode: (field: string) => `The tax code chosen for "${field}" is not one of this QuickBooks company's tax codes. Choose one from the list.`,
    requiredTaxCode: (field: string) => `Choose a tax code for "${field}".`,
    badTime: 'Enter the nightly sync time as hours and minutes, for example 02:30.',
    badTimeZone: 'This time zone is not one we know. Enter a name like America/Chicago or Europe/London.',
    tooLong: (field: string, max: number) => `"${field}" can be at most ${max} characters.`,
    badCountry: 'Enter the country as its two-letter code (US, CA, GB) or leave it empty.',
    badToggle: 'A switch on the form had an unexpected value. Reload the page and try again.',
    controlCharacter: (field: string) => `"${field}" contains a tab, a line break or an invisible character. Retype it as plain text.`,
  },
} as const;

export const IMPORT_TEXTS = {
  title: 'Products import',
  intro: 'Upload the products and services list exported from QuickBooks (Sales › Products and services › Export, or the Product/Service List report exported to Excel). You will see what would change before anything is imported.',
  fileLabel: 'Export file (CSV or Excel .xlsx)',
  fileHint: (maxMb: number) => `At most ${maxMb} MB.`,
  uploadButton: 'Show what would be imported',
  confirmButton: 'Import these products and services',
  previewTitle: 'What this file would change',
  toCreate: 'New items',
  toUpdate: 'Items to update',
  unchanged: 'Already up to date',
  rejected: 'Rows that cannot be imported',
  nothingToDo: 'Everything in this file is already in Work, so importing it would change nothing.',
  imported: (created: number, updated: number) => `Imported: ${created} new ${created === 1 ? 'item' : 'items'}, ${updated} updated.`,
  alreadyImported: 'This file was already imported, so nothing was changed again.',
  importGone: 'This import preview is no longer available. Upload the file again.',
  formExpired: 'This form expired or was opened in another browser, so nothing was imported. Reload the page and upload again.',
  problems: {
    noFile: 'Choose a file to upload.',
    tooLarge: (maxMb: number) => `The file is larger than ${maxMb} MB, so it was not read. Export only your products and services, or split the list.`,
    wrongType: 'This file is not a CSV or Excel (.xlsx) file. Export the list from QuickBooks as CSV or Excel and upload that.',
    empty: 'The file is empty.',
    unreadableXlsx: 'This Excel file could not be opened. Save it again as .xlsx (Excel Workbook) and upload it.',
    badEncoding: 'The file\'s text could not be read. Save it as CSV UTF-8 (or Excel .xlsx) and upload it again.',
    noHeader: 'We could not find the column headings. The file needs at least a "Product/Service Name" (or "Product/Service" or "Name") column.',
    tooManyRows: (max: number) => `The file has more than ${max} rows. Split the list and import it in parts.`,
    formula: (cell: string) => `Cell ${cell} holds a formula. Formulas are never calculated here: export the list from QuickBooks again, or paste the values only, and upload it.`,
    noRows: 'The file has column headings but no products or services below them.',
    unpacksTooLarge: (maxMb: number) =>
      `This Excel file unpacks to more than ${maxMb} MB, far more than a list of products and services needs, so it was not read. Export only your products and services from QuickBooks and upload that file.`,
  },
  reasons: {
    nameMissing: 'The name is empty.',
    nameTooLong: 'The name is longer than 100 characters, which QuickBooks does not allow.',
    nameBadCharacter: 'The name contains a tab, line break, colon or quotation mark, which QuickBooks does not allow in names.',
    nameFormula: 'The name starts with "=", like a spreadsheet formula; it was not imported.',
    nameMarkup: 'The name contains web page code (such as <b> or <script>), so it was not imported.',
    duplicate: 'Another row above has the same name; only the first is imported.',
    badPrice: 'The price is not a number (for example 1,250.50).',
    negativePrice: 'The price is negative.',
    tooManyDecimals: 'The price has more than 7 decimal places, which QuickBooks does not allow.',
    priceTooPrecise: (price: string, decimals: number) =>
      `Work keeps prices to ${decimals} decimal places, and ${price} has more, so it was not imported rather than rounded. Round the price in QuickBooks, export again and import.`,
    badTaxable: 'The "Taxable" column must say Yes or No.',
    notAnItem: (type: string) => `"${type}" rows are not products or services (categories and bundles are not imported).`,
    descriptionTooLong: 'The description is longer than 4,000 characters.',
    skuTooLong: 'The SKU is longer than 100 characters.',
  },
} as const;

/** The address notice, naming both addresses (the generic text above is used when one is unknown). */
export const ADDRESS_TEXTS = {
  otherAddress: (here: string, publicUrl: string) =>
    `You are using Work at ${here}, but QuickBooks sends you back to ${publicUrl} (the address Work is configured with). ` +
    'Your browser keeps separate sign-ins for the two addresses, so connecting could not finish. Nothing was changed. ' +
    `Open Work at ${publicUrl}, sign in, and click "Connect to QuickBooks" there.`,
  openPublicSettings: 'Open the QuickBooks settings at the configured address',
} as const;
// ---------------------------------------------------------------- the engine's admin pages (issue 9)
// Preview, sync now, history, log, review list and the sync status on Work's own pages.

export const SYNC_NAV_TEXTS = {
  preview: 'Readiness preview',
  syncNow: 'Sync now',
  history: 'Run history',
  log: 'Sync log',
  review: 'Review list',
} as const;

/** The plan's actions as short badges (the preview's table and counts). */
export const PLAN_ACTION_BADGES = {
  already_linked: 'Already linked',
  link: 'Will be linked',
  create_in_qbo: 'Created in QuickBooks',
  create_in_work: 'Created in Work',
  review: 'Needs review',
  blocked: 'Blocked',
} as const satisfies Record<PlanAction, string>;

export const PREVIEW_TEXTS = {
  title: 'Readiness preview',
  intro:
    'Before anything is written, here is what the first sync would do with your clients and QuickBooks customers. Nothing has been changed in Work or in QuickBooks by opening this page.',
  countsTitle: 'What the first sync would do',
  filtersTitle: 'Show only',
  filterAction: 'What would happen',
  filterReason: 'Reason',
  filterEntity: 'Record type',
  any: 'All',
  applyFilters: 'Show',
  clearFilters: 'Show everything',
  tableCaption: (shown: number, total: number) => `Records (${shown} of ${total})`,
  columns: { type: 'Type', work: 'In Work', qbo: 'In QuickBooks', action: 'What would happen', why: 'Why' },
  none: 'Nothing matches these filters.',
  startTitle: 'Start the first sync',
  startHint: 'Records that need review or are blocked are left alone; you can fix them afterwards from the review list and the log.',
  startButton: 'Start the first sync',
  alreadyOnboarded: 'The first sync has already run. This preview shows what a new full sync would do now.',
  notInWork: '(only in QuickBooks)',
  notInQbo: '(only in Work)',
  qboRecord: (id: string) => `QuickBooks customer #${id}`,
  createdAs: (name: string) => `as "${name}"`,
  entity: { client: 'Client', site: 'Site' },
  qboUnreachable: 'We could not read your QuickBooks company just now, so the preview could not be made. Nothing was changed. Try again in a few minutes.',
  tooMany: (shown: number) => `Only the first ${shown} records are listed; use the filters to narrow the list.`,
} as const;

export const RUN_KIND_TEXTS = { onboarding: 'First sync', continuous: 'Scheduled sync', manual: 'Sync now' } as const;
export const RUN_STATUS_TEXTS = { running: 'Running', succeeded: 'Finished', failed: 'Stopped by an error', cancelled: 'Cancelled' } as const;
export const RUN_PHASE_TEXTS: Readonly<Record<string, string>> = {
  recovering: 'Finishing what an earlier sync left open',
  reading: 'Reading Work and QuickBooks',
  clients: 'Syncing clients',
  sites: 'Syncing sites',
  pulling: 'Copying changes from QuickBooks',
  pushing: 'Sending changes to QuickBooks',
};

export const ENTITY_TEXTS = { client: 'Clients', site: 'Sites', invoice: 'Invoices', payment: 'Payments', item: 'Products and services', run: 'Whole run' } as const;

export const OUTCOME_TEXTS = {
  linked: 'Linked',
  created_in_qbo: 'Created in QuickBooks',
  created_in_work: 'Created in Work',
  updated_in_qbo: 'Updated in QuickBooks',
  updated_in_work: 'Updated in Work',
  unchanged: 'Unchanged',
  conflict: 'Changed on both sides',
  review: 'Needs review',
  blocked: 'Blocked',
  skipped: 'Skipped',
  failed: 'Failed',
  warning: 'Fixed on the way',
  reported: 'Reported',
} as const;

export const SYNC_NOW_TEXTS = {
  title: 'Sync now',
  intro: 'Sends what changed in Work to QuickBooks and copies what changed in QuickBooks to Work. You can leave this page; the sync goes on.',
  startButton: 'Sync now',
  startFirstButton: 'Start the first sync',
  firstSyncHint: 'The first sync has not run yet. Look at the readiness preview first to see what it would do.',
  cancelButton: 'Cancel this sync',
  cancelHint: 'The sync stops after the records in hand are saved; nothing done so far is undone.',
  started: 'The sync has started. Progress is shown below.',
  alreadyRunning: 'A sync is already running for this account, so no second one was started. Its progress is shown below.',
  cancelRequested: 'Cancelling: the sync stops after the records in hand are saved.',
  nothingToCancel: 'No sync is running, so there was nothing to cancel.',
  noRuns: 'No sync has run yet.',
  currentTitle: 'Current sync',
  lastTitle: 'Last sync',
  progressLabel: 'Progress',
  progressOf: (done: number, expected: number) => `${done} of ${expected} records`,
  progressDone: 'Done',
  progressWorking: 'Working…',
  refreshHint: 'This page refreshes itself every few seconds while the sync runs.',
  phase: 'Step',
  kind: 'Kind',
  started_at: 'Started',
  duration: 'Duration',
  outcome: 'Outcome',
  countsCaption: 'Records per type',
  countsColumns: { entity: 'Type', outcome: 'What happened', count: 'Records' },
  noCounts: 'No records handled yet.',
  problemsLink: 'See the problems in the log',
  reviewLink: (n: number) => `${n} ${n === 1 ? 'match needs' : 'matches need'} your choice in the review list`,
  formExpired: 'This form expired or was opened in another browser, so nothing was started. Reload the page and try again.',
  finished: 'The sync finished.',
  finishedWithProblems: (n: number) => `The sync finished; ${n} ${n === 1 ? 'record needs' : 'records need'} your attention in the log.`,
} as const;

export const HISTORY_TEXTS = {
  title: 'Run history',
  intro: 'Every sync of this account, newest first.',
  caption: 'Sync runs',
  columns: { started: 'Started', kind: 'Kind', duration: 'Duration', counts: 'Records', outcome: 'Outcome', log: 'Log' },
  none: 'No sync has run yet.',
  logLink: 'Log of this run',
  dryRun: 'preview only',
  running: 'still running',
} as const;

export const LOG_TEXTS = {
  title: 'Sync log',
  intro: 'What happened to each record, with the reason in plain words. Retry a failure after fixing it, or dismiss an entry you have dealt with.',
  filtersTitle: 'Filter the log',
  entity: 'Record type',
  outcome: 'What happened',
  run: 'Sync run',
  text: 'Search',
  textHint: 'Words of the reason, a record number, a QuickBooks error code or an intuit_tid.',
  any: 'All',
  apply: 'Filter',
  clear: 'Clear filters',
  exportCsv: 'Download as CSV',
  caption: (n: number) => `Log entries (${n})`,
  tooMany: (n: number) => `Only the newest ${n} entries are listed; use the filters to narrow the list (the CSV holds up to 10,000).`,
  none: 'No log entries match these filters.',
  columns: { select: 'Select', time: 'When', record: 'Record', outcome: 'What happened', reason: 'Reason', fault: 'QuickBooks error', actions: 'Actions' },
  faultCode: 'Error code',
  intuitTid: 'intuit_tid',
  workRecord: (entity: string, id: string) => `${entity} #${id} in Work`,
  qboRecord: (id: string) => `QuickBooks #${id}`,
  retry: 'Retry',
  dismiss: 'Dismiss',
  retrySelected: 'Retry selected',
  dismissSelected: 'Dismiss selected',
  selectEntry: (id: string) => `Select entry ${id}`,
  dismissed: 'Dismissed',
  retryWaiting: 'Retry queued',
  retried: (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'} will be retried on the next sync. Run "Sync now" to retry at once.`,
  dismissedNotice: (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'} dismissed; ${n === 1 ? 'it is' : 'they are'} not retried again.`,
  notRetryable: 'Only failures that are not dismissed can be retried. Nothing was changed.',
  nothingSelected: 'Select at least one entry first.',
  notFound: 'This log entry does not exist for your account.',
  formExpired: 'This form expired or was opened in another browser, so nothing was changed. Reload the page and try again.',
  badFilter: 'One of the filters had a value we do not know, so it was ignored.',
  csvColumns: ['Time (UTC)', 'Run', 'Type', 'Work id', 'QuickBooks id', 'Outcome', 'Reason', 'Fault code', 'intuit_tid', 'Dismissed'],
} as const;

export const REVIEW_TEXTS = {
  title: 'Review list',
  intro: 'These records could be the same customer as more than one record on the other side, so nothing was linked or created. Compare the fields and choose.',
  none: 'Nothing waits for your choice.',
  entryTitle: (entity: string, id: string) => `${entity} review #${id}`,
  field: 'Field',
  thisRecord: (side: string) => `This record (${side})`,
  candidate: (side: string, id: string) => `${side} #${id}`,
  work: 'Work',
  qbo: 'QuickBooks',
  decisionLegend: 'Your choice',
  link: (side: string, id: string) => `Link to ${side} #${id}`,
  create: (side: string) => `Create a new record in ${side}`,
  skip: 'Skip: leave both as they are (later syncs leave this record alone)',
  submit: 'Save my choice',
  linked: 'Linked. Both records now sync together.',
  created: 'Created a new record; the two now sync together.',
  skipped: 'Skipped. Later syncs leave this record alone.',
  chooseOne: 'Choose what to do with this record first.',
  badCandidate: 'The record chosen to link is not one of this entry\'s candidates. Choose one from the list.',
  notFound: 'This review entry does not exist for your account.',
  alreadyResolved: 'This entry was already resolved (perhaps in another window). Nothing was changed.',
  formExpired: 'This form expired or was opened in another browser, so nothing was changed. Reload the page and try again.',
  failed: 'QuickBooks did not accept this choice, so nothing was changed. The reason is in the sync log; try again or choose another option.',
  fields: {
    displayName: 'Name in QuickBooks', companyName: 'Company name', firstName: 'First name', lastName: 'Last name', email: 'Email', phone: 'Phone',
    billLine1: 'Address', billLine2: 'Address line 2', billCity: 'City', billState: 'State', billPostalCode: 'Postal code', billCountry: 'Country',
    notes: 'Notes', active: 'Active', name: 'Name', contactName: 'Contact', line1: 'Address', line2: 'Address line 2', city: 'City', state: 'State',
    postalCode: 'Postal code', country: 'Country', clientId: 'Client in Work', parentId: 'Parent in QuickBooks',
  } as Readonly<Record<string, string>>,
  yes: 'Yes',
  no: 'No',
} as const;

/** The QuickBooks status of a Work record, shown on Work's own pages (lists and detail pages). */
export const RECORD_STATUS_TEXTS = {
  linked: (qboId: string) => `Linked (QuickBooks #${qboId})`,
  waiting: 'Waiting to sync',
  failed: 'Sync failed',
  notSynced: 'Not synced',
  logLink: 'See the sync log',
  label: 'QuickBooks',
} as const;

/** Short names of the plan's reasons, for the preview's reason filter. */
export const PLAN_REASON_LABELS = {
  blank_name: 'No usable name',
  duplicate_in_work: 'Duplicate name in Work',
  duplicate_in_qbo: 'Duplicate name in QuickBooks',
  ambiguous_match: 'More than one possible match',
  name_taken_by_vendor: 'Name used by a vendor',
  name_taken_by_employee: 'Name used by an employee',
  name_taken_by_inactive_customer: 'Name used by an inactive customer',
  name_taken_by_customer: 'Name used by another customer',
  parent_not_ready: 'Client not synced yet',
  parent_inactive: 'Client inactive in QuickBooks',
  too_long: 'Name too long (shortened)',
  forbidden_characters: 'Characters QuickBooks refuses (replaced)',
  invalid_email: 'Email not valid for QuickBooks',
} as const satisfies Record<PlanReasonCode, string>;

// ---------------------------------------------------------------- invoice and payment pushes (sync/flows)

/** What the push flows log about invoices, payments and items: what happened, why, what to do. */
export const PUSH_TEXTS = {
  itemFound: (name: string) => `Found the QuickBooks product or service "${name}" by name; invoice lines that use it point to it. Nothing was created.`,
  itemCreated: (name: string) => `Created the QuickBooks service "${name}" with the chosen income account, for invoice lines that use it. It is created only once.`,
  itemNotCreated:
    'A product or service of this invoice could not be created in QuickBooks yet (see that item\'s log entry), so the invoice waits. Nothing is lost; it is sent once the item exists.',
  invoiceCreated: 'Invoice created in QuickBooks.',
  invoiceUpdated: 'Changes made in Work were sent to the QuickBooks invoice (its lines were replaced by Work\'s).',
  invoiceUnchanged: 'This invoice is the same as what was last sent to QuickBooks, so nothing was sent.',
  invoiceStopped:
    'The QuickBooks invoice this Work invoice was sent to is voided or deleted in QuickBooks, so later changes are not sent to it. Recreate or link it in QuickBooks by hand if it should be there.',
  invoiceDeletedInWork: (qboInvoiceId: string | null) =>
    qboInvoiceId === null
      ? 'This invoice was deleted in Work before it reached QuickBooks; nothing was sent.'
      : `This invoice was deleted in Work. Deletions are never copied to QuickBooks: delete or void invoice ${qboInvoiceId} there by hand if it should go.`,
  staleRetried: 'Someone changed this invoice in QuickBooks while we were sending; we read it again and sent Work\'s version once more (Work is the master for invoices).',
  paymentCreated: 'Payment recorded in QuickBooks and applied to its invoice.',
  paymentUnchanged: 'This payment is already in QuickBooks as it is in Work, so nothing was sent.',
  recovered: 'QuickBooks had already stored this record from an earlier attempt whose answer was not saved (the worker stopped). It was linked, not created again.',
  reconciled: 'The QuickBooks total equals Work\'s total (to the cent).',
} as const;

export const RECONCILIATION_TEXTS = {
  title: 'Invoice totals',
  intro:
    'Invoices sent to QuickBooks whose total there differs from Work\'s. Small differences come from rounding (QuickBooks rounds each line to the cent before tax); larger ones need a look in QuickBooks.',
  nav: 'Invoice totals',
  caption: (n: number) => `Invoices with a different total (${n})`,
  none: 'Every invoice sent to QuickBooks has the same total there as in Work.',
  columns: { invoice: 'Invoice in Work', qbo: 'In QuickBooks', workTotal: 'Total in Work', qboTotal: 'Total in QuickBooks', difference: 'Difference', why: 'Why' },
  explained: 'Rounding',
  unexplained: 'Check in QuickBooks',
  invoice: (number: string) => `Invoice ${number}`,
  unknownInvoice: (id: string) => `Invoice #${id} (no longer in Work)`,
  qboInvoice: (id: string) => `QuickBooks invoice #${id}`,
} as const;

/** The preview's wording of a review entry's candidates on the other side. */
export const PREVIEW_CANDIDATE_TEXTS = {
  qbo: (ids: readonly string[]) => `Could be QuickBooks customer ${ids.map((id) => `#${id}`).join(' or ')}`,
  work: (names: readonly string[]) => `Could be ${names.join(' or ')} in Work`,
} as const;

/** Review list: a link the admin picked that cannot be made, said before anything is tried. */
export const REVIEW_CLASH_TEXTS = {
  alreadyLinked: 'One of these two records is already linked to another record, so they cannot be linked. Choose another option, or skip this entry if it was settled by another choice.',
} as const;
