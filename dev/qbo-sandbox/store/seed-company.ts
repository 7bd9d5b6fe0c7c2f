/**
 * Seeds a realm like a fresh Intuit sandbox company: the Services item (1), Undeposited Funds (account 4),
 * bank, income, expense, A/R and other accounts, payment methods, terms, tax codes, CompanyInfo and
 * Preferences. Its vendors and employees carry names a field-service customer could also have, and some are
 * inactive, so the one DisplayName namespace of customers, vendors and employees is exercised.
 */
import type { CompanySummary, Country, QboObject } from '../contracts';
import type { SandboxStore } from './sandbox-store';
import { formatQboTime } from './qbo-time';

const CURRENCIES: Record<Country, { value: string; name: string }> = {
  US: { value: 'USD', name: 'United States Dollar' },
  CA: { value: 'CAD', name: 'Canadian Dollar' },
  GB: { value: 'GBP', name: 'British Pound Sterling' },
};

export function currencyOf(country: Country): { value: string; name: string } {
  return { ...CURRENCIES[country] };
}

const ACCOUNTS: Array<[id: string, name: string, type: string, subType: string, classification: string]> = [
  ['1', 'Services', 'Income', 'ServiceFeeIncome', 'Revenue'],
  ['2', 'Checking', 'Bank', 'Checking', 'Asset'],
  ['3', 'Savings', 'Bank', 'Savings', 'Asset'],
  ['4', 'Undeposited Funds', 'Other Current Asset', 'UndepositedFunds', 'Asset'],
  ['5', 'Fees Billed', 'Income', 'ServiceFeeIncome', 'Revenue'],
  ['6', 'Sales of Product Income', 'Income', 'SalesOfProductIncome', 'Revenue'],
  ['7', 'Accounts Receivable (A/R)', 'Accounts Receivable', 'AccountsReceivable', 'Asset'],
  ['8', 'Inventory Asset', 'Other Current Asset', 'Inventory', 'Asset'],
  ['9', 'Prepaid Expenses', 'Other Current Asset', 'PrepaidExpenses', 'Asset'],
  ['10', 'Cost of Goods Sold', 'Cost of Goods Sold', 'SuppliesMaterialsCogs', 'Expense'],
  ['11', 'Job Expenses', 'Expense', 'OtherMiscellaneousServiceCost', 'Expense'],
  ['12', 'Office Expenses', 'Expense', 'OfficeGeneralAdministrativeExpenses', 'Expense'],
  ['13', 'Accounts Payable (A/P)', 'Accounts Payable', 'AccountsPayable', 'Liability'],
  ['14', 'Visa', 'Credit Card', 'CreditCard', 'Liability'],
  ['15', 'Opening Balance Equity', 'Equity', 'OpeningBalanceEquity', 'Equity'],
  ['16', 'Truck', 'Fixed Asset', 'Vehicles', 'Asset'],
];

const PAYMENT_METHODS: Array<[string, string, string]> = [
  ['1', 'Cash', 'NON_CREDIT_CARD'],
  ['2', 'Check', 'NON_CREDIT_CARD'],
  ['3', 'Visa', 'CREDIT_CARD'],
  ['4', 'MasterCard', 'CREDIT_CARD'],
  ['5', 'American Express', 'CREDIT_CARD'],
  ['6', 'Discover', 'CREDIT_CARD'],
];

const TERMS: Array<[string, string, number]> = [
  ['1', 'Due on receipt', 0],
  ['2', 'Net 10', 10],
  ['3', 'Net 15', 15],
  ['4', 'Net 30', 30],
  ['5', 'Net 60', 60],
];

const TAX_CODES: Record<Country, Array<[string, string, boolean]>> = {
  US: [['TAX', 'TAX', true], ['NON', 'NON', false], ['2', 'California', true]],
  CA: [['2', 'Exempt', false], ['3', 'Zero-rated', false], ['4', 'GST', true], ['5', 'HST ON', true], ['6', 'GST/PST BC', true]],
  GB: [['2', '20.0% S', true], ['3', '5.0% R', true], ['4', '0.0% Z', false], ['5', 'Exempt', false], ['6', 'No VAT', false]],
};

/** Vendors and employees named like plausible customers; "(deleted)" ones are inactive and still block their name. */
const VENDORS: Array<[string, boolean]> = [
  ['Books by Bessie', true],
  ['Brosnahan Insurance Agency', true],
  ['Hicks Hardware', true],
  ['Robertson & Associates', true],
  ['Smith Family Store', true],
  ['Green Acres Landscaping', true],
  ['Tania\'s Nursery', true],
  ['United States Treasury', false],
];
const EMPLOYEES: Array<[given: string, family: string, active: boolean]> = [
  ['John', 'Johnson', true],
  ['Emily', 'Platt', false],
];

