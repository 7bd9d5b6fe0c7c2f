import { expect } from 'chai';
import {
  accountProblem,
  DEFAULT_INVOICE_PAYMENT_SETTINGS,
  selectableAccounts,
  validateSettingsChange,
  type AccountSeen,
  type CompanyFacts,
  type InvoicePaymentSettings,
} from '../../plugin/sync/plan/settings-rules';

const accounts: AccountSeen[] = [
  { Id: '1', Name: 'Services', AccountType: 'Income' },
  { Id: '2', Name: 'Checking', AccountType: 'Bank' },
  { Id: '4', Name: 'Undeposited Funds', AccountType: 'Other Current Asset' },
  { Id: '7', Name: 'Accounts Receivable (A/R)', AccountType: 'Accounts Receivable' },
  { Id: '10', Name: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold' },
  { Id: '11', Name: 'Job Expenses', AccountType: 'Expense' },
  { Id: '13', Name: 'Accounts Payable (A/P)', AccountType: 'Accounts Payable' },
  { Id: '17', Name: 'Interest Earned', AccountType: 'Other Income' },
  { Id: '20', Name: 'Old Bank', AccountType: 'Bank', Active: false },
];
const us: CompanyFacts = { country: 'US', accounts: new Map(accounts.map((a) => [a.Id, a])), taxCodes: new Map() };
const gb: CompanyFacts = { ...us, country: 'GB', taxCodes: new Map([['2', { Id: '2', Name: '20.0% S' }], ['5', { Id: '5', Name: 'Exempt' }]]) };
const NOW = new Date('2026-12-01T12:00:00Z');
const off = DEFAULT_INVOICE_PAYMENT_SETTINGS;

describe('sync invoice and payment settings rules', () => {
  it('turns invoice sync on with an Income account and records the moment', () => {
    const result = validateSettingsChange(off, { invoicesEnabled: true, incomeAccountId: '1' }, us, NOW);
    expect(result).to.deep.equal({ ok: true, settings: { ...off, invoicesEnabled: true, invoicesEnabledAt: NOW, incomeAccountId: '1' } });
  });

  it('keeps the first moment when invoice sync is already on', () => {
    const on: InvoicePaymentSettings = { ...off, invoicesEnabled: true, invoicesEnabledAt: new Date('2026-11-01T00:00:00Z'), incomeAccountId: '1' };
    const result = validateSettingsChange(on, { expenseAccountId: '10' }, us, NOW);
    expect(result.ok && result.settings.invoicesEnabledAt?.toISOString()).to.equal('2026-11-01T00:00:00.000Z');
  });

  it('turns payments on with a Bank or Other Current Asset deposit account and records that moment too', () => {
    const on: InvoicePaymentSettings = { ...off, invoicesEnabled: true, invoicesEnabledAt: NOW, incomeAccountId: '1' };
    for (const deposit of ['2', '4']) {
      const result = validateSettingsChange(on, { paymentsEnabled: true, depositAccountId: deposit }, us, NOW);
      expect(result.ok && result.settings.paymentsEnabledAt).to.equal(NOW);
    }
  });

  const refused: Array<[string, InvoicePaymentSettings, Parameters<typeof validateSettingsChange>[1], CompanyFacts, Array<[string, string]>]> = [
    ['payments without invoices', off, { paymentsEnabled: true, depositAccountId: '2' }, us, [['paymentsEnabled', 'payments_need_invoices']]],
    ['invoices without an income account', off, { invoicesEnabled: true }, us, [['incomeAccountId', 'account_missing']]],
    ['Accounts Receivable as income account', off, { invoicesEnabled: true, incomeAccountId: '7' }, us, [['incomeAccountId', 'account_wrong_type']]],
    ['Other Income as income account', off, { invoicesEnabled: true, incomeAccountId: '17' }, us, [['incomeAccountId', 'account_wrong_type']]],
    ['an unknown income account', off, { invoicesEnabled: true, incomeAccountId: '999' }, us, [['incomeAccountId', 'account_not_found']]],
    ['Accounts Payable as expense account', off, { expenseAccountId: '13' }, us, [['expenseAccountId', 'account_wrong_type']]],
    ['an income account as deposit account', { ...off, invoicesEnabled: true, incomeAccountId: '1' }, { paymentsEnabled: true, depositAccountId: '1' }, us, [['depositAccountId', 'account_wrong_type']]],
    ['an inactive deposit account', { ...off, invoicesEnabled: true, incomeAccountId: '1' }, { paymentsEnabled: true, depositAccountId: '20' }, us, [['depositAccountId', 'account_inactive']]],
    ['payments without a deposit account', { ...off, invoicesEnabled: true, incomeAccountId: '1' }, { paymentsEnabled: true }, us, [['depositAccountId', 'account_missing']]],
    [
      'invoices outside the US without tax codes',
      off,
      { invoicesEnabled: true, incomeAccountId: '1' },
      gb,
      [['taxableTaxCodeId', 'tax_code_missing'], ['nonTaxableTaxCodeId', 'tax_code_missing']],
    ],
    ['an unknown tax code', off, { invoicesEnabled: true, incomeAccountId: '1', taxableTaxCodeId: '2', nonTaxableTaxCodeId: 'NON' }, gb, [['nonTaxableTaxCodeId', 'tax_code_not_found']]],
    [
      'several problems at once',
      off,
      { invoicesEnabled: false, paymentsEnabled: true, incomeAccountId: '7', depositAccountId: '11' },
      us,
      [['paymentsEnabled', 'payments_need_invoices'], ['incomeAccountId', 'account_wrong_type'], ['depositAccountId', 'account_wrong_type']],
    ],
  ];
  for (const [what, current, change, facts, errors] of refused) {
    it(`refuses ${what}, changing nothing`, () => {
      const before = structuredClone(current);
      const result = validateSettingsChange(current, change, facts, NOW);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.errors.map((e) => [e.field, e.code])).to.deep.equal(errors);
      expect(current).to.deep.equal(before);
    });
  }

  it('accepts invoices outside the US with both tax codes', () => {
    expect(validateSettingsChange(off, { invoicesEnabled: true, incomeAccountId: '1', taxableTaxCodeId: '2', nonTaxableTaxCodeId: '5' }, gb, NOW).ok).to.equal(true);
  });

  it('lets invoice sync be turned off while an account has gone inactive', () => {
    const on: InvoicePaymentSettings = { ...off, invoicesEnabled: true, invoicesEnabledAt: NOW, incomeAccountId: '20' };
    expect(validateSettingsChange(on, { invoicesEnabled: false }, us, NOW).ok).to.equal(true);
  });

  it('offers only active accounts of the allowed types, by name', () => {
    expect(selectableAccounts('income', accounts).map((a) => a.Id)).to.deep.equal(['1']);
    expect(selectableAccounts('expense', accounts).map((a) => a.Id)).to.deep.equal(['10', '11']);
    expect(selectableAccounts('deposit', accounts).map((a) => a.Id)).to.deep.equal(['2', '4']);
    expect(accountProblem('deposit', ' ', us.accounts)).to.equal('account_missing');
  });
});
