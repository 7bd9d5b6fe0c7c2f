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
