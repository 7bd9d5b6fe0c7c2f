import type { Knex } from 'knex';
import { hashPassword } from '../../dev/host/auth/passwords';

/** Shared set-up for the stand-in's tests (not a test file: mocha only runs *.test.ts). */

export async function insertAccount(knex: Knex, name: string): Promise<string> {
  const [row] = await knex('accounts').insert({ name }).returning('id');
  if (!row) throw new Error('account insert returned nothing');
  return String(row.id);
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function insertUser(knex: Knex, accountId: string, opts: { email: string; isAdmin: boolean; password?: string }): Promise<TestUser> {
  const password = opts.password ?? 'correct horse battery staple';
  const [row] = await knex('users')
    .insert({ account_id: accountId, email: opts.email, name: opts.email.split('@')[0], password_hash: await hashPassword(password), is_admin: opts.isAdmin })
    .returning('id');
  if (!row) throw new Error('user insert returned nothing');
  return { id: String(row.id), email: opts.email, password };
}

export const someClient = {
  companyName: 'Acme Plumbing',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@acme.test',
  phone: null,
  billingAddress: { line1: null, line2: null, city: null, state: null, postalCode: null, country: null },
  notes: null,
  active: true,
};

export async function countRows(knex: Knex, table: string): Promise<number> {
  const row = await knex(table).count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}
