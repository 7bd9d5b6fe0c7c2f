import type { Knex } from 'knex';

export interface SettingsRow {
  account_id: string;
  clients_enabled: boolean;
  invoices_enabled: boolean;
  invoices_enabled_at: Date | null;
  payments_enabled: boolean;
  payments_enabled_at: Date | null;
  income_account_qbo_id: string | null;
  expense_account_qbo_id: string | null;
  deposit_account_qbo_id: string | null;
  taxable_tax_code_qbo_id: string | null;
  non_taxable_tax_code_qbo_id: string | null;
  default_state: string | null;
  default_country: string | null;
  fill_site_from_client: boolean;
  nightly_sync_time: string;
  nightly_time_zone: string;
}

export type SettingsValues = Omit<SettingsRow, 'account_id'>;

const TABLE = 'qbo_settings';
const COLUMNS = [
  'account_id',
  'clients_enabled',
  'invoices_enabled',
  'invoices_enabled_at',
  'payments_enabled',
  'payments_enabled_at',
  'income_account_qbo_id',
  'expense_account_qbo_id',
  'deposit_account_qbo_id',
  'taxable_tax_code_qbo_id',
  'non_taxable_tax_code_qbo_id',
  'default_state',
  'default_country',
  'fill_site_from_client',
  'nightly_sync_time',
  'nightly_time_zone',
] as const;

/**
 * qbo_settings: one row per account, every query by account id. The settings page reads and writes it here;
 * the invoice flows use `qbo-settings-repository.ts` (their columns only, under a row lock) and the engine
 * `sync-settings-reader.ts`: three readers of one row that should become one.
 */
export class SettingsRepository {
  constructor(private readonly knex: Knex) {}

  async findByAccount(accountId: string, trx?: Knex.Transaction): Promise<SettingsRow | null> {
    const row = await (trx ?? this.knex)(TABLE).where({ account_id: accountId }).first<SettingsRow | undefined>(COLUMNS);
    return row ?? null;
  }

  /** The row locked for the rest of `trx`, so two saves of one account apply one after the other. */
  async lockByAccount(accountId: string, trx: Knex.Transaction): Promise<SettingsRow | null> {
    const row = await trx(TABLE).where({ account_id: accountId }).forUpdate().first<SettingsRow | undefined>(COLUMNS);
    return row ?? null;
  }

  /** Insert or replace the account's settings, all columns in one statement. */
  async save(accountId: string, values: SettingsValues, now: Date, trx: Knex.Transaction): Promise<void> {
    await trx(TABLE)
      .insert({ ...values, account_id: accountId, created_at: now, updated_at: now })
      .onConflict('account_id')
      .merge({ ...values, updated_at: now });
  }
}
