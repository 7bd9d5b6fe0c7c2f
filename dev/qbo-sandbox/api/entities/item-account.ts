/** Item and Account: names unique within their own list (≤ 100, no colon), made inactive instead of deleted. */
import type { QboObject } from '../../contracts';
import { faults } from '../../faults';
import { currencyOf } from '../../store/seed-company';
import { maxLength, noNameSeparators, optionalBoolean, optionalNumberText, optionalRef, optionalString } from '../body-checks';
import type { EntityService } from '../entity-service';
import { assertNameFree, baseName, copyPresent, nameForActiveState } from './person-fields';
import { activeRef } from './refs';

const ITEM_TYPES = ['Service', 'NonInventory', 'Inventory'];
const ITEM_WRITABLE = ['Description', 'PurchaseDesc', 'Sku', 'SalesTaxCodeRef', 'PurchaseTaxCodeRef', 'ExpenseAccountRef', 'AssetAccountRef', 'QtyOnHand', 'InvStartDate', 'PrefVendorRef', 'ClassRef', 'Source'];

export const itemService: EntityService = {
  entity: 'Item',
  known: new Set([
    'Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'Name', 'Active', 'FullyQualifiedName', 'Taxable', 'UnitPrice', 'Type',
    'IncomeAccountRef', 'PurchaseCost', 'TrackQtyOnHand', 'SubItem', 'ParentRef', 'Level', 'SalesTaxIncluded', 'PurchaseTaxIncluded',
    'ReorderPoint', 'AbatementRate', 'ReverseChargeRate', 'ServiceType', 'ItemCategoryType', 'TaxClassificationRef', 'UQCDisplayText', 'UQCId',
    ...ITEM_WRITABLE,
  ]),
  build(ctx, incoming, prev) {
    const given = optionalString('Item', incoming, 'Name');
    if (given === undefined || given.trim() === '') throw faults.requiredMissing('Name');
    maxLength('Name', baseName(given), 100);
    noNameSeparators('Name', given);
    maxLength('Description', optionalString('Item', incoming, 'Description'), 4000);
    maxLength('Sku', optionalString('Item', incoming, 'Sku'), 100);
    const active = optionalBoolean('Item', incoming, 'Active') ?? true;
    const name = nameForActiveState(given.trim(), active, prev);
    assertNameFree(ctx, 'itemName', name, prev ? { entity: 'Item', id: prev.id } : undefined);
    const type = optionalString('Item', incoming, 'Type') ?? 'Service';
    if (!ITEM_TYPES.includes(type)) throw faults.invalidEnumeration('Type', type);
    const income = optionalRef('Item', incoming, 'IncomeAccountRef');
    if (income === undefined) throw faults.requiredMissing('IncomeAccountRef');
    const incomeAccount = activeRef(ctx, 'Account', income, 'IncomeAccountRef');
    const out: QboObject = {
      Name: name,
      Active: active,
      FullyQualifiedName: name,
      Taxable: optionalBoolean('Item', incoming, 'Taxable') ?? false,
      UnitPrice: Number(optionalNumberText('Item', incoming, 'UnitPrice') ?? '0'),
      Type: type,
      IncomeAccountRef: { value: income, name: String(incomeAccount['Name']) },
      PurchaseCost: Number(optionalNumberText('Item', incoming, 'PurchaseCost') ?? '0'),
      TrackQtyOnHand: optionalBoolean('Item', incoming, 'TrackQtyOnHand') ?? false,
    };
    if (type === 'Inventory') {
      for (const required of ['AssetAccountRef', 'ExpenseAccountRef', 'QtyOnHand', 'InvStartDate']) {
        if (incoming[required] === undefined || incoming[required] === null) throw faults.requiredMissing(required);
      }
      out['TrackQtyOnHand'] = true;
    }
    for (const ref of ['ExpenseAccountRef', 'AssetAccountRef']) {
      const id = optionalRef('Item', incoming, ref);
      if (id !== undefined) activeRef(ctx, 'Account', id, ref);
    }
    copyPresent(incoming, out, ITEM_WRITABLE);
    return out;
  },
};

const CLASSIFICATION_BY_TYPE: Record<string, [classification: string, defaultSubType: string]> = {
  Bank: ['Asset', 'Checking'],
  'Accounts Receivable': ['Asset', 'AccountsReceivable'],
  'Other Current Asset': ['Asset', 'OtherCurrentAssets'],
  'Fixed Asset': ['Asset', 'OtherFixedAssets'],
  'Other Asset': ['Asset', 'OtherLongTermAssets'],
  'Accounts Payable': ['Liability', 'AccountsPayable'],
  'Credit Card': ['Liability', 'CreditCard'],
  'Other Current Liability': ['Liability', 'OtherCurrentLiabilities'],
  'Long Term Liability': ['Liability', 'OtherLongTermLiabilities'],
  Equity: ['Equity', 'OwnersEquity'],
  Income: ['Revenue', 'ServiceFeeIncome'],
  'Cost of Goods Sold': ['Expense', 'SuppliesMaterialsCogs'],
  Expense: ['Expense', 'OtherMiscellaneousServiceCost'],
  'Other Income': ['Revenue', 'OtherMiscellaneousIncome'],
  'Other Expense': ['Expense', 'OtherMiscellaneousExpense'],
  'Non-Posting': ['Expense', 'PurchaseOrderAccount'],
};

export const accountService: EntityService = {
  entity: 'Account',
  known: new Set([
    'Id', 'SyncToken', 'sparse', 'domain', 'MetaData', 'Name', 'SubAccount', 'ParentRef', 'FullyQualifiedName', 'Active', 'Classification',
    'AccountType', 'AccountSubType', 'CurrentBalance', 'CurrentBalanceWithSubAccounts', 'CurrencyRef', 'Description', 'AcctNum',
    'TaxCodeRef', 'AccountAlias', 'TxnLocationType',
  ]),
  build(ctx, incoming, prev) {
    const given = optionalString('Account', incoming, 'Name');
    if (given === undefined || given.trim() === '') throw faults.requiredMissing('Name');
    maxLength('Name', baseName(given), 100);
    noNameSeparators('Name', given);
    maxLength('Description', optionalString('Account', incoming, 'Description'), 100);
    maxLength('AcctNum', optionalString('Account', incoming, 'AcctNum'), 7);
    const active = optionalBoolean('Account', incoming, 'Active') ?? true;
    const name = nameForActiveState(given.trim(), active, prev);
    assertNameFree(ctx, 'accountName', name, prev ? { entity: 'Account', id: prev.id } : undefined);
    const type = optionalString('Account', incoming, 'AccountType');
    if (type === undefined) throw faults.requiredMissing('AccountType');
    const known = CLASSIFICATION_BY_TYPE[type];
    if (!known) throw faults.invalidEnumeration('AccountType', type);
    const out: QboObject = {
      Name: name,
      SubAccount: false,
      FullyQualifiedName: name,
      Active: active,
      Classification: known[0],
      AccountType: type,
      AccountSubType: optionalString('Account', incoming, 'AccountSubType') ?? known[1],
      CurrentBalance: prev?.object['CurrentBalance'] ?? 0,
      CurrentBalanceWithSubAccounts: prev?.object['CurrentBalanceWithSubAccounts'] ?? 0,
      CurrencyRef: currencyOf(ctx.company.country),
    };
    copyPresent(incoming, out, ['Description', 'AcctNum']);
    return out;
  },
};