export function seedCompany(store: SandboxStore, company: CompanySummary, withSampleData: boolean): void {
  const realmId = company.realmId;
  const now = store.clock.now();
  const currency = currencyOf(company.country);
  const base = (id: string): QboObject => ({
    domain: 'QBO',
    sparse: false,
    Id: id,
    SyncToken: '0',
    MetaData: { CreateTime: formatQboTime(now), LastUpdatedTime: formatQboTime(now) },
  });

  store.bulkLoad(realmId, 'CompanyInfo', [companyInfo(company, base('1'), now)]);
  store.bulkLoad(realmId, 'Preferences', [preferences(company, base('1'))]);
  store.bulkLoad(realmId, 'Account', ACCOUNTS.map(([id, name, type, subType, classification]) => ({
    Name: name, SubAccount: false, FullyQualifiedName: name, Active: true, Classification: classification,
    AccountType: type, AccountSubType: subType, CurrentBalance: 0, CurrentBalanceWithSubAccounts: 0,
    CurrencyRef: currency, ...base(id),
  })));
  store.bulkLoad(realmId, 'PaymentMethod', PAYMENT_METHODS.map(([id, name, type]) => ({ Name: name, Active: true, Type: type, ...base(id) })));
  store.bulkLoad(realmId, 'Term', TERMS.map(([id, name, days]) => ({ Name: name, Active: true, Type: 'STANDARD', DueDays: days, DiscountDays: 0, ...base(id) })));
  store.bulkLoad(realmId, 'TaxCode', TAX_CODES[company.country].map(([id, name, taxable]) => ({
    Name: name, Description: name, Active: true, Hidden: false, Taxable: taxable, TaxGroup: false, ...base(id),
  })));
  store.bulkLoad(realmId, 'Item', [{
    Name: 'Services', Active: true, FullyQualifiedName: 'Services', Taxable: false, UnitPrice: 0, Type: 'Service',
    IncomeAccountRef: { value: '1', name: 'Services' }, PurchaseCost: 0, TrackQtyOnHand: false, ...base('1'),
  }]);
  if (!withSampleData) return;
  store.bulkLoad(realmId, 'Vendor', VENDORS.map(([name, active]) => ({
    Balance: 0, Vendor1099: false, CurrencyRef: currency, ...base(store.nextId(realmId, 'Vendor')),
    DisplayName: active ? name : `${name} (deleted)`, PrintOnCheckName: name, Active: active,
  })));
  store.bulkLoad(realmId, 'Employee', EMPLOYEES.map(([given, family, active]) => ({
    BillableTime: false, ...base(store.nextId(realmId, 'Employee')), GivenName: given, FamilyName: family,
    DisplayName: active ? `${given} ${family}` : `${given} ${family} (deleted)`, PrintOnCheckName: `${given} ${family}`, Active: active,
  })));
}

function companyInfo(company: CompanySummary, base: QboObject, now: Date): QboObject {
  const addr = { Id: '1', Line1: '2565 Garcia Avenue', City: 'Mountain View', Country: company.country, CountrySubDivisionCode: 'CA', PostalCode: '94043' };
  return {
    CompanyName: company.companyName,
    LegalName: company.companyName,
    CompanyAddr: addr,
    CustomerCommunicationAddr: addr,
    LegalAddr: addr,
    PrimaryPhone: {},
    CompanyStartDate: '2020-01-01',
    FiscalYearStartMonth: 'January',
    Country: company.country,
    Email: { Address: 'sandbox@example.com' },
    WebAddr: {},
    SupportedLanguages: 'en',
    NameValue: [
      { Name: 'NeoEnabled', Value: 'true' },
      { Name: 'IsQbdtMigrated', Value: 'false' },
      { Name: 'SubscriptionStatus', Value: 'SUBSCRIBED' },
      { Name: 'OfferingSku', Value: company.offeringSku },
      { Name: 'PayrollFeature', Value: 'false' },
      { Name: 'AccountantFeature', Value: 'false' },
      { Name: 'ItemCategoriesFeature', Value: 'true' },
      { Name: 'AssignedTime', Value: formatQboTime(now) },
    ],
    ...base,
  };
}

function preferences(company: CompanySummary, base: QboObject): QboObject {
  const us = company.country === 'US';
  return {
    AccountingInfoPrefs: { TrackDepartments: false, ClassTrackingPerTxn: false, CustomerTerminology: 'Customers' },
    ProductAndServicesPrefs: { ForSales: true, ForPurchase: true, QuantityWithPriceAndRate: true, QuantityOnHand: true },
    SalesFormsPrefs: {
      CustomField: [{ CustomField: [{ Name: 'SalesFormsPrefs.UseSalesCustom1', Type: 'BooleanType', BooleanValue: true }] }],
      CustomTxnNumbers: company.customTxnNumbers,
      AllowDeposit: true,
      AllowDiscount: true,
      AllowShipping: false,
      DefaultTerms: { value: '4' },
      ETransactionEnabledStatus: 'NotApplicable',
    },
    TaxPrefs: us ? { UsingSalesTax: true, PartnerTaxEnabled: true } : { UsingSalesTax: true, PartnerTaxEnabled: false },
    CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: currencyOf(company.country).value } },
    ...base,
  };
}
