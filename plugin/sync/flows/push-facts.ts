import { QboSettingsRepository } from '../../persistence/qbo-settings-repository';
import { accounts } from '../../qbo/entities/account';
import { paymentMethods } from '../../qbo/entities/payment-method';
import { readPreferences } from '../../qbo/entities/preferences';
import { taxCodes } from '../../qbo/entities/tax-code';
import type { EntityClient } from '../../qbo/entities/entity-api';
import type { EngineDeps } from '../engine/engine-deps';
import type { LineTaxCodes } from '../mappers/invoice-invoice';
import { isUsCompany, type AccountSeen, type CompanyFacts, type InvoicePaymentSettings, type TaxCodeSeen } from '../plan/settings-rules';

/** What a push run knows of the settings and the company, read once at its start. */
export interface PushFacts {
  settings: InvoicePaymentSettings;
  facts: CompanyFacts;
  /** Preferences.SalesFormsPrefs.CustomTxnNumbers: on means the DocNumber is sent and checked for clashes. */
  customTxnNumbers: boolean;
  taxCodes: LineTaxCodes;
  paymentMethods: { Id: string; Name: string; Active?: boolean | undefined }[];
}

export async function readAccounts(client: EntityClient, realmId: string): Promise<Map<string, AccountSeen>> {
  const out = new Map<string, AccountSeen>();
  for await (const a of accounts.queryAll(client, realmId, accounts.select().where('Active', 'IN', [true, false]).orderBy('Id'))) out.set(a.Id, a);
  return out;
}

/**
 * Settings, accounts (inactive ones too, so one made inactive after it was chosen is reported), tax codes
 * outside the US, the custom-numbers preference and payment methods: a handful of reads per run.
 */
export async function readPushFacts(deps: EngineDeps, accountId: string, realmId: string): Promise<PushFacts> {
  const settings = await new QboSettingsRepository(deps.knex).invoicePaymentSettings(accountId);
  const connection = await deps.connections.findByAccount(accountId);
  const country = connection?.country ?? null;
  // Invoice sync off: every record is skipped before any account matters, so nothing is read from QBO.
  if (!settings.invoicesEnabled) return { settings, facts: { country, accounts: new Map(), taxCodes: new Map() }, customTxnNumbers: false, taxCodes: { mode: 'us' }, paymentMethods: [] };
  const accountMap = await readAccounts(deps.qbo, realmId);
  const codes = new Map<string, TaxCodeSeen>();
  if (country !== 'US') {
    for await (const c of taxCodes.queryAll(deps.qbo, realmId, taxCodes.select().where('Active', 'IN', [true, false]).orderBy('Id'))) codes.set(c.Id, c);
  }
  const prefs = await readPreferences(deps.qbo, realmId);
  const methods = [];
  if (settings.paymentsEnabled) {
    for await (const m of paymentMethods.queryAll(deps.qbo, realmId, paymentMethods.select().where('Active', 'IN', [true, false]).orderBy('Id'))) methods.push(m);
  }
  const facts: CompanyFacts = { country, accounts: accountMap, taxCodes: codes };
  return {
    settings,
    facts,
    customTxnNumbers: prefs.SalesFormsPrefs?.CustomTxnNumbers === true,
    taxCodes: isUsCompany(facts) ? { mode: 'us' } : { mode: 'codes', taxable: settings.taxableTaxCodeId, nonTaxable: settings.nonTaxableTaxCodeId },
    paymentMethods: methods,
  };
}
