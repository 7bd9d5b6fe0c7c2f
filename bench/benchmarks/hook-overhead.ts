/**
 * Hook overhead: the median time of an invoice save in the Work stand-in with the plugin loaded ÷ without
 * it (target ≤ 1.2). "A save" is what a person does: an HTTP form post of the invoice's edit form
 * (POST /invoices/:id, lines included) by a signed-in user, through session, CSRF, form parsing, the model's
 * transaction and its lifecycle event, answered by the 303 redirect (not followed). Two stand-ins share one
 * database loaded with the generated Work side: one with the plugin registered and started as Work mounts
 * it, one built with `loadPlugin: false`. Saves alternate between them (A B, then B A) over the same
 * invoices, so drift on this busy machine falls on both alike; warm-up saves are not counted.
 *
 * The plugin's hook today queues an outbox row inside the save's transaction (one pending row per record:
 * later saves update it). The outbox is checked afterwards: every saved invoice has its row, and a save
 * through the "without" stand-in of an invoice nobody saved yet queues nothing.
 */
import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Knex } from 'knex';
import { createWorkApp } from '../../dev/host/app';
import { hashPassword } from '../../dev/host/auth/passwords';
import { testPluginOptions } from '../../test/support/plugin-options';
import type { GenInvoice } from '../data/generator';
import { loadWork } from '../data/load-work';
import type { Benchmark } from '../lib/benchmark';
import { figure, type Figure } from '../lib/figures';

const ITERATIONS = 300;
const WARM_UP = 30;
const TARGET_RATIO = 1.2;
const PASSWORD = 'bench-hook-overhead';

interface SignedIn {
  baseUrl: string;
  cookie: string;
  csrf: string;
  close(): Promise<void>;
}

function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

function cookieFrom(res: Response, previous: string): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('work.sid='));
  return set ? (set.split(';')[0] ?? previous) : previous;
}

async function startSignedIn(knex: Knex, loadPlugin: boolean, email: string): Promise<SignedIn> {
  const work = await createWorkApp({ knex, sessionSecret: crypto.randomBytes(16).toString('hex'), pluginOptions: testPluginOptions(), loadPlugin });
  const server: Server = await new Promise((resolve) => {
    const s = work.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const loginPage = await fetch(`${baseUrl}/login`);
  let cookie = cookieFrom(loginPage, '');
  const login = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrfFrom(await loginPage.text()), email, password: PASSWORD, next: '/invoices' }).toString(),
  });
  if (login.status !== 303) throw new Error(`sign-in answered ${login.status}`);
  cookie = cookieFrom(login, cookie);
  const page = await fetch(`${baseUrl}/invoices`, { headers: { cookie } });
  if (page.status !== 200) throw new Error(`the invoice list answered ${page.status} after sign-in`);
  const csrf = csrfFrom(await (await fetch(`${baseUrl}/invoices/1/edit`, { headers: { cookie } })).text());
  return {
    baseUrl,
    cookie,
    csrf,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await work.plugin.stop();
    },
  };
}

/** The edit form as the browser posts it: header fields and every line, the notes changed each time. */
function formOf(invoice: GenInvoice, csrf: string, notes: string): string {
  const fields: Record<string, string> = {
    _csrf: csrf,
    clientId: String(invoice.clientRef),
    siteId: invoice.siteRef === null ? '' : String(invoice.siteRef),
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    taxRate: invoice.taxRate,
    notes,
  };
  invoice.lines.forEach((line, i) => {
    fields[`lines[${i}][description]`] = line.description;
    fields[`lines[${i}][itemId]`] = String(line.itemRef);
    fields[`lines[${i}][quantity]`] = line.quantity;
    fields[`lines[${i}][unitPrice]`] = line.unitPrice;
    if (line.taxable) fields[`lines[${i}][taxable]`] = 'on';
  });
  return new URLSearchParams(fields).toString();
}

async function timedSave(app: SignedIn, invoice: GenInvoice, notes: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${app.baseUrl}/invoices/${invoice.ref}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: app.cookie },
    body: formOf(invoice, app.csrf, notes),
  });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 303) throw new Error(`saving invoice ${invoice.ref} answered ${res.status}, not the 303 of a save`);
  return ms;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function queuedInvoiceIds(knex: Knex): Promise<Set<string>> {
  const rows = await knex('qbo_outbox').where({ entity: 'invoice' }).select<{ record_id: string }[]>('record_id');
  return new Set(rows.map((r) => String(r.record_id)));
}

/** Proof that "with" ran the plugin's hook and "without" did not, or an error saying which failed. */
async function checkHookRan(knex: Knex, saved: readonly GenInvoice[], untouched: GenInvoice, without: SignedIn): Promise<void> {
  const queued = await queuedInvoiceIds(knex);
  const missing = saved.filter((inv) => !queued.has(String(inv.ref)));
  if (missing.length > 0) throw new Error(`the plugin's hook queued nothing for ${missing.length} saved invoices (e.g. ${missing[0]?.ref})`);
  await timedSave(without, untouched, 'bench: saved without the plugin only');
  if ((await queuedInvoiceIds(knex)).has(String(untouched.ref))) throw new Error('a save through the stand-in without the plugin queued an outbox row');
}

export const benchmark: Benchmark = {
  name: 'hook overhead (invoice save with / without the plugin)',
  async run(ctx): Promise<Figure[]> {
    const data = ctx.data();
    const knex = await ctx.scratchDatabase();
    const { accountId } = await loadWork(knex, data);
    const email = 'bench-admin@bench.test';
    await knex('users').insert({ account_id: accountId, email, name: 'Bench admin', password_hash: await hashPassword(PASSWORD), is_admin: true });
    // Invoices with few lines, of active clients: a typical save, the same list for both sides.
    const activeClients = new Set(data.work.clients.filter((c) => c.active).map((c) => c.ref));
    const candidates = data.work.invoices.filter((inv) => activeClients.has(inv.clientRef));
    const invoices = candidates.slice(0, 50);
    const untouched = candidates[50];
    if (!untouched) throw new Error('too few invoices of active clients for the hook benchmark');
    ctx.log(`hook overhead: ${ITERATIONS} saves each (after ${WARM_UP} warm-up), interleaved, over ${invoices.length} invoices of a ${data.work.invoices.length}-invoice account`);
    const withPlugin = await startSignedIn(knex, true, email);
    const without = await startSignedIn(knex, false, email);
    try {
      const times = { with: [] as number[], without: [] as number[] };
      for (let i = 0; i < WARM_UP + ITERATIONS; i += 1) {
        const invoice = invoices[i % invoices.length];
        if (!invoice) throw new Error('no invoice to save');
        // A B, then B A: neither side always goes first.
        const order = i % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const);
        for (const side of order) {
          const ms = await timedSave(side === 'with' ? withPlugin : without, invoice, `bench save ${i} ${side}`);
          if (i >= WARM_UP) times[side].push(ms);
        }
      }
      await checkHookRan(knex, invoices, untouched, without);
      const withMs = median(times.with);
      const withoutMs = median(times.without);
      return [
        figure('hook.save_median_without_ms', 'invoice save (form post), median without the plugin', withoutMs, 'ms'),
        figure('hook.save_median_with_ms', 'invoice save (form post), median with the plugin', withMs, 'ms'),
        figure('hook.overhead_ratio', 'hook overhead: median save with ÷ without the plugin', withMs / withoutMs, '×', { op: '<=', bound: TARGET_RATIO }),
      ];
    } finally {
      await withPlugin.close();
      await without.close();
    }
  },
};
