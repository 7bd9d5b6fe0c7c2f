/**
 * Shared by the sync-invoices-*.test.ts files (not a test file): a connected account with a linked client and
 * the invoice/payment settings on, and small builders of Work invoices and payments through the stand-in's
 * models (so their lifecycle events queue outbox rows like a real save).
 */
import { expect } from 'chai';
import type { WorkClient } from '../../plugin/host/work-records';
import type { InvoiceInput } from '../../dev/host/models/invoice-model';
import type { PaymentInput } from '../../dev/host/models/payment-model';
import type { World } from './connect-sandbox-support';
import { addClient, client, newSyncAccount, syncNow, type QboObject, type SyncAccount } from './sync-support';

export interface InvoiceAccount extends SyncAccount {
  client: WorkClient;
}

/** Income "Services" (1), deposit "Checking" (2) in every seeded sandbox company. */
export const INCOME = '1';
export const DEPOSIT = '2';

export async function invoiceAccount(world: World, options: { customTxnNumbers?: boolean; payments?: boolean } = {}): Promise<InvoiceAccount> {
  const account = await newSyncAccount(world, undefined, { customTxnNumbers: options.customTxnNumbers === true });
  const c = await addClient(world, account.accountId, client(`Client ${account.accountId}`));
  await syncNow(world, account.accountId, 'onboarding');
  const saved = await world.work.plugin.sync.updateInvoiceSettings(account.accountId, {
    invoicesEnabled: true,
    paymentsEnabled: options.payments !== false,
    incomeAccountId: INCOME,
    depositAccountId: DEPOSIT,
  });
  expect(saved.status, JSON.stringify(saved)).to.equal('saved');
  // Invoices saved in the same millisecond as the switch count as after it; wait one so the order is plain.
  await new Promise((r) => setTimeout(r, 5));
  return { ...account, client: c };
}

export function line(quantity: string, unitPrice: string, extra: Partial<InvoiceInput['lines'][number]> = {}): InvoiceInput['lines'][number] {
  return { itemId: null, description: 'Labour', quantity, unitPrice, taxable: false, ...extra };
}

let invoiceNumber = 1000;

export async function addInvoice(world: World, account: InvoiceAccount, lines: InvoiceInput['lines'], extra: Partial<InvoiceInput> = {}) {
  return world.work.models.invoices.create(account.accountId, {
    clientId: account.client.id,
    siteId: null,
    number: `INV-${++invoiceNumber}`,
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    notes: null,
    taxRate: '8.25',
    lines,
    ...extra,
  });
}

export async function addPayment(world: World, account: InvoiceAccount, invoiceId: string | null, amount: string, extra: Partial<PaymentInput> = {}) {
  return world.work.models.payments.create(account.accountId, { clientId: account.client.id, invoiceId, amount, paidOn: '2026-11-25', method: 'Check', reference: null, ...extra });
}

export function qboInvoices(world: World, realmId: string): QboObject[] {
  return world.sandbox.control.objects(realmId, 'Invoice');
}

export function qboPayments(world: World, realmId: string): QboObject[] {
  return world.sandbox.control.objects(realmId, 'Payment');
}

export async function mappingOf(world: World, accountId: string, entity: string, workId: string): Promise<{ qbo_id: string; qbo_sync_token: string | null } | undefined> {
  return world.knex('qbo_mappings').where({ account_id: accountId, entity, work_id: workId }).first();
}

/** A bookkeeper's change in "QuickBooks" over the real API (void, delete, sparse update), not through the plugin. */
export async function bookkeeper(world: World, realmId: string, path: string, body: QboObject, query = ''): Promise<QboObject> {
  const response = await fetch(`${world.sandbox.baseUrl}/v3/company/${realmId}/${path}?minorversion=75${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.sandbox.issueAccessToken(realmId)}`, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as QboObject;
  if (response.status !== 200) throw new Error(`bookkeeper ${path} failed: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

export async function updateInvoice(world: World, account: InvoiceAccount, invoice: { id: string; number: string; issueDate: string; dueDate: string | null }, lines: InvoiceInput['lines'], extra: Partial<InvoiceInput> = {}) {
  return world.work.models.invoices.update(account.accountId, invoice.id, {
    clientId: account.client.id,
    siteId: null,
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    notes: null,
    taxRate: '8.25',
    lines,
    ...extra,
  });
}

export const salesLines = (invoice: QboObject | undefined): { Amount: number; Description?: string; SalesItemLineDetail: { ItemRef: { value: string }; Qty: number; UnitPrice: number; TaxCodeRef: { value: string } } }[] =>
  ((invoice?.['Line'] as { DetailType: string }[] | undefined) ?? []).filter((l) => l.DetailType === 'SalesItemLineDetail') as never;

export async function outboxOf(world: World, accountId: string, entity: string, recordId: string): Promise<{ status: string; last_error: string | null }[]> {
  return world.knex('qbo_outbox').where({ account_id: accountId, entity, record_id: recordId }).orderBy('id');
}

/** The environment the developer CLI needs to reach this world's database and sandbox (as another process). */
export function cliEnv(world: World): NodeJS.ProcessEnv {
  const keyId = world.pluginOptions.tokenEncryptionKeyId;
  return {
    ...process.env,
    DATABASE_URL: world.databaseUrl,
    QBO_API_BASE_URL: world.pluginOptions.apiBaseUrl,
    QBO_AUTHORIZE_URL: world.pluginOptions.authorizeUrl,
    QBO_TOKEN_URL: world.pluginOptions.tokenUrl,
    QBO_REVOKE_URL: world.pluginOptions.revokeUrl,
    QBO_CLIENT_ID: world.pluginOptions.clientId,
    QBO_CLIENT_SECRET: world.pluginOptions.clientSecret,
    QBO_TOKEN_KEY_ID: keyId,
    QBO_TOKEN_KEY: world.pluginOptions.tokenEncryptionKeys[keyId],
    LOG_LEVEL: 'error',
  };
}

/** Change a company preference group the way a bookkeeper would in QBO's settings (the control API). */
export function setPreference(world: World, realmId: string, group: string, fields: QboObject): void {
  const [prefs] = world.sandbox.control.objects(realmId, 'Preferences');
  if (!prefs) throw new Error('no Preferences');
  world.sandbox.control.bulkLoad(realmId, 'Preferences', [{ ...prefs, [group]: { ...((prefs[group] ?? {}) as QboObject), ...fields } }]);
}

/** Make a QBO account active or inactive, as a bookkeeper would (a sparse update over the API). */
export async function setAccountActive(world: World, realmId: string, accountId: string, active: boolean): Promise<void> {
  const current = world.sandbox.control.objects(realmId, 'Account').find((a) => a['Id'] === accountId);
  if (!current) throw new Error(`no account ${accountId}`);
  await bookkeeper(world, realmId, 'account', { ...current, Active: active });
}
