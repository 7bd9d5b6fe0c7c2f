/**
 * Puts the generated Work side into the stand-in's tables with bulk SQL (one multi-row INSERT per 1,000
 * rows), honouring its schema: the invoice's tax rate copied onto each line, each line's tax computed by the
 * stand-in's own arithmetic (unrounded, dev/host/invoice-arithmetic.ts), positive quantities and amounts.
 * Rows take their generator refs as ids, so the tables must be empty; sequences move past them afterwards
 * so later saves through the models get fresh ids. No lifecycle events: like the seed, this is Work's
 * history from before the plugin.
 */
import type { Knex } from 'knex';
import { lineAmounts } from '../../dev/host/invoice-arithmetic';
import type { GeneratedData } from './generator';

const CHUNK = 1000;
const TABLES = ['clients', 'sites', 'items', 'invoices', 'invoice_lines', 'payments'] as const;

export interface LoadedWork {
  accountId: string;
  rows: Record<(typeof TABLES)[number], number>;
}

async function insert(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
  return rows.length;
}

export async function loadWork(knex: Knex, data: GeneratedData): Promise<LoadedWork> {
  for (const table of TABLES) {
    const row = await knex(table).count<{ count: string }[]>({ count: '*' }).first();
    if (Number(row?.count ?? 0) > 0) throw new Error(`loadWork needs an empty ${table} table (rows take the generator's ids); use a scratch database`);
  }
  const { work } = data;
  return knex.transaction(async (trx) => {
    const [account] = await trx('accounts').insert({ name: work.accountName }).returning<{ id: string }[]>('id');
    const accountId = String(account?.id);
    const rows = {
      clients: await insert(trx, 'clients', work.clients.map((c) => ({
        id: c.ref, account_id: accountId, company_name: c.companyName, first_name: c.firstName, last_name: c.lastName, email: c.email, phone: c.phone,
        address_line1: c.addressLine1, city: c.city, state: c.state, postal_code: c.postalCode, country: c.country, active: c.active,
      }))),
      sites: await insert(trx, 'sites', work.sites.map((s) => ({
        id: s.ref, account_id: accountId, client_id: s.clientRef, name: s.name, address_line1: s.addressLine1, city: s.city, state: s.state, postal_code: s.postalCode, country: s.country,
      }))),
      items: await insert(trx, 'items', work.items.map((item) => ({
        id: item.ref, account_id: accountId, name: item.name, sku: item.sku, kind: item.kind, unit_price: item.unitPrice, taxable: item.taxable,
      }))),
      invoices: await insert(trx, 'invoices', work.invoices.map((inv) => ({
        id: inv.ref, account_id: accountId, client_id: inv.clientRef, site_id: inv.siteRef, number: inv.number, issue_date: inv.issueDate, due_date: inv.dueDate, notes: inv.notes, tax_rate: inv.taxRate,
      }))),
      invoice_lines: await insert(trx, 'invoice_lines', work.invoices.flatMap((inv) => inv.lines.map((line) => ({
        invoice_id: inv.ref, position: line.position, item_id: line.itemRef, description: line.description, quantity: line.quantity, unit_price: line.unitPrice,
        taxable: line.taxable, tax_rate: inv.taxRate, tax_amount: lineAmounts(line, inv.taxRate).taxAmount,
      })))),
      payments: await insert(trx, 'payments', work.payments.map((p) => ({
        id: p.ref, account_id: accountId, client_id: p.clientRef, invoice_id: p.invoiceRef, amount: p.amount, paid_on: p.paidOn, method: p.method, reference: p.reference,
      }))),
    };
    for (const table of TABLES) {
      await trx.raw(`SELECT setval(pg_get_serial_sequence(?, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ??), 1))`, [table, table]);
    }
    return { accountId, rows };
  });
}
