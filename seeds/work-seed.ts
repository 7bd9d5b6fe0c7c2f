import type { Knex } from 'knex';
import { hashPassword } from '../dev/host/auth/passwords';
import { roundToCents } from '../dev/host/invoice-arithmetic';
import { LifecycleBus } from '../dev/host/lifecycle-bus';
import type { InvoiceLineInput } from '../dev/host/models/invoice-model';
import { createWorkModels, type WorkModels } from '../dev/host/models/work-models';
import type { WorkClient, WorkItem } from '../plugin/host/work-records';
import { SEED_ACCOUNTS, type SeedAccount } from './demo-accounts';
import { BLUEBIRD_CLIENTS, FAQ_CLIENTS, ORDINARY_CLIENTS, type SeedClient } from './demo-clients';
import { SEED_ITEMS } from './demo-items';

/** Any constant: two processes seeding at once wait for each other instead of seeding twice. */
const SEED_LOCK_KEY = 727_001;
const TAX_RATE = '8.875';

export interface SeedResult {
  seeded: boolean;
}

/**
 * Demo data for the Work stand-in. Idempotent: it does nothing when any account exists. Everything is written
 * in one transaction, so a failed seed leaves nothing half-done. The data is Work's history from before the
 * plugin was connected, so it goes through the models with a bus nobody listens to: no outbox rows.
 */
export async function seedWork(knex: Knex): Promise<SeedResult> {
  return knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [SEED_LOCK_KEY]);
    if (await trx('accounts').first('id')) return { seeded: false };
    const models = createWorkModels(knex, new LifecycleBus());
    const [northwind, bluebird] = SEED_ACCOUNTS;
    if (!northwind || !bluebird) throw new Error('seed accounts are missing');
    await seedAccount(trx, models, northwind, [...FAQ_CLIENTS, ...ORDINARY_CLIENTS], 'NW');
    await seedAccount(trx, models, bluebird, BLUEBIRD_CLIENTS, 'BB');
    return { seeded: true };
  });
}

async function seedAccount(trx: Knex.Transaction, models: WorkModels, account: SeedAccount, clients: readonly SeedClient[], prefix: string): Promise<void> {
  const [row] = await trx('accounts').insert({ name: account.name }).returning('id');
  if (!row) throw new Error('account insert returned nothing');
  const accountId = String(row.id);
  for (const u of account.users) {
    await trx('users').insert({ account_id: accountId, email: u.email, name: u.name, password_hash: await hashPassword(u.password), is_admin: u.isAdmin });
  }
  const items: WorkItem[] = [];
  for (const item of SEED_ITEMS) items.push(await models.items.create(accountId, item, { trx }));
  const created: WorkClient[] = [];
  for (const { faqCase: _doc, ...c } of clients) created.push(await models.clients.create(accountId, c, { trx }));
  await seedSites(trx, models, accountId, created);
  await seedInvoicesAndPayments(trx, models, accountId, created, items, prefix);
}

async function seedSites(trx: Knex.Transaction, models: WorkModels, accountId: string, clients: WorkClient[]): Promise<void> {
  for (const [i, c] of clients.entries()) {
    if (i % 3 !== 0) continue;
    const base = c.billingAddress;
    await models.sites.create(accountId, c.id, { name: 'Main building', contactName: c.firstName, email: c.email, phone: c.phone, address: base, active: true }, { trx });
    if (i % 6 === 0) {
      // A site with no details of its own: the plugin may fill them from the client.
      const blank = { line1: null, line2: null, city: null, state: null, postalCode: null, country: null };
      await models.sites.create(accountId, c.id, { name: `Warehouse ${i + 1}`, contactName: null, email: null, phone: null, address: blank, active: true }, { trx });
    }
  }
}

function line(item: WorkItem | undefined, quantity: string, unitPrice?: string): InvoiceLineInput {
  return { itemId: item?.id ?? null, description: item?.description ?? item?.name ?? 'Service', quantity, unitPrice: unitPrice ?? item?.unitPrice ?? '0', taxable: item?.taxable ?? false };
}

async function seedInvoicesAndPayments(trx: Knex.Transaction, models: WorkModels, accountId: string, clients: WorkClient[], items: WorkItem[], prefix: string): Promise<void> {
  const [labour, callOut, filter, pipe, thermostat, plan] = items;
  const bodies: InvoiceLineInput[][] = [
    [line(labour, '2.5'), line(callOut, '1'), line(filter, '3')],
    [line(pipe, '12.75'), line(labour, '1.25')],
    [line(thermostat, '1'), line(labour, '0.75')],
    // The FAQ's rounding case: three taxable lines at 0.3333 — Work's tax and QBO's differ by cents.
    [line(undefined, '1', '0.3333'), line(undefined, '1', '0.3333'), line(undefined, '1', '0.3333')].map((l) => ({ ...l, description: 'Small part', taxable: true })),
    [line(plan, '1')],
  ];
  const invoiceClients = clients.filter((c) => c.active).slice(0, Math.min(clients.length, 24));
  for (const [i, c] of invoiceClients.entries()) {
    const lines = bodies[i % bodies.length] ?? [];
    const day = String((i % 27) + 1).padStart(2, '0');
    // One number longer than QBO's 21-character DocNumber limit.
    const number = i === 5 ? `${prefix}-2026-LONG-INVOICE-NUMBER-${i + 1}` : `${prefix}-${String(1001 + i)}`;
    const invoice = await models.invoices.create(
      accountId,
      { clientId: c.id, siteId: null, number, issueDate: `2026-10-${day}`, dueDate: `2026-11-${day}`, notes: null, taxRate: TAX_RATE, lines },
      { trx },
    );
    if (i % 2 === 0) {
      const amount = i % 4 === 0 ? invoice.total : '50.00';
      await models.payments.create(accountId, { clientId: c.id, invoiceId: invoice.id, amount: roundToCents(amount), paidOn: `2026-11-${day}`, method: i % 4 === 0 ? 'Check' : 'Credit card', reference: `REF-${i + 1}` }, { trx });
    }
  }
  const first = clients[0];
  if (first) await models.payments.create(accountId, { clientId: first.id, invoiceId: null, amount: '100.00', paidOn: '2026-11-15', method: 'Cash', reference: 'Deposit' }, { trx });
}
