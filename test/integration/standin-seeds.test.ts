import { expect } from 'chai';
import type { Knex } from 'knex';
import { verifyPassword } from '../../dev/host/auth/passwords';
import { SEED_ACCOUNTS } from '../../seeds/demo-accounts';
import { LONG_COMPANY_NAME } from '../../seeds/demo-clients';
import { seedWork } from '../../seeds/work-seed';
import { testKnex, truncateAll } from '../support/test-database';
import { countRows } from './standin-fixtures';

const TABLES = ['accounts', 'users', 'clients', 'sites', 'items', 'invoices', 'invoice_lines', 'payments', 'qbo_outbox'];

async function counts(knex: Knex): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const t of TABLES) result[t] = await countRows(knex, t);
  return result;
}

describe('stand-in seeds', () => {
  let knex: Knex;
  let northwindId: string;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    await truncateAll();
  });

  async function seedOnce(): Promise<void> {
    expect(await seedWork(knex)).to.deep.equal({ seeded: true });
    const row = await knex('accounts').where({ name: SEED_ACCOUNTS[0]?.name }).first('id');
    northwindId = String(row?.id);
  }

  it('yields the same counts when run twice, and queues nothing for the plugin', async () => {
    await seedOnce();
    const first = await counts(knex);
    expect(await seedWork(knex)).to.deep.equal({ seeded: false });
    expect(await counts(knex)).to.deep.equal(first);
    expect(first).to.include({ accounts: 2, users: 4, qbo_outbox: 0 });
    for (const t of ['sites', 'items', 'invoices', 'invoice_lines', 'payments']) expect(first[t], t).to.be.greaterThan(0);
  });

  it('seeds only once when two processes start together', async () => {
    const results = await Promise.all([seedWork(knex), seedWork(knex)]);
    expect(results.map((r) => r.seeded).sort()).to.deep.equal([false, true]);
    expect(await countRows(knex, 'accounts')).to.equal(2);
  });

  it('gives each account an admin and a non-admin whose documented passwords work', async () => {
    await seedOnce();
    for (const account of SEED_ACCOUNTS) {
      for (const u of account.users) {
        const row = await knex('users').join('accounts', 'accounts.id', 'users.account_id').where('users.email', u.email).first('users.password_hash', 'users.is_admin', 'accounts.name');
        expect(row, u.email).to.include({ is_admin: u.isAdmin, name: account.name });
        expect(await verifyPassword(u.password, row.password_hash), u.email).to.equal(true);
      }
      expect(account.users.map((u) => u.isAdmin).sort()).to.deep.equal([false, true]);
    }
  });

  it('puts about 40 clients in the first account and a handful in the second, each with sites, invoices and payments', async () => {
    await seedOnce();
    const perAccount = await knex('accounts')
      .select('accounts.name')
      .select(knex.raw('(SELECT count(*)::int FROM clients c WHERE c.account_id = accounts.id) AS clients'))
      .select(knex.raw('(SELECT count(*)::int FROM sites s WHERE s.account_id = accounts.id) AS sites'))
      .select(knex.raw('(SELECT count(*)::int FROM invoices i WHERE i.account_id = accounts.id) AS invoices'))
      .select(knex.raw('(SELECT count(*)::int FROM payments p WHERE p.account_id = accounts.id) AS payments'))
      .orderBy('accounts.id');
    const [first, second] = perAccount as { clients: number; sites: number; invoices: number; payments: number }[];
    expect(first?.clients).to.be.within(35, 45);
    expect(second?.clients).to.be.within(3, 8);
    for (const a of [first, second]) for (const k of ['sites', 'invoices', 'payments'] as const) expect(a?.[k], k).to.be.greaterThan(0);
  });

  it('holds the FAQ’s hard cases in the first account', async () => {
    await seedOnce();
    const clients = await knex('clients').where({ account_id: northwindId }).select<{ company_name: string | null; email: string | null; active: boolean }[]>('company_name', 'email', 'active');
    const names = clients.map((c) => c.company_name ?? '');
    const has = (label: string, test: (name: string) => boolean) => expect(names.some(test), label).to.equal(true);
    expect(clients.filter((c) => c.company_name === null || c.company_name.trim() === '').length, 'blank company names').to.be.at.least(2);
    expect(clients.filter((c) => c.email === null).length, 'blank emails').to.be.at.least(2);
    const seen = new Map<string, number>();
    for (const n of names.filter(Boolean)) seen.set(n, (seen.get(n) ?? 0) + 1);
    expect([...seen.values()].some((n) => n >= 2), 'two clients with the same company name').to.equal(true);
    const normalised = names.filter(Boolean).map((n) => n.toLowerCase().replace(/\s+/g, ' ').trim());
    expect(new Set(normalised).size, 'names differing only in case/spacing').to.be.lessThan(seen.size);
    has('apostrophe', (n) => n.includes("'"));
    has('colon', (n) => n.includes(':'));
    has('tab', (n) => n.includes('\t'));
    has('Japanese', (n) => /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u.test(n));
    has('Cyrillic', (n) => /\p{Script=Cyrillic}/u.test(n));
    has('accented Latin', (n) => /[À-ÿ]/.test(n));
    has('over 100 characters', (n) => n.length > 100 && n === LONG_COMPANY_NAME);
    expect(clients.some((c) => !c.active), 'an inactive client').to.equal(true);
    const longNumber = await knex('invoices').where({ account_id: northwindId }).whereRaw('length(number) > 21').first('id');
    expect(longNumber, 'an invoice number over 21 characters').to.not.equal(undefined);
  });
});
