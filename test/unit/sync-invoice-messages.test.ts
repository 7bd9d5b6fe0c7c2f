import { expect } from 'chai';
import {
  DOC_NUMBER_TEXTS,
  INVOICE_PAYMENT_FAULT_TEXTS,
  INVOICE_PAYMENT_SKIP_TEXTS,
  INVOICE_PAYMENT_TEXTS,
  INVOICE_REFUSAL_TEXTS,
  INVOICE_SETTINGS_ERROR_TEXTS,
  INVOICE_WARNING_TEXTS,
  ITEM_TEXTS,
  invoicePaymentWaitText,
  PAYMENT_REFUSAL_TEXTS,
  PAYMENT_WARNING_TEXTS,
} from '../../plugin/messages';
import type { WaitReason } from '../../plugin/sync/plan/invoice-eligibility';
import type { ItemBlockReason, ItemNameFix } from '../../plugin/sync/plan/item-resolution';

const ACCOUNT_PROBLEMS = ['account_missing', 'account_not_found', 'account_inactive', 'account_wrong_type'] as const;
const TAX_CODE_PROBLEMS = ['tax_code_missing', 'tax_code_not_found', 'tax_code_inactive'] as const;
const WAIT_REASONS: WaitReason[] = [
  'client_not_linked',
  'invoice_not_pushed',
  ...ACCOUNT_PROBLEMS.map((p) => `income_${p}` as const),
  ...ACCOUNT_PROBLEMS.filter((p) => p !== 'account_missing').map((p) => `expense_${p}` as const),
  ...ACCOUNT_PROBLEMS.map((p) => `deposit_${p}` as const),
  ...TAX_CODE_PROBLEMS.map((p) => `taxable_${p}` as const),
  ...TAX_CODE_PROBLEMS.map((p) => `non_taxable_${p}` as const),
];

function expectBookkeeperText(text: string): void {
  expect(text).to.be.a('string');
  expect(text.length).to.be.greaterThan(20);
  expect(text).not.to.match(/undefined|null|NaN|\$\{|[a-z]+_[a-z]+/);
}

describe('bookkeeper texts for the invoice and payment reason codes', () => {
  it('has a plain text for every refusal, warning, skip and settings error code', () => {
    const tables = [INVOICE_REFUSAL_TEXTS, INVOICE_WARNING_TEXTS, PAYMENT_REFUSAL_TEXTS, PAYMENT_WARNING_TEXTS, INVOICE_PAYMENT_SKIP_TEXTS, INVOICE_SETTINGS_ERROR_TEXTS, ITEM_TEXTS];
    for (const table of tables) for (const text of Object.values(table)) expectBookkeeperText(text);
    const itemCodes: Array<ItemBlockReason | ItemNameFix['fixes'][number]> = ['item_name_blank', 'item_name_not_sellable', 'item_inactive', 'forbidden_characters', 'too_long'];
    expect(Object.keys(ITEM_TEXTS)).to.have.members(itemCodes);
  });

  it('says why something waits for every wait reason, naming the account or tax code concerned', () => {
    for (const reason of WAIT_REASONS) expectBookkeeperText(invoicePaymentWaitText(reason));
    expect(invoicePaymentWaitText('deposit_account_inactive')).to.equal(
      'The deposit account for payments: the chosen account was made inactive in QuickBooks. Nothing is lost: it waits and is sent once this is fixed in the QuickBooks settings.',
    );
    expect(invoicePaymentWaitText('non_taxable_tax_code_missing')).to.contain('tax code for non-taxable lines: no tax code is chosen');
    expect(invoicePaymentWaitText('taxable_tax_code_inactive')).to.contain('tax code for taxable lines');
  });

  it('names both numbers and both payments where the log needs them', () => {
    expect(INVOICE_PAYMENT_TEXTS.numberedByQbo('INV-77', '1042')).to.contain('Work invoice INV-77 is invoice 1042 in QuickBooks');
    expect(INVOICE_PAYMENT_TEXTS.paymentEdited('p1', '300', '301')).to.contain('new payment (301)').and.contain('earlier payment (300)');
    expect(INVOICE_PAYMENT_TEXTS.paymentDeletedInWork('p1', '300')).to.contain('delete payment 300 there by hand');
    expect(INVOICE_PAYMENT_TEXTS.totalsDiffer('-1')).to.contain('rounds each line to the cent');
    expect(INVOICE_PAYMENT_TEXTS.totalsUnexplained('-625', '2')).to.contain('more than rounding can explain (at most 2)');
  });

  it('explains DocNumber clashes and the QuickBooks faults a push can meet', () => {
    expect(DOC_NUMBER_TEXTS.clashWithQbo('INV-1', '99')).to.contain('already used by another invoice in QuickBooks (99)');
    expect(DOC_NUMBER_TEXTS.clashInBatch('INV-1')).to.contain('numbered INV-1');
    expect(DOC_NUMBER_TEXTS.linked('INV-1', '140')).to.contain('linked instead of being created twice');
    for (const code of ['6070', '6140', '6200', '6210', '6430', '6540', '610', '5010', '6190', '6250']) expectBookkeeperText(INVOICE_PAYMENT_FAULT_TEXTS[code] ?? '');
  });
});
