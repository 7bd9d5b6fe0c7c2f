/**
 * Shared by the resilience suites (not a test file): one deterministic data set covering an onboarding
 * (clients, sites, matching and QBO-only customers) and an invoice and payment push, the worker process that
 * runs the engine (the developer CLI), a seeded PRNG, and the end state compared against a clean run's —
 * keyed by names, numbers and references, never by ids, so two accounts on identical setups compare equal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import type { World } from '../integration/connect-sandbox-support';
import { addClient, addSite, client, customer, loadCustomers, newSyncAccount, site, type QboObject, type SyncAccount } from '../integration/sync-support';
import { DEPOSIT, INCOME, line } from '../integration/sync-invoices-support';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The data set: a few hundred records of every kind the sync moves. */
export const SIZE = { workClients: 100, qboCustomers: 100, matching: 50, sitesEvery: 4, invoices: 90, payments: 60, invoicedClients: 30 };

/** What one clean run of the data set stores: clients + QBO-only customers + sites + invoices + payments (+ items). */
export const RECORDS = SIZE.workClients + (SIZE.qboCustomers - SIZE.matching) + SIZE.workClients / SIZE.sitesEvery + SIZE.invoices + SIZE.payments;

/** The part of a World the fixtures need (the database-restart suite builds one on its own server). */
export type Env = Pick<World, 'knex' | 'sandbox' | 'work' | 'pluginOptions' | 'pluginClock' | 'databaseUrl'>;

/** A small seeded PRNG (LCG) so a failing run can be replayed: the seed is printed in every message. */
export function prng(seed: number): () => number {
  // Scrambled first: an LCG's first outputs for small seeds all lie close together.
  let s = Math.imul((seed ^ 0x9e3779b9) >>> 0, 2654435761) >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  next();
  next();
  return next;
}

export function seedFrom(name: string): number {
  return Number(process.env[name] ?? process.env.RESILIENCE_SEED ?? Date.now() % 100_000);
}

const pad = (i: number): string => String(i).padStart(3, '0');

/**
 * A fresh connected account holding the whole data set: Work clients (every fourth with a site), QBO
 * customers (half matching a client by name and email), invoices and payments switched on, and invoices and
 * payments for the first clients (half of them matched in QBO, half to be created there first).
 */
export async function seededAccount(env: Env, label: string): Promise<SyncAccount> {
  const account = await newSyncAccount(env as World, label);
  await seedData(env, account);
  return account;
}

/** The data set, into an account already connected to its company. */
export async function seedData(env: Env, account: SyncAccount): Promise<void> {
  const clients: string[] = [];
  for (let i = 0; i < SIZE.workClients; i += 1) {
    const c = await addClient(env as World, account.accountId, client(`Res Client ${pad(i)}`, { email: `c${i}@res.test` }));
    clients.push(c.id);
    if (i % SIZE.sitesEvery === 0) await addSite(env as World, account.accountId, c.id, site(`Res Site ${pad(i)}`));
  }
  loadCustomers(
    env as World,
    account.realmId,
    Array.from({ length: SIZE.qboCustomers }, (_, j) => {
      const i = j < SIZE.matching ? j : SIZE.workClients + j;
      return customer(`Res Client ${pad(i)}`, { PrimaryEmailAddr: { Address: `c${i}@res.test` } });
    }),
  );
  const saved = await env.work.plugin.sync.updateInvoiceSettings(account.accountId, { invoicesEnabled: true, paymentsEnabled: true, incomeAccountId: INCOME, depositAccountId: DEPOSIT });
  expect(saved.status, JSON.stringify(saved)).to.equal('saved');
  // Records saved in the millisecond of the switch count as after it; wait one so the order is plain.
  await new Promise((r) => setTimeout(r, 5));
  const invoices: string[] = [];
  for (let i = 0; i < SIZE.invoices; i += 1) {
    // Clients 0..29: the even ones are matched in QBO, the odd ones created there during the same run.
    const clientId = clients[(i * 7) % SIZE.invoicedClients] ?? '';
    const invoice = await env.work.models.invoices.create(account.accountId, {
      clientId,
      siteId: null,
      number: `RES-${pad(i)}`,
      issueDate: '2026-11-20',
      dueDate: '2026-12-20',
      notes: null,
      taxRate: '8.25',
      lines: [line(String(1 + (i % 3)), `${10 + i}.3333`, { taxable: i % 2 === 0 }), line('0.5', '7.0000')],
    });
    invoices.push(invoice.id);
  }
  for (let j = 0; j < SIZE.payments; j += 1) {
    const invoiceAt = (j * 3) % SIZE.invoices;
    const invoice = await env.work.models.invoices.get(account.accountId, invoices[invoiceAt] ?? '');
    await env.work.models.payments.create(account.accountId, { clientId: invoice?.clientId ?? '', invoiceId: invoice?.id ?? null, amount: `${5 + (j % 7)}.00`, paidOn: '2026-11-25', method: 'Check', reference: `PAY-${pad(j)}` });
  }
}

