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
    text: 'This QuickBooks sign-in was started in another browser or by another user, so it was ignored and nothing was changed. Click "Connect to QuickBooks" here to start again.',
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
} as const satisfies Record<string, { tone: NoticeTone; text: string }>;

export type NoticeCode = keyof typeof CONNECT_NOTICES;

export function isNoticeCode(value: unknown): value is NoticeCode {
  return typeof value === 'string' && Object.hasOwn(CONNECT_NOTICES, value);
}

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
