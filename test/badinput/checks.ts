import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Answer, BadInputWorld } from './world';

/** A text as ejs prints it with <%= %>. */
export const asHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** What an answer must never show: stack frames, paths of the machine, SQL and driver words, error class names. */
const INTERNALS: readonly [string, RegExp][] = [
  ['a stack frame', /\bat (?:[\w$.<>]+ )?\(?(?:\/|file:|node:)[^)\s]*:\d+:\d+\)?/],
  ['a source path', /(?:\/work\/|node_modules|\.ts:\d+|\.js:\d+)/],
  ['an error class', /\b(?:TypeError|ReferenceError|SyntaxError|RangeError|ZodError|DatabaseError|KnexTimeoutError|AxiosError)\b/],
  ['SQL', /\b(?:SELECT \S+ FROM|INSERT INTO|UPDATE \S+ SET|DELETE FROM|violates (?:check|unique|foreign key|not-null) constraint|invalid byte sequence|invalid input syntax)\b/i],
  ['a driver error', /\b(?:ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ERR_[A-Z_]{4,})\b/],
];

/**
 * Every answer of the suite: never a 5xx, nothing internal or secret in its body, and nothing the stand-in's
 * error handler had to report (its 500 page).
 */
export function expectClean(w: BadInputWorld, answer: Answer, label: string): void {
  expect(answer.status, `${label}: status`).to.be.below(500);
  for (const [what, pattern] of INTERNALS) {
    const m = pattern.exec(answer.text);
    expect(m, `${label}: the body shows ${what}: ${m?.[0] ?? ''}`).to.equal(null);
  }
  for (const secret of w.secrets) expect(answer.text.includes(secret), `${label}: the body shows a secret`).to.equal(false);
  expect(w.world.errors, `${label}: the stand-in reported an unexpected error`).to.deep.equal([]);
}

/** The page shows `message` (escaped as ejs escapes it). */
export function expectMessage(answer: Answer, message: string, label: string): void {
  expect(answer.text.includes(asHtml(message)) || answer.text.includes(message), `${label}: the page says "${message}"`).to.equal(true);
}

/** Markup in `value` never reaches a page unescaped. */
export function expectEscaped(answer: Answer, value: string, label: string): void {
  if (/[<>"']/.test(value)) expect(answer.text.includes(value), `${label}: the raw value is on the page unescaped`).to.equal(false);
}

const COUNTED = [
  'clients',
  'sites',
  'items',
  'invoices',
  'invoice_lines',
  'payments',
  'qbo_outbox',
  'qbo_settings',
  'qbo_connections',
  'qbo_oauth_states',
  'qbo_webhook_events',
  'qbo_pull_requests',
  'qbo_product_imports',
  'qbo_mappings',
  'qbo_sync_log',
] as const;

/** Row counts of every table an input could write to, to show a refused input wrote nothing. */
export async function rowCounts(knex: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED) {
    if (!(await knex.schema.hasTable(table))) continue;
    const [row] = await knex(table).count<{ count: string }[]>({ count: '*' });
    counts[table] = Number(row?.count ?? 0);
  }
  return counts;
}

/** Runs `act` and checks that no table changed its row count. */
export async function expectNothingWritten<T>(knex: Knex, label: string, act: () => Promise<T>): Promise<T> {
  const before = await rowCounts(knex);
  const result = await act();
  expect(await rowCounts(knex), `${label}: row counts changed`).to.deep.equal(before);
  return result;
}

/** A whole table's content as JSON, to show an update was refused (nothing changed, not only no new row). */
export async function snapshot(knex: Knex, table: string, where: Record<string, string>): Promise<string> {
  return JSON.stringify(await knex(table).where(where).orderBy('id'));
}