/** The environment the developer CLI needs to reach this database and sandbox (another process). */
export function workerEnv(env: Env, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keyId = env.pluginOptions.tokenEncryptionKeyId;
  return {
    ...process.env,
    DATABASE_URL: env.databaseUrl,
    QBO_API_BASE_URL: env.pluginOptions.apiBaseUrl,
    QBO_AUTHORIZE_URL: env.pluginOptions.authorizeUrl,
    QBO_TOKEN_URL: env.pluginOptions.tokenUrl,
    QBO_REVOKE_URL: env.pluginOptions.revokeUrl,
    QBO_CLIENT_ID: env.pluginOptions.clientId,
    QBO_CLIENT_SECRET: env.pluginOptions.clientSecret,
    QBO_TOKEN_KEY_ID: keyId,
    QBO_TOKEN_KEY: env.pluginOptions.tokenEncryptionKeys[keyId],
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

export interface Worker {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The exit code once it exited, else undefined. */
  code(): number | null | undefined;
  output(): string;
}

/** The worker: a separate node process running the engine through the developer CLI (`npm run work -- sync …`). */
export function startWorker(env: Env, accountId: string, kind: 'continuous' | 'onboarding' | 'manual' = 'continuous', overrides: NodeJS.ProcessEnv = {}): Worker {
  const flags = kind === 'continuous' ? [] : [`--${kind}`];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'cli', 'work-cli.ts'), 'sync', '--account', accountId, ...flags], { cwd: ROOT, env: workerEnv(env, overrides), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let code: number | null | undefined;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (c, signal) => {
      code = c ?? (signal ? -1 : null);
      resolve(code);
    }),
  );
  return { child, exited, code: () => code, output: () => out };
}

/** Records the sync has linked so far (every entity), what a kill point is chosen against. */
export async function linked(env: Env, accountId: string): Promise<number> {
  const rows = await env.knex('qbo_mappings').where({ account_id: accountId }).count<{ n: string }[]>('* as n');
  return Number(rows[0]?.n ?? 0);
}

const noteKey = (o: QboObject): string => String(o['PrivateNote'] ?? '').split('\n')[0] ?? '';

function qboKeyer(env: Env, realmId: string): { customers: QboObject[]; invoices: QboObject[]; payments: QboObject[]; key(entity: string, qboId: string): string } {
  const customers = env.sandbox.control.objects(realmId, 'Customer');
  const invoices = env.sandbox.control.objects(realmId, 'Invoice');
  const payments = env.sandbox.control.objects(realmId, 'Payment');
  const items = env.sandbox.control.objects(realmId, 'Item');
  const byId = (list: QboObject[]) => new Map(list.map((o) => [String(o['Id']), o]));
  const c = byId(customers);
  const inv = byId(invoices);
  const pay = byId(payments);
  const it = byId(items);
  return {
    customers,
    invoices,
    payments,
    key(entity, qboId) {
      if (entity === 'client' || entity === 'site') return `customer ${String(c.get(qboId)?.['DisplayName'] ?? `missing ${qboId}`)}`;
      if (entity === 'invoice') return `invoice ${inv.has(qboId) ? noteKey(inv.get(qboId) ?? {}) : `missing ${qboId}`}`;
      if (entity === 'payment') return `payment ${String(pay.get(qboId)?.['PaymentRefNum'] ?? `missing ${qboId}`)}`;
      if (entity === 'item') return `item ${String(it.get(qboId)?.['Name'] ?? `missing ${qboId}`)}`;
      return `${entity} ${qboId}`;
    },
  };
}

async function workKeyer(env: Env, accountId: string): Promise<(entity: string, workId: string) => string> {
  const names = async (table: string, column: string) =>
    new Map(((await env.knex(table).where({ account_id: accountId }).select('id', column)) as Record<string, unknown>[]).map((r) => [String(r['id']), String(r[column])]));
  const tables: Record<string, Map<string, string>> = {
    client: await names('clients', 'company_name'),
    site: await names('sites', 'name'),
    invoice: await names('invoices', 'number'),
    payment: await names('payments', 'reference'),
  };
  return (entity, workId) => {
    const table = tables[entity];
    if (!table) return `${entity} ${workId}`;
    return `${entity} ${table.get(workId) ?? `missing ${workId}`}`;
  };
}

/**
 * Both sides as plain text: QBO's customers (name, job, parent, active, email), invoices (Work number from the
 * private note, customer, total, balance, lines), payments (reference, customer, total, what each applied to);
 * Work's clients (name, email, active) and sites (name, client); every mapping as Work key → QBO key; and what
 * must be empty at the end (open durable batches, outbox rows not done).
 */
