/**
 * The invoice and payment settings rules (pure): what the settings form accepts, and whether a chosen
 * account or tax code can still be used. The form (pages) and the engine (eligibility) call the same rules.
 *
 * Decided rules (sources in ../mappers/README.md):
 * - Payment sync needs invoice sync (also a CHECK on qbo_settings).
 * - Income account: AccountType Income only (the FAQ: never Accounts Receivable; QBO posts A/R itself).
 *   "Other Income" is refused too: the FAQ and SPEC say Income accounts.
 * - Expense account: Expense or Cost of Goods Sold (both are what QBO offers as an item's expense account;
 *   Cost of Goods Sold is the usual one for parts). Optional.
 * - Deposit account: Bank or Other Current Asset only (QBO-FACTS, the FAQ); Undeposited Funds is one.
 * - Companies outside the US: a taxable and a non-taxable TaxCode from the company's list are required.
 * - Turning invoice (or payment) sync on records the moment it was turned on (passed in), so only Work
 *   records created or updated from then on are pushed; turning it off keeps nothing back from re-enabling
 *   later with a new moment.
 */

export type AccountRole = 'income' | 'expense' | 'deposit';

export const ACCOUNT_TYPES_FOR: Record<AccountRole, readonly string[]> = {
  income: ['Income'],
  expense: ['Expense', 'Cost of Goods Sold'],
  deposit: ['Bank', 'Other Current Asset'],
};

export interface AccountSeen {
  Id: string;
  Name?: string | undefined;
  AccountType: string;
  Active?: boolean | undefined;
}

export interface TaxCodeSeen {
  Id: string;
  Name?: string | undefined;
  Active?: boolean | undefined;
}

export type AccountProblem = 'account_missing' | 'account_not_found' | 'account_inactive' | 'account_wrong_type';

/** Why a chosen account cannot be used now, or null when it can. */
export function accountProblem(role: AccountRole, accountId: string | null, accounts: ReadonlyMap<string, AccountSeen>): AccountProblem | null {
  if (accountId === null || accountId.trim() === '') return 'account_missing';
  const account = accounts.get(accountId);
  if (!account) return 'account_not_found';
  if (!ACCOUNT_TYPES_FOR[role].includes(account.AccountType)) return 'account_wrong_type';
  if (account.Active === false) return 'account_inactive';
  return null;
}

/** The accounts the form offers for a role: active ones of the allowed types, by name. */
export function selectableAccounts(role: AccountRole, accounts: Iterable<AccountSeen>): AccountSeen[] {
  return [...accounts]
    .filter((a) => a.Active !== false && ACCOUNT_TYPES_FOR[role].includes(a.AccountType))
    .sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? '') || a.Id.localeCompare(b.Id));
}

export type TaxCodeProblem = 'tax_code_missing' | 'tax_code_not_found' | 'tax_code_inactive';

export function taxCodeProblem(codeId: string | null, taxCodes: ReadonlyMap<string, TaxCodeSeen>): TaxCodeProblem | null {
  if (codeId === null || codeId.trim() === '') return 'tax_code_missing';
  const code = taxCodes.get(codeId);
  if (!code) return 'tax_code_not_found';
  if (code.Active === false) return 'tax_code_inactive';
  return null;
}

/** The invoice and payment part of qbo_settings, as the rules see it. */
export interface InvoicePaymentSettings {
  invoicesEnabled: boolean;
  invoicesEnabledAt: Date | null;
  paymentsEnabled: boolean;
  paymentsEnabledAt: Date | null;
  incomeAccountId: string | null;
  expenseAccountId: string | null;
  depositAccountId: string | null;
  /** Outside the US only: the TaxCode ids for taxable and non-taxable lines. */
  taxableTaxCodeId: string | null;
  nonTaxableTaxCodeId: string | null;
}

export const DEFAULT_INVOICE_PAYMENT_SETTINGS: InvoicePaymentSettings = {
  invoicesEnabled: false,
  invoicesEnabledAt: null,
  paymentsEnabled: false,
  paymentsEnabledAt: null,
  incomeAccountId: null,
  expenseAccountId: null,
  depositAccountId: null,
  taxableTaxCodeId: null,
  nonTaxableTaxCodeId: null,
};

/** What the company looks like in QBO, read by the caller (accounts, tax codes, CompanyInfo.Country). */
export interface CompanyFacts {
  /** CompanyInfo.Country; 'US' means TAX/NON line codes. */
  country: string | null;
  accounts: ReadonlyMap<string, AccountSeen>;
  taxCodes: ReadonlyMap<string, TaxCodeSeen>;
}

export type SettingsField =
  | 'invoicesEnabled'
  | 'paymentsEnabled'
  | 'incomeAccountId'
  | 'expenseAccountId'
  | 'depositAccountId'
  | 'taxableTaxCodeId'
  | 'nonTaxableTaxCodeId';

export type SettingsErrorCode = 'payments_need_invoices' | AccountProblem | TaxCodeProblem;

export interface SettingsError {
  field: SettingsField;
  code: SettingsErrorCode;
}

export type SettingsChange = Partial<Omit<InvoicePaymentSettings, 'invoicesEnabledAt' | 'paymentsEnabledAt'>>;

export type SettingsChangeResult = { ok: true; settings: InvoicePaymentSettings } | { ok: false; errors: SettingsError[] };

export function isUsCompany(facts: Pick<CompanyFacts, 'country'>): boolean {
  return facts.country === 'US';
}

/**
 * Validates a change against the current settings and the company: every problem is returned at once (one
 * per field), and nothing is changed when there is any. Accounts are checked only when the flow that uses
 * them is on, or when the change picks them (a picked account must always be valid).
 */
export function validateSettingsChange(current: InvoicePaymentSettings, change: SettingsChange, facts: CompanyFacts, now: Date): SettingsChangeResult {
  const next: InvoicePaymentSettings = { ...current, ...definedOnly(change) };
  const errors: SettingsError[] = [];
  if (next.paymentsEnabled && !next.invoicesEnabled) errors.push({ field: 'paymentsEnabled', code: 'payments_need_invoices' });
  const picked = (field: keyof SettingsChange): boolean => change[field] !== undefined && change[field] !== null;
  const checkAccount = (field: 'incomeAccountId' | 'expenseAccountId' | 'depositAccountId', role: AccountRole, required: boolean): void => {
    if (!required && !picked(field)) return;
    const problem = accountProblem(role, next[field], facts.accounts);
    if (problem !== null) errors.push({ field, code: problem });
  };
  checkAccount('incomeAccountId', 'income', next.invoicesEnabled);
  checkAccount('expenseAccountId', 'expense', false);
  checkAccount('depositAccountId', 'deposit', next.paymentsEnabled);
  if (!isUsCompany(facts)) {
    for (const field of ['taxableTaxCodeId', 'nonTaxableTaxCodeId'] as const) {
      if (!next.invoicesEnabled && !picked(field)) continue;
      const problem = taxCodeProblem(next[field], facts.taxCodes);
      if (problem !== null) errors.push({ field, code: problem });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (next.invoicesEnabled && !current.invoicesEnabled) next.invoicesEnabledAt = now;
  if (next.paymentsEnabled && !current.paymentsEnabled) next.paymentsEnabledAt = now;
  return { ok: true, settings: next };
}

function definedOnly(change: SettingsChange): SettingsChange {
  const out: SettingsChange = {};
  for (const [key, value] of Object.entries(change) as [keyof SettingsChange, unknown][]) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
