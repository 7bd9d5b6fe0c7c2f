import { z } from 'zod';
import { EntityApi } from './entity-api';
import { decimalSchema, entityBase, refSchema } from './schemas';

/** AccountType values as QBO spells them. */
export const ACCOUNT_TYPES = [
  'Bank',
  'Accounts Receivable',
  'Other Current Asset',
  'Fixed Asset',
  'Other Asset',
  'Accounts Payable',
  'Credit Card',
  'Other Current Liability',
  'Long Term Liability',
  'Equity',
  'Income',
  'Cost of Goods Sold',
  'Expense',
  'Other Income',
  'Other Expense',
  'Non-Posting',
] as const;

export const accountSchema = z.looseObject({
  ...entityBase,
  Name: z.string(),
  FullyQualifiedName: z.string().optional(),
  // A string, not an enum: an unknown future type must not make the whole chart of accounts unreadable.
  AccountType: z.string(),
  AccountSubType: z.string().optional(),
  Classification: z.string().optional(),
  Active: z.boolean().optional(),
  SubAccount: z.boolean().optional(),
  ParentRef: refSchema.optional(),
  CurrentBalance: decimalSchema.optional(),
  CurrencyRef: refSchema.optional(),
});
export type QboAccount = z.infer<typeof accountSchema>;

export const accounts = new EntityApi('Account', 'account', accountSchema);

/** A payment may be deposited only to these (6430 otherwise, unverified). */
export function canReceiveDeposits(account: Pick<QboAccount, 'AccountType'>): boolean {
  return account.AccountType === 'Bank' || account.AccountType === 'Other Current Asset';
}