export async function endState(env: Env, account: SyncAccount) {
  const qbo = qboKeyer(env, account.realmId);
  const workKey = await workKeyer(env, account.accountId);
  const customerName = new Map(qbo.customers.map((c) => [String(c['Id']), String(c['DisplayName'])]));
  const invoiceNote = new Map(qbo.invoices.map((i) => [String(i['Id']), noteKey(i)]));
  const ref = (o: QboObject, field: string) => customerName.get(String((o[field] as { value?: string } | undefined)?.value ?? '')) ?? '-';
  const clients = (await env.knex('clients').where({ account_id: account.accountId }).select('company_name', 'email', 'active')) as { company_name: string; email: string; active: boolean }[];
  const sites = (await env.knex('sites as s').join('clients as c', 'c.id', 's.client_id').where({ 's.account_id': account.accountId }).select('s.name', 'c.company_name')) as { name: string; company_name: string }[];
  const mappings = (await env.knex('qbo_mappings').where({ account_id: account.accountId }).select('entity', 'work_id', 'qbo_id')) as { entity: string; work_id: string; qbo_id: string }[];
  return {
    qboCustomers: qbo.customers
      .map((c) => `${String(c['DisplayName'])} job=${String(c['Job'] ?? false)} parent=${ref(c, 'ParentRef')} active=${String(c['Active'])} email=${String((c['PrimaryEmailAddr'] as { Address?: string } | undefined)?.Address ?? '-')}`)
      .sort(),
    qboInvoices: qbo.invoices.map((i) => `${noteKey(i)} customer=${ref(i, 'CustomerRef')} total=${String(i['TotalAmt'])} balance=${String(i['Balance'])} lines=${(i['Line'] as unknown[]).length}`).sort(),
    qboPayments: qbo.payments
      .map((p) => {
        const lines = (p['Line'] as { Amount: number; LinkedTxn: { TxnId: string }[] }[] | undefined) ?? [];
        return `${String(p['PaymentRefNum'])} customer=${ref(p, 'CustomerRef')} total=${String(p['TotalAmt'])} → ${lines.map((l) => `${invoiceNote.get(l.LinkedTxn[0]?.TxnId ?? '') ?? '?'}:${l.Amount}`).join(',')}`;
      })
      .sort(),
    workClients: clients.map((c) => `${c.company_name} ${c.email} active=${String(c.active)}`).sort(),
    workSites: sites.map((s) => `${s.name} of ${s.company_name}`).sort(),
    mappings: mappings.map((m) => `${workKey(m.entity, m.work_id)} → ${qbo.key(m.entity, m.qbo_id)}`).sort(),
    openBatches: Number(((await env.knex('qbo_write_batches').where({ account_id: account.accountId, state: 'open' }).count('* as n')) as { n: string }[])[0]?.n ?? 0),
    /** Failures still waiting for a retry: none once everything went through. */
    awaitingRetry: ((await env.knex('qbo_sync_log').where({ account_id: account.accountId }).whereNotNull('next_attempt_at').select('entity', 'work_id', 'reason_code')) as { entity: string; work_id: string | null; reason_code: string }[])
      .map((e) => `${e.work_id === null ? `${e.entity} (QBO)` : workKey(e.entity, e.work_id)}: ${e.reason_code}`)
      .sort(),
    outboxNotDone: ((await env.knex('qbo_outbox').where({ account_id: account.accountId }).whereIn('status', ['pending', 'processing']).select('entity', 'status')) as { entity: string; status: string }[]).map((r) => `${r.entity} ${r.status}`).sort(),
  };
}

export type EndState = Awaited<ReturnType<typeof endState>>;

/** The clean run's end state must itself be complete: every record once on each side, all mapped, nothing left. */
export function expectComplete(state: EndState, what: string): void {
  const unique = (list: string[], label: string) => expect(new Set(list).size, `${what}: ${label} duplicated`).to.equal(list.length);
  unique(state.qboCustomers.map((c) => c.split(' job=')[0] ?? ''), 'QBO customers');
  unique(state.qboInvoices.map((i) => i.split(' customer=')[0] ?? ''), 'QBO invoices');
  unique(state.qboPayments.map((p) => p.split(' customer=')[0] ?? ''), 'QBO payments');
  unique(state.workClients.map((c) => c.split(' active=')[0] ?? ''), 'Work clients');
  unique(state.workSites, 'Work sites');
  unique(state.mappings, 'mappings');
  expect(state.qboInvoices, `${what}: invoices`).to.have.length(SIZE.invoices);
  expect(state.qboPayments, `${what}: payments`).to.have.length(SIZE.payments);
  expect(state.workClients, `${what}: Work clients`).to.have.length(SIZE.workClients + SIZE.qboCustomers - SIZE.matching);
  expect(state.qboCustomers.filter((c) => c.includes('job=true')), `${what}: sub-customers`).to.have.length(SIZE.workClients / SIZE.sitesEvery);
  expect(state.mappings.filter((m) => !m.startsWith('item')), `${what}: mappings`).to.have.length(RECORDS);
  expect(state.mappings.filter((m) => m.includes('missing')), `${what}: mappings to nothing`).to.deep.equal([]);
  expect(state.openBatches, `${what}: open batches`).to.equal(0);
  expect(state.outboxNotDone, `${what}: outbox rows not done`).to.deep.equal([]);
  expect(state.awaitingRetry, `${what}: failures awaiting a retry`).to.deep.equal([]);
}
