import { INVOICE_SETTINGS_ERROR_TEXTS, INVOICE_PAYMENT_TEXTS, SYNC_TEXTS } from '../../messages';
import { InvoiceReconciliationRepository } from '../../persistence/invoice-reconciliation-repository';
import { QboSettingsRepository } from '../../persistence/qbo-settings-repository';
import type { EngineDeps } from '../engine/engine-deps';
import { isUsCompany, validateSettingsChange, type CompanyFacts, type InvoicePaymentSettings, type SettingsChange, type SettingsError, type TaxCodeSeen } from '../plan/settings-rules';
import { taxCodes } from '../../qbo/entities/tax-code';
import { readAccounts } from './push-facts';

export type SettingsUpdateResult =
  | { status: 'saved'; settings: InvoicePaymentSettings }
  | { status: 'invalid'; settings: InvoicePaymentSettings; errors: (SettingsError & { message: string })[] }
  | { status: 'not_connected' | 'needs_reconnect'; message: string };

export interface AccountInQbo {
  id: string;
  name: string;
  type: string;
  subType: string | null;
  active: boolean;
}

export interface InvoiceDifference {
  workInvoiceId: string;
  qboInvoiceId: string;
  workTotal: string;
  qboTotal: string;
  differenceCents: string;
  explainableCents: string;
  explained: boolean;
  /** The FAQ's explanation, or why rounding cannot explain it. */
  explanation: string;
}

async function realmOf(deps: EngineDeps, accountId: string): Promise<{ realmId: string; country: string | null } | { status: 'not_connected' | 'needs_reconnect'; message: string }> {
  const connection = await deps.connections.findByAccount(accountId);
  if (!connection || connection.status === 'disconnected') return { status: 'not_connected', message: SYNC_TEXTS.notConnected };
  if (connection.status === 'needs_reconnect') return { status: 'needs_reconnect', message: SYNC_TEXTS.needsReconnect };
  return { realmId: connection.realm_id, country: connection.country };
}

export async function invoiceSettings(deps: EngineDeps, accountId: string): Promise<InvoicePaymentSettings> {
  return new QboSettingsRepository(deps.knex).invoicePaymentSettings(accountId);
}

/**
 * Change the invoice and payment settings: checked against the company's accounts and tax codes as QBO has
 * them now (plan/settings-rules.ts); nothing is saved when anything is wrong. Turning invoices (payments) on
 * records the moment, so only records created or changed from then on are pushed.
 */
export async function updateInvoiceSettings(deps: EngineDeps, accountId: string, change: SettingsChange): Promise<SettingsUpdateResult> {
  const realm = await realmOf(deps, accountId);
  if ('status' in realm) return realm;
  const codes = new Map<string, TaxCodeSeen>();
  const facts: CompanyFacts = { country: realm.country, accounts: await readAccounts(deps.qbo, realm.realmId), taxCodes: codes };
  if (!isUsCompany(facts)) for await (const c of taxCodes.queryAll(deps.qbo, realm.realmId, taxCodes.select().where('Active', 'IN', [true, false]).orderBy('Id'))) codes.set(c.Id, c);
  return new QboSettingsRepository(deps.knex).update<SettingsUpdateResult>(accountId, deps.clock(), (current) => {
    const result = validateSettingsChange(current, change, facts, deps.clock());
    if (result.ok) return { save: result.settings, result: { status: 'saved', settings: result.settings } };
    return { save: null, result: { status: 'invalid', settings: current, errors: result.errors.map((e) => ({ ...e, message: INVOICE_SETTINGS_ERROR_TEXTS[e.code] })) } };
  });
}

/** The company's accounts with their types (inactive ones too, marked), for choosing the income, expense and deposit accounts. */
export async function accountsInQbo(deps: EngineDeps, accountId: string): Promise<{ status: 'ok'; accounts: AccountInQbo[] } | { status: 'not_connected' | 'needs_reconnect'; message: string }> {
  const realm = await realmOf(deps, accountId);
  if ('status' in realm) return realm;
  const accounts = [...(await readAccounts(deps.qbo, realm.realmId)).values()].map((a) => ({
    id: a.Id,
    name: a.Name ?? '',
    type: a.AccountType,
    subType: (a as { AccountSubType?: string }).AccountSubType ?? null,
    active: a.Active !== false,
  }));
  return { status: 'ok', accounts: accounts.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)) };
}

/** Pushed invoices whose QBO total differs from Work's, with the FAQ's explanation (unexplained ones first). */
export async function invoiceDifferences(deps: EngineDeps, accountId: string): Promise<InvoiceDifference[]> {
  const rows = await new InvoiceReconciliationRepository(deps.knex).differences(accountId);
  return rows.map((r) => {
    const difference = Number(r.difference_cents).toFixed(0);
    return {
      workInvoiceId: r.work_invoice_id,
      qboInvoiceId: r.qbo_invoice_id,
      workTotal: r.work_total,
      qboTotal: r.qbo_total,
      differenceCents: difference,
      explainableCents: Number(r.explainable_cents).toFixed(0),
      explained: r.explained,
      explanation: r.explained ? INVOICE_PAYMENT_TEXTS.totalsDiffer(difference) : INVOICE_PAYMENT_TEXTS.totalsUnexplained(difference, Number(r.explainable_cents).toFixed(0)),
    };
  });
}
