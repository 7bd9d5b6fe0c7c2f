import express, { type Response, type Router } from 'express';
import { clientFormValuesFromBody, clientFormValuesFromRecord, parseClientForm, type ClientFormValues } from '../forms/client-form';
import { messages } from '../messages';
import { accountIdOf, errorSummary, flash, found, param, type RouteDeps } from '../route-support';
import { syncStatusCells } from '../sync-status';
import { clientLabel, clientRow, invoiceRow, paymentRow, siteRow } from '../view-models';

function renderClientForm(res: Response, locals: { clientId: string | null; values: ClientFormValues; errors: Record<string, string> }, status = 200): void {
  res.status(status).render('clients/form', {
    title: locals.clientId ? 'Edit client' : 'New client',
    action: locals.clientId ? `/clients/${locals.clientId}` : '/clients',
    values: locals.values,
    errors: locals.errors,
    errorList: errorSummary(locals.errors),
    intro: Object.keys(locals.errors).length > 0 ? messages.fixBelow : null,
  });
}

export function clientRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { clients, sites, invoices, payments } = deps.models;

  router.get('/clients', async (req, res) => {
    const list = await clients.list(accountIdOf(req));
    const statuses = await syncStatusCells(deps.syncStatus, req, 'client', list.map((c) => c.id));
    res.render('clients/index', { title: 'Clients', clients: list.map((c) => ({ ...clientRow(c), sync: statuses.get(c.id) ?? null })), showSync: deps.syncStatus !== undefined });
  });

  router.get('/clients/new', (_req, res) => {
    renderClientForm(res, { clientId: null, values: clientFormValuesFromRecord(null), errors: {} });
  });

  router.post('/clients', async (req, res) => {
    const form = parseClientForm(req.body);
    if (!form.ok) {
      renderClientForm(res, { clientId: null, values: clientFormValuesFromBody(req.body), errors: form.errors }, 422);
      return;
    }
    const client = await clients.create(accountIdOf(req), form.value);
    flash(req, messages.saved('Client'));
    res.redirect(303, `/clients/${client.id}`);
  });

  router.get('/clients/:id', async (req, res) => {
    const accountId = accountIdOf(req);
    const client = found(await clients.get(accountId, param(req, 'id')), 'client', param(req, 'id'));
    const name = clientLabel(client);
    const names = new Map([[client.id, name]]);
    const clientInvoices = await invoices.list(accountId, { clientId: client.id });
    const numbers = new Map(clientInvoices.map((i) => [i.id, i.number]));
    const statuses = await syncStatusCells(deps.syncStatus, req, 'client', [client.id]);
    res.render('clients/show', {
      title: name,
      sync: statuses.get(client.id) ?? null,
      showSync: deps.syncStatus !== undefined,
      client: clientRow(client),
      details: clientFormValuesFromRecord(client).text,
      sites: (await sites.list(accountId, { clientId: client.id })).map(siteRow),
      invoices: clientInvoices.map((i) => invoiceRow(i, names)),
      payments: (await payments.list(accountId, { clientId: client.id })).map((p) => paymentRow(p, names, numbers)),
    });
  });

  router.get('/clients/:id/edit', async (req, res) => {
    const client = found(await clients.get(accountIdOf(req), param(req, 'id')), 'client', param(req, 'id'));
    renderClientForm(res, { clientId: client.id, values: clientFormValuesFromRecord(client), errors: {} });
  });

  router.post('/clients/:id', async (req, res) => {
    const accountId = accountIdOf(req);
    const client = found(await clients.get(accountId, param(req, 'id')), 'client', param(req, 'id'));
    const form = parseClientForm(req.body);
    if (!form.ok) {
      renderClientForm(res, { clientId: client.id, values: clientFormValuesFromBody(req.body), errors: form.errors }, 422);
      return;
    }
    await clients.update(accountId, client.id, form.value);
    flash(req, messages.saved('Client'));
    res.redirect(303, `/clients/${client.id}`);
  });

  return router;
}
