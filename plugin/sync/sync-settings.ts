import type { Knex } from 'knex';
import type { SettingsRepository, SettingsRow, SettingsValues } from '../persistence/settings-repository';
// The invoice/payment fields are the rules' own shape (invoicesEnabledAt: only invoices changed after it are pushed).
import type { InvoicePaymentSettings } from './plan/settings-rules';

/** An account's sync settings as the rest of the plugin reads them (defaults when never saved). */
export interface SyncSettings extends InvoicePaymentSettings {
  clientsEnabled: boolean;
  defaultState: string | null;
  defaultCountry: string | null;
  fillSiteFromClient: boolean;
  /** "HH:MM" in `timeZone`. */
  nightlyTime: string;
  /** An IANA time zone name. */
  timeZone: string;
}

/** What the admin chooses on the form; the "enabled at" moments are the service's to record. */
export type SettingsChoice = Omit<SyncSettings, 'invoicesEnabledAt' | 'paymentsEnabledAt'>;

export const DEFAULT_SETTINGS: SyncSettings = {
  clientsEnabled: true,
  invoicesEnabled: false,
  invoicesEnabledAt: null,
  paymentsEnabled: false,
  paymentsEnabledAt: null,
  incomeAccountId: null,
  expenseAccountId: null,
  depositAccountId: null,
  taxableTaxCodeId: null,
  nonTaxableTaxCodeId: null,
  defaultState: null,
  defaultCountry: null,
  fillSiteFromClient: true,
  nightlyTime: '02:00',
  timeZone: 'UTC',
};

function fromRow(row: SettingsRow): SyncSettings {
  return {
    clientsEnabled: row.clients_enabled,
    invoicesEnabled: row.invoices_enabled,
    invoicesEnabledAt: row.invoices_enabled_at,
    paymentsEnabled: row.payments_enabled,
    paymentsEnabledAt: row.payments_enabled_at,
    incomeAccountId: row.income_account_qbo_id,
    expenseAccountId: row.expense_account_qbo_id,
    depositAccountId: row.deposit_account_qbo_id,
    taxableTaxCodeId: row.taxable_tax_code_qbo_id,
    nonTaxableTaxCodeId: row.non_taxable_tax_code_qbo_id,
    defaultState: row.default_state,
    defaultCountry: row.default_country,
    fillSiteFromClient: row.fill_site_from_client,
    nightlyTime: row.nightly_sync_time,
    timeZone: row.nightly_time_zone,
  };
}

/** A switch turned on records the moment; one left on keeps its moment; one turned off forgets it. */
function enabledAt(on: boolean, wasOn: boolean, since: Date | null, now: Date): Date | null {
  if (!on) return null;
  return wasOn && since ? since : now;
}

function toValues(choice: SettingsChoice, previous: SyncSettings, now: Date): SettingsValues {
  return {
    clients_enabled: choice.clientsEnabled,
    invoices_enabled: choice.invoicesEnabled,
    invoices_enabled_at: enabledAt(choice.invoicesEnabled, previous.invoicesEnabled, previous.invoicesEnabledAt, now),
    payments_enabled: choice.paymentsEnabled,
    payments_enabled_at: enabledAt(choice.paymentsEnabled, previous.paymentsEnabled, previous.paymentsEnabledAt, now),
    income_account_qbo_id: choice.incomeAccountId,
    expense_account_qbo_id: choice.expenseAccountId,
    deposit_account_qbo_id: choice.depositAccountId,
    taxable_tax_code_qbo_id: choice.taxableTaxCodeId,
    non_taxable_tax_code_qbo_id: choice.nonTaxableTaxCodeId,
    default_state: choice.defaultState,
    default_country: choice.defaultCountry,
    fill_site_from_client: choice.fillSiteFromClient,
    nightly_sync_time: choice.nightlyTime,
    nightly_time_zone: choice.timeZone,
  };
}

/** Reads and saves an account's sync settings; a save is one transaction under the row's lock. */
export class SyncSettingsService {
  constructor(
    private readonly knex: Knex,
    private readonly settings: SettingsRepository,
    private readonly clock: () => Date,
  ) {}

  async current(accountId: string): Promise<SyncSettings> {
    const row = await this.settings.findByAccount(accountId);
    return row ? fromRow(row) : { ...DEFAULT_SETTINGS };
  }

  /** Save a validated choice; returns the settings as stored (with the moments switches were turned on). */
  async save(accountId: string, choice: SettingsChoice): Promise<SyncSettings> {
    return this.knex.transaction(async (trx) => {
      const row = await this.settings.lockByAccount(accountId, trx);
      const previous = row ? fromRow(row) : { ...DEFAULT_SETTINGS };
      const now = this.clock();
      const values = toValues(choice, previous, now);
      await this.settings.save(accountId, values, now, trx);
      return fromRow({ ...values, account_id: accountId });
    });
  }
}
