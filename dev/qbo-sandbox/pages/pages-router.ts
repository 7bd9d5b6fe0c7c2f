/**
 * GET / lists every sandbox company; GET /companies/:realmId shows what reached "QuickBooks" there:
 * customers with sub-customers indented under their parents, invoices and payments. Everything printed
 * is escaped.
 */
import express, { type Router } from 'express';
import type { SandboxStoreApi } from '../contracts';
import { companyView, type CustomerRow, type TxnRow } from './company-view';
import { escapeHtml as e } from './html';

export function createSandboxPagesRouter(deps: { store: SandboxStoreApi }): Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    const companies = deps.store.listCompanies();
    const items = companies
      .map((c) => `<li><a href="/companies/${encodeURIComponent(c.realmId)}">${e(c.companyName)}</a> — realm ${e(c.realmId)}, ${e(c.country)}, ${e(c.offeringSku)}</li>`)
      .join('');
    res.type('html').send(page('QBO sandbox companies', `<h1>QBO sandbox companies</h1><ul>${items}</ul>`));
  });
  router.get('/companies/:realmId', (req, res) => {
    const realmId = String(req.params['realmId']);
    const company = deps.store.getCompany(realmId);
    if (!company) {
      res.status(404).type('html').send(page('Unknown company', `<h1>No sandbox company with realm ${e(realmId)}</h1><p><a href="/">All companies</a></p>`));
      return;
    }
    const view = companyView(deps.store, realmId);
    const body = [
      `<p><a href="/">All companies</a></p><h1>${e(company.companyName)}</h1><p>Realm ${e(realmId)} · ${e(company.country)} · ${e(company.offeringSku)}</p>`,
      `<h2>Customers (${view.customers.length})</h2>${customerTable(view.customers)}`,
      `<h2>Invoices (${view.invoices.length})</h2>${txnTable(view.invoices, 'Balance')}`,
      `<h2>Payments (${view.payments.length})</h2>${txnTable(view.payments, 'Unapplied')}`,
    ].join('');
    res.type('html').send(page(company.companyName, body));
  });
  return router;
}

function customerTable(rows: CustomerRow[]): string {
  if (rows.length === 0) return '<p>None yet.</p>';
  const body = rows
    .map((r) => `<tr class="${r.active ? '' : 'inactive'}"><td>${e(r.id)}</td><td style="padding-left:${r.depth * 1.5 + 0.3}em">${r.depth > 0 ? '↳ ' : ''}${e(r.name)}</td><td>${e(r.company)}</td><td>${e(r.email)}</td><td>${r.active ? 'active' : 'inactive'}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>Id</th><th>Display name</th><th>Company</th><th>Email</th><th>Status</th></tr></thead><tbody>${body}</tbody></table>`;
}

function txnTable(rows: TxnRow[], balanceLabel: string): string {
  if (rows.length === 0) return '<p>None yet.</p>';
  const body = rows
    .map((r) => `<tr><td>${e(r.id)}</td><td>${e(r.number)}</td><td>${e(r.customer)}</td><td>${e(r.date)}</td><td>${e(r.total)}</td><td>${e(r.balance)}</td><td>${e(r.status)}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>Id</th><th>No.</th><th>Customer</th><th>Date</th><th>Total</th><th>${e(balanceLabel)}</th><th>Status</th></tr></thead><tbody>${body}</tbody></table>`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${e(title)}</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.inactive{color:#888}</style></head><body>${body}</body></html>`;
}
