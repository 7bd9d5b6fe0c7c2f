import express, { type Request, type Response, type Router } from 'express';
import type { InvoiceInput } from '../../models/invoice-model';
import { InvoiceHasPaymentsError, InvoiceNumberTakenError, ReferenceMismatchError } from '../../models/errors';
import { invoiceFormValuesFromBody, invoiceFormValuesFromRecord, parseInvoiceForm, type InvoiceFormValues } from '../forms/invoice-form';
import { messages } from '../messages';
import { accountIdOf, errorSummary, flash, found, param, queryText, type RouteDeps } from '../route-support';
import { clientLabel, clientOptions, invoiceDetail, invoiceRow, itemOptions, siteOptionGroups, todayIso } from '../view-models';
import { nextInvoiceNumber } from '../forms/next-invoice-number';
import { syncStatusCells } from '../sync-status';

/** A save refused for a reason the person can fix: shown beside the field, status 422. */
function saveProblem(err: unknown): Record<string, string> | null {
  if (err instanceof InvoiceNumberTakenError) return { number: messages.invoiceNumberTaken(err.number) };
  if (err instanceof ReferenceMismatchError && err.field === 'siteId') return { siteId: messages.siteOfOtherClient };
  return null;
}

/** The messages of one line's fields, shown under that line. */
function lineProblems(errors: Record<string, string>, index: number): string[] {
  return Object.entries(errors)
    .filter(([key]) => key.startsWith(`lines.${index}.`))
    .map(([, message]) => message);
}

export function invoiceRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { clients, sites, items, invoices } = deps.models;

  async function renderInvoiceForm(req: Request, res: Response, invoiceId: string | null, values: InvoiceFormValues, errors: Record<string, string>, status = 200): Promise<void> {
    const accountId = accountIdOf(req);
    const [clientList, siteList, itemList] = await Promise.all([clients.list(accountId), sites.list(accountId), items.list(accountId)]);
    res.status(status).render('invoices/form', {
      title: invoiceId ? 'Edit invoice' : 'New invoice',
      action: invoiceId ? `/invoices/${invoiceId}` : '/invoices',
      values: values.text,
      clients: clientOptions(clientList, values.text.clientId ?? ''),
      siteGroups: siteOptionGroups(siteList, clientList, values.text.clientId ?? '', values.text.siteId ?? ''),
      lines: values.lines.map((line, index) => ({ ...line, index, number: index + 1, items: itemOptions(itemList, line.itemId), problems: lineProblems(errors, index) })),
      errors,
      errorList: errorSummary(errors),
      intro: Object.keys(errors).length > 0 ? messages.fixBelow : null,
    });
  }

  async function save(req: Request, res: Response, invoiceId: string | null, input: InvoiceInput): Promise<void> {
    const accountId = accountIdOf(req);
    try {
      const saved = invoiceId ? await invoices.update(accountId, invoiceId, input) : await invoices.create(accountId, input);
      flash(req, messages.saved(`Invoice ${saved.number}`));
      res.redirect(303, `/invoices/${saved.id}`);
    } catch (err) {
      const problem = saveProblem(err);
      if (!problem) throw err;
      await renderInvoiceForm(req, res, invoiceId, invoiceFormValuesFromBody(req.body), problem, 422);
    }
  }

  router.get('/invoices', async (req, res) => {
    const accountId = accountIdOf(req);
    const [list, clientList] = await Promise.all([invoices.list(accountId), clients.list(accountId)]);
    const names = new Map(clientList.map((c) => [c.id, clientLabel(c)]));
    const statuses = await syncStatusCells(deps.syncStatus, req, 'invoice', list.map((i) => i.id));
    res.render('invoices/index', { title: 'Invoices', invoices: list.map((i) => ({ ...invoiceRow(i, names), sync: statuses.get(i.id) ?? null })), showSync: deps.syncStatus !== undefined });
  });

  router.get('/invoices/new', async (req, res) => {
    const numbers = (await invoices.list(accountIdOf(req))).map((i) => i.number);
    const values = invoiceFormValuesFromRecord(null, { clientId: queryText(req, 'clientId'), issueDate: todayIso(), number: nextInvoiceNumber(numbers) });
    await renderInvoiceForm(req, res, null, values, {});
  });

  router.post('/invoices', async (req, res) => {
    const form = parseInvoiceForm(req.body);
    if (!form.ok) {
      await renderInvoiceForm(req, res, null, invoiceFormValuesFromBody(req.body), form.errors, 422);
      return;
    }
    await save(req, res, null, form.value);
  });

  router.get('/invoices/:id', async (req, res) => {
    const accountId = accountIdOf(req);
    const invoice = found(await invoices.get(accountId, param(req, 'id')), 'invoice', param(req, 'id'));
    const client = await clients.get(accountId, invoice.clientId);
    const site = invoice.siteId ? await sites.get(accountId, invoice.siteId) : null;
    const itemNames = new Map((await items.list(accountId)).map((i) => [i.id, i.name]));
    const statuses = await syncStatusCells(deps.syncStatus, req, 'invoice', [invoice.id]);
    res.render('invoices/show', {
      title: `Invoice ${invoice.number}`,
      sync: statuses.get(invoice.id) ?? null,
      showSync: deps.syncStatus !== undefined,
      invoice: invoiceDetail(invoice, client ? clientLabel(client) : 'Unknown client', site?.name ?? null, itemNames),
    });
  });

  router.get('/invoices/:id/edit', async (req, res) => {
    const invoice = found(await invoices.get(accountIdOf(req), param(req, 'id')), 'invoice', param(req, 'id'));
    await renderInvoiceForm(req, res, invoice.id, invoiceFormValuesFromRecord(invoice, { issueDate: todayIso() }), {});
  });

  router.post('/invoices/:id', async (req, res) => {
    const invoice = found(await invoices.get(accountIdOf(req), param(req, 'id')), 'invoice', param(req, 'id'));
    const form = parseInvoiceForm(req.body);
    if (!form.ok) {
      await renderInvoiceForm(req, res, invoice.id, invoiceFormValuesFromBody(req.body), form.errors, 422);
      return;
    }
    await save(req, res, invoice.id, form.value);
  });

  function renderConfirmDelete(res: Response, invoice: { id: string; number: string }, problem: string | null, status = 200): void {
    res.status(status).render('confirm-delete', {
      title: `Delete invoice ${invoice.number}`,
      question: messages.confirmDeleteInvoice(invoice.number),
      action: `/invoices/${invoice.id}/delete`,
      cancelPath: `/invoices/${invoice.id}`,
      problem,
    });
  }

  router.get('/invoices/:id/delete', async (req, res) => {
    const invoice = found(await invoices.get(accountIdOf(req), param(req, 'id')), 'invoice', param(req, 'id'));
    renderConfirmDelete(res, invoice, null);
  });

  router.post('/invoices/:id/delete', async (req, res) => {
    const invoice = found(await invoices.get(accountIdOf(req), param(req, 'id')), 'invoice', param(req, 'id'));
    try {
      await invoices.delete(accountIdOf(req), invoice.id);
    } catch (err) {
      if (!(err instanceof InvoiceHasPaymentsError)) throw err;
      renderConfirmDelete(res, invoice, messages.invoiceHasPayments, 409);
      return;
    }
    flash(req, messages.deleted(`Invoice ${invoice.number}`));
    res.redirect(303, '/invoices');
  });

  return router;
}
