/**
 * Shared by the sync-*.test.ts files (not a test file): the Work stand-in with the plugin mounted, the QBO
 * sandbox over HTTP and a real PostgreSQL (the connect suites' world), plus a fresh Work account and a fresh
 * sandbox company per test, linked by a stored connection (the connect flow itself is tested elsewhere).
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { NewWorkClient, NewWorkSite, WorkClient, WorkSite } from '../../plugin/host/work-records';
import { TokenCipher } from '../../plugin/crypto/token-cipher';
import { tokenContext } from '../../plugin/qbo/token-store';
import type { SyncLogRow } from '../../plugin/persistence/sync-log-repository';
import { startWorld, type World } from './connect-sandbox-support';

export type QboObject = Record<string, unknown>;

export interface SyncAccount {
  accountId: string;
  realmId: string;
}

const NO_ADDRESS = { line1: null, line2: null, city: null, state: null, postalCode: null, country: null };

/** A Work client input with sensible blanks. */
export function client(companyName: string | null, extra: Partial<NewWorkClient> = {}): NewWorkClient {
  return { companyName, firstName: null, lastName: null, email: null, phone: null, billingAddress: NO_ADDRESS, notes: null, active: true, ...extra };
}

export function site(name: string, extra: Partial<Omit<NewWorkSite, 'clientId'>> = {}): Omit<NewWorkSite, 'clientId'> {
  return { name, contactName: null, email: null, phone: null, address: NO_ADDRESS, active: true, ...extra };
}

/** A QBO customer as the sandbox stores it (Active unless said otherwise). */
export function customer(displayName: string, extra: QboObject = {}): QboObject {
  return { DisplayName: displayName, CompanyName: displayName, Active: true, ...extra };
}

let accountNumber = 0;

/** A fresh Work account and a fresh (seeded: vendors, employees) sandbox company, connected. */
export async function newSyncAccount(world: World, name = `Sync Test ${++accountNumber}`, options: { customTxnNumbers?: boolean; country?: 'US' | 'CA' | 'GB' } = {}): Promise<SyncAccount> {
  const [row] = await world.knex('accounts').insert({ name }).returning('id');
  const accountId = String((row as { id: string | number }).id);
  const realmId = world.sandbox.control.createCompany({ companyName: `${name} Books`, country: options.country ?? 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: options.customTxnNumbers === true, seed: true }).realmId;
  const keyId = world.pluginOptions.tokenEncryptionKeyId;
  const cipher = TokenCipher.fromBase64(world.pluginOptions.tokenEncryptionKeys, keyId);
  const now = world.pluginClock();
  await world.knex('qbo_connections').insert({
    account_id: accountId,
    realm_id: realmId,
    status: 'connected',
    company_name: `${name} Books`,
    country: options.country ?? 'US',
    offering_sku: 'QuickBooks Online Plus',
    key_id: keyId,
    access_token_enc: cipher.encrypt(world.sandbox.issueAccessToken(realmId), tokenContext(realmId, 'access')),
    refresh_token_enc: cipher.encrypt(crypto.randomBytes(24).toString('base64url'), tokenContext(realmId, 'refresh')),
    access_token_expires_at: new Date(now.getTime() + 3_600_000),
    refresh_token_expires_at: new Date(now.getTime() + 100 * 86_400_000),
    connected_at: now,
  });
  return { accountId, realmId };
}

export async function addClient(world: World, accountId: string, input: NewWorkClient): Promise<WorkClient> {
  return world.work.models.clients.create(accountId, input);
}

export async function addSite(world: World, accountId: string, clientId: string, input: Omit<NewWorkSite, 'clientId'>): Promise<WorkSite> {
  return world.work.models.sites.create(accountId, clientId, input);
}

export function loadCustomers(world: World, realmId: string, objects: QboObject[]): QboObject[] {
  return world.sandbox.control.bulkLoad(realmId, 'Customer', objects);
}

export function qboCustomers(world: World, realmId: string): QboObject[] {
  return world.sandbox.control.objects(realmId, 'Customer');
}

export async function workClients(world: World, accountId: string): Promise<WorkClient[]> {
  return world.work.models.clients.list(accountId);
}

export async function workSites(world: World, accountId: string): Promise<WorkSite[]> {
  return world.work.models.sites.list(accountId);
}

export async function logOf(world: World, accountId: string): Promise<SyncLogRow[]> {
  return world.knex<SyncLogRow>('qbo_sync_log').where({ account_id: accountId }).orderBy('id');
}

/** Run a sync through the plugin handle and insist it finished. */
export async function syncNow(world: World, accountId: string, kind: 'onboarding' | 'continuous' | 'manual', dryRun = false) {
  const result = await world.work.plugin.sync.sync(accountId, { kind, dryRun });
  if (result.status !== 'finished') expect.fail(`sync ${kind} did not finish: ${JSON.stringify(result)}`);
  return result;
}

/** Everything that could show a write: sandbox objects, Work records and the plugin's tables. */
export async function stateOf(world: World, account: SyncAccount): Promise<string> {
  const tables: Record<string, unknown> = {};
  for (const t of ['qbo_mappings', 'qbo_review', 'qbo_sync_log', 'qbo_sync_runs', 'qbo_write_batches', 'qbo_cdc_bookmarks']) {
    tables[t] = await world.knex(t).where({ account_id: account.accountId }).count('* as n');
  }
  return JSON.stringify({
    qbo: qboCustomers(world, account.realmId),
    clients: await workClients(world, account.accountId),
    sites: await workSites(world, account.accountId),
    tables,
    requests: world.sandbox.control.requests({ realmId: account.realmId, method: 'POST' }).length,
  });
}

/** One world per suite. */
export function useSyncWorld(): { readonly world: World } {
  let world: World | undefined;
  before(async () => {
    world = await startWorld({ autoApprove: true });
  });
  after(() => world?.close());
  return {
    get world() {
      if (!world) throw new Error('the sync world starts in the suite\'s before hook');
      return world;
    },
  };
}

/** Edit a customer in "QuickBooks" the way a bookkeeper's app would: a sparse update over the real API. */
export async function editInQbo(world: World, realmId: string, id: string, fields: QboObject): Promise<QboObject> {
  const current = qboCustomers(world, realmId).find((c) => c['Id'] === id);
  if (!current) throw new Error(`no customer ${id}`);
  const response = await fetch(`${world.sandbox.baseUrl}/v3/company/${realmId}/customer?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.sandbox.issueAccessToken(realmId)}`, accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ Id: id, SyncToken: current['SyncToken'], sparse: true, ...fields }),
  });
  const body = (await response.json()) as { Customer?: QboObject };
  if (response.status !== 200 || !body.Customer) throw new Error(`edit in QBO failed: ${response.status} ${JSON.stringify(body)}`);
  return body.Customer;
}

/** POST requests the sandbox saw for the realm (writes), from a sequence number on. */
export function postsSince(world: World, realmId: string, sinceSeq: number): number {
  return world.sandbox.control.requests({ realmId, method: 'POST', sinceSeq }).length;
}

export function lastSeq(world: World): number {
  const all = world.sandbox.control.requests({});
  return all.length === 0 ? 0 : Math.max(...all.map((r) => r.seq));
}

/** The environment the developer CLI needs to reach this world's database and sandbox. */
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
