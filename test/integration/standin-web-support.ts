import type { Knex } from 'knex';
import type request from 'supertest';
import { createWorkApp, type WorkApp } from '../../dev/host/app';
import { countRows, insertAccount, insertUser, type TestUser } from './standin-fixtures';
import { testPluginOptions } from '../support/plugin-options';
import { truncateAll } from '../support/test-database';

/** HTTP helpers for the stand-in's page tests (not a test file). */

export type Agent = ReturnType<typeof request.agent>;

export async function startWorkApp(knex: Knex): Promise<WorkApp & { errors: unknown[] }> {
  const errors: unknown[] = [];
  const work = await createWorkApp({ knex, sessionSecret: 'page-test-secret', pluginOptions: testPluginOptions(), logError: (e) => errors.push(e) });
  return { ...work, errors };
}

/** An emptied database, a freshly started stand-in, and one tenant ("Acme Field Co") with its admin. */
export async function startAcmeWork(knex: Knex): Promise<{ work: WorkApp & { errors: unknown[] }; accountId: string; admin: TestUser }> {
  await truncateAll();
  const work = await startWorkApp(knex);
  const accountId = await insertAccount(knex, 'Acme Field Co');
  const admin = await insertUser(knex, accountId, { email: 'admin@acme.test', isAdmin: true });
  return { work, accountId, admin };
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

/** GET a page and return its form's CSRF token. */
export async function tokenFor(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path).expect(200);
  return csrfFrom(res.text);
}

export async function signIn(agent: Agent, email: string, password: string): Promise<void> {
  const _csrf = await tokenFor(agent, '/login');
  await agent.post('/login').type('form').send({ _csrf, email, password, next: '/clients' }).expect(303);
}

const WORK_TABLES = ['clients', 'sites', 'items', 'invoices', 'invoice_lines', 'payments', 'qbo_outbox'] as const;

/** Row counts of every table a form could write, to prove a refused form wrote nothing. */
export async function rowCounts(knex: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of WORK_TABLES) counts[t] = await countRows(knex, t);
  return counts;
}

/** Visible text of an HTML page's error list and field errors, for readable assertions. */
export function problemsOn(html: string): string[] {
  const found: string[] = [];
  const re = /<(?:li|p class="field-error")>([^<]*)<\/(?:li|p)>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) if (m[1]) found.push(m[1]);
  return found;
}
