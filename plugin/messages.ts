/**
 * Every text the admin reads, in one place, written for a bookkeeper rather than a developer.
 * Pages look texts up by code, so a URL can only ever select one of these, never inject its own words.
 */

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
  other_address: {
    tone: 'error',
    text: 'You are using Work at a different address from the one QuickBooks sends you back to, so connecting could not finish here. Open Work at its configured address, sign in, and click "Connect to QuickBooks" there.',
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
  companyUnavailableBanner:
    'QuickBooks no longer lets us reach this company: it may have been deleted or closed, or this app\'s access to it was removed. Syncing is paused and nothing is lost: changes wait in the queue. Click "Reconnect to QuickBooks" and sign in to the company again to resume.',
  accessRefusedBanner:
    'QuickBooks refused this connection\'s sign-in even after renewing it, so syncing is paused. Nothing is lost: changes wait in the queue. Click "Reconnect to QuickBooks" and sign in again to resume.',
  hardExpiryWarning: (date: string) =>
    `QuickBooks requires signing in again every five years. This connection expires on ${date}; reconnect before then to keep syncing.`,
  disconnectedNote: (company: string) => `Previously connected to ${company}. Reconnecting the same company reuses all existing links.`,
} as const;

/** The address notice, naming both addresses (the generic text above is used when one is unknown). */
export const ADDRESS_TEXTS = {
  otherAddress: (here: string, publicUrl: string) =>
    `You are using Work at ${here}, but QuickBooks sends you back to ${publicUrl} (the address Work is configured with). ` +
    'Your browser keeps separate sign-ins for the two addresses, so connecting could not finish. Nothing was changed. ' +
    `Open Work at ${publicUrl}, sign in, and click "Connect to QuickBooks" there.`,
  openPublicSettings: 'Open the QuickBooks settings at the configured address',
} as const;
