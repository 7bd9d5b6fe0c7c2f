import { expect } from 'chai';
import type { Answer, BadInputWorld, Client } from '../world';
import { csrfOf } from '../world';

/** A date every form accepts. */
export const TODAY = '2026-12-01';

let serial = 0;
/** A fresh, plain suffix for values that must be unique (invoice numbers). */
export const nextSerial = (): number => (serial += 1);

export async function firstId(w: BadInputWorld, table: string, accountId: string, where: Record<string, unknown> = {}): Promise<string> {
  const row = (await w.knex(table).where({ account_id: accountId, ...where }).orderBy('id').first('id')) as { id: string | number } | undefined;
  if (!row) throw new Error(`the seed has no ${table} row for account ${accountId}`);
  return String(row.id);
}

export async function latestRow(w: BadInputWorld, table: string, accountId: string): Promise<Record<string, unknown>> {
  const row = (await w.knex(table).where({ account_id: accountId }).orderBy('id', 'desc').first()) as Record<string, unknown> | undefined;
  if (!row) throw new Error(`no ${table} row`);
  return row;
}

/** GET a Work page with a form and POST `fields` with its CSRF token. */
export async function submitWorkForm(client: Client, formPath: string, action: string, fields: Record<string, string>): Promise<Answer> {
  const page = await client.get(formPath);
  expect(page.status, `GET ${formPath}`).to.equal(200);
  return client.postForm(action, { _csrf: csrfOf(page.text), ...fields });
}

export function clientFields(overrides: Record<string, string>): Record<string, string> {
  return {
    companyName: 'Bad input case',
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    line1: '',
    line2: '',
    city: '',
    state: '',
    postalCode: '',
    country: '',
    notes: '',
    active: 'on',
    ...overrides,
  };
}

export function siteFields(overrides: Record<string, string>): Record<string, string> {
  return { name: 'Bad input site', contactName: '', email: '', phone: '', line1: '', line2: '', city: '', state: '', postalCode: '', country: '', active: 'on', ...overrides };
}

export function invoiceFields(clientId: string, overrides: Record<string, string>): Record<string, string> {
  return {
    clientId,
    siteId: '',
    number: `BI-${nextSerial()}`,
    issueDate: TODAY,
    dueDate: '',
    taxRate: '0',
    notes: '',
    'lines[0][itemId]': '',
    'lines[0][description]': 'Labour',
    'lines[0][quantity]': '1',
    'lines[0][unitPrice]': '10',
    ...overrides,
  };
}

export function paymentFields(clientId: string, overrides: Record<string, string>): Record<string, string> {
  return { clientId, invoiceId: '', amount: '10.00', paidOn: TODAY, method: 'Cash', reference: '', ...overrides };
}
