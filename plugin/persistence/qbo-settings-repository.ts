import type { Knex } from 'knex';
import type { SettingsRow } from './settings-repository';
import { DEFAULT_INVOICE_PAYMENT_SETTINGS, type InvoicePaymentSettings } from '../sync/plan/settings-rules';

const TABLE = 'qbo_settings';
const COLUMNS = [
  'invoices_enabled',
  'invoices_enabled_at',
  'payments_enabled',
  'payments_enabled_at',
  'income_account_qbo_id',
  'expense_account_qbo_id',
  'deposit_account_qbo_id',
  'taxable_tax_code_qbo_id',
  'non_taxable_tax_code_qbo_id',
] as const;

/** The invoice and payment columns of the one qbo_settings row shape. */
type InvoiceSettingsRow = Pick<SettingsRow, (typeof COLUMNS)[number]>;

function fromRow(row: InvoiceSettingsRow): InvoicePaymentSettings {
  return {
    invoicesEnabled: row.invoices_enabled,
    invoicesEnabledAt: row.invoices_enabled_at,
    paymentsEnabled: row.payments_enabled,
    paymentsEnabledAt: row.payments_enabled_at,
    incomeAccountId: row.income_account_qbo_id,
    expenseAccountId: row.expense_account_qbo_id,
    depositAccountId: row.deposit_account_qbo_id,
    taxableTaxCodeId: row.taxable_tax_code_qbo_id,
    nonTaxableTaxCodeId: row.non_taxable_tax_code_qbo_id,
  };
}

function toRow(s: InvoicePaymentSettings): InvoiceSettingsRow {
  return {
    invoices_enabled: s.invoicesEnabled,
    invoices_enabled_at: s.invoicesEnabledAt,
    payments_enabled: s.paymentsEnabled,
    payments_enabled_at: s.paymentsEnabledAt,
    income_account_qbo_id: s.incomeAccountId,
    expense_account_qbo_id: s.expenseAccountId,
    deposit_account_qbo_id: s.depositAccountId,
    taxable_tax_code_qbo_id: s.taxableTaxCodeId,
    non_taxable_tax_code_qbo_id: s.nonTaxableTaxCodeId,
  };
}

/**
 * The invoice and payment part of qbo_settings (one row per account). Other columns (mapping defaults, the
 * pages' own fields) are left as they are. `update` locks the row, so two saves of one account apply in turn.
 */
export class QboSettingsRepository {
  constructor(private readonly knex: Knex) {}

  async invoicePaymentSettings(accountId: string, trx?: Knex.Transaction): Promise<InvoicePaymentSettings> {
    const row = await (trx ?? this.knex)(TABLE).where({ account_id: accountId }).first<InvoiceSettingsRow | undefined>(COLUMNS);
    return row ? fromRow(row) : { ...DEFAULT_INVOICE_PAYMENT_SETTINGS };
  }

  /** Read, decide and save in one transaction with the row locked; `decide` returns the settings to store, or null. */
  async update<T>(accountId: string, now: Date, decide: (current: InvoicePaymentSettings) => { save: InvoicePaymentSettings | null; result: T }): Promise<T> {
    return this.knex.transaction(async (trx) => {
      await trx(TABLE).insert({ account_id: accountId, created_at: now, updated_at: now }).onConflict('account_id').ignore();
      const row = await trx(TABLE).where({ account_id: accountId }).forUpdate().first<InvoiceSettingsRow>(COLUMNS);
      const { save, result } = decide(fromRow(row));
      if (save) await trx(TABLE).where({ account_id: accountId }).update({ ...toRow(save), updated_at: now });
      return result;
    });
  }
}
