import express, { type Request, type Response, type Router } from 'express';
import type { PaymentInput } from '../../models/payment-model';
import { ReferenceMismatchError } from '../../models/errors';
import { parsePaymentForm, PAYMENT_METHODS, paymentFormValuesFromBody, paymentFormValuesFromRecord } from '../forms/payment-form';
import { messages } from '../messages';
import { accountIdOf, errorSummary, flash, found, param, queryText, type RouteDeps } from '../route-support';
import { formatMoneyForDisplay } from '../../invoice-arithmetic';
import { clientLabel, clientOptions, invoiceOptions, paymentRow, textOptions, todayIso } from '../view-models';

export function paymentRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { clients, invoices, payments } = deps.models;

  async function renderPaymentForm(req: Request, res: Response, paymentId: string | null, values: Record<string, string>, errors: Record<string, string>, status = 200): Promise<void> {
    const accountId = accountIdOf(req);
    const [clientList, invoiceList] = await Promise.all([clients.list(accountId), invoices.list(accountId)]);
    res.status(status).render('payments/form', {
      title: paymentId ? 'Edit payment' : 'New payment',
      deletePath: paymentId ? `/payments/${paymentId}/delete` : null,
      action: paymentId ? `/payments/${paymentId}` : '/payments',
      values,
      clients: clientOptions(clientList, values.clientId ?? ''),
      invoices: invoiceOptions(invoiceList, clientList, values.invoiceId ?? ''),
      methods: textOptions(PAYMENT_METHODS, values.method ?? ''),
      errors,
      errorList: errorSummary(errors),
      intro: Object.keys(errors).length > 0 ? messages.fixBelow : null,
    });
  }

  async function save(req: Request, res: Response, paymentId: string | null, input: PaymentInput): Promise<void> {
    const accountId = accountIdOf(req);
    try {
      if (paymentId) await payments.update(accountId, paymentId, input);
      else await payments.create(accountId, input);
    } catch (err) {
      if (!(err instanceof ReferenceMismatchError)) throw err;
      await renderPaymentForm(req, res, paymentId, paymentFormValuesFromBody(req.body), { invoiceId: messages.invoiceOfOtherClient }, 422);
      return;
    }
    flash(req, messages.saved('Payment'));
    res.redirect(303, '/payments');
  }

  router.get('/payments', async (req, res) => {
    const accountId = accountIdOf(req);
    const [list, clientList, invoiceList] = await Promise.all([payments.list(accountId), clients.list(accountId), invoices.list(accountId)]);
    const names = new Map(clientList.map((c) => [c.id, clientLabel(c)]));
    const numbers = new Map(invoiceList.map((i) => [i.id, i.number]));
    res.render('payments/index', { title: 'Payments', payments: list.map((p) => paymentRow(p, names, numbers)) });
  });

  router.get('/payments/new', async (req, res) => {
    // "Record a payment" on an invoice page: the invoice names its client.
    const invoice = await invoices.get(accountIdOf(req), queryText(req, 'invoiceId'));
    const defaults = { clientId: invoice?.clientId ?? queryText(req, 'clientId'), invoiceId: invoice?.id ?? '', paidOn: todayIso() };
    await renderPaymentForm(req, res, null, paymentFormValuesFromRecord(null, defaults), {});
  });

  router.post('/payments', async (req, res) => {
    const form = parsePaymentForm(req.body);
    if (!form.ok) {
      await renderPaymentForm(req, res, null, paymentFormValuesFromBody(req.body), form.errors, 422);
      return;
    }
    await save(req, res, null, form.value);
  });

  router.get('/payments/:id/edit', async (req, res) => {
    const payment = found(await payments.get(accountIdOf(req), param(req, 'id')), 'payment', param(req, 'id'));
    await renderPaymentForm(req, res, payment.id, paymentFormValuesFromRecord(payment, { paidOn: todayIso() }), {});
  });

  router.post('/payments/:id', async (req, res) => {
    const payment = found(await payments.get(accountIdOf(req), param(req, 'id')), 'payment', param(req, 'id'));
    const form = parsePaymentForm(req.body);
    if (!form.ok) {
      await renderPaymentForm(req, res, payment.id, paymentFormValuesFromBody(req.body), form.errors, 422);
      return;
    }
    await save(req, res, payment.id, form.value);
  });

  router.get('/payments/:id/delete', async (req, res) => {
    const payment = found(await payments.get(accountIdOf(req), param(req, 'id')), 'payment', param(req, 'id'));
    res.render('confirm-delete', {
      title: 'Delete payment',
      question: messages.confirmDeletePayment(formatMoneyForDisplay(payment.amount), payment.paidOn),
      action: `/payments/${payment.id}/delete`,
      cancelPath: `/payments/${payment.id}/edit`,
      problem: null,
    });
  });

  router.post('/payments/:id/delete', async (req, res) => {
    await payments.delete(accountIdOf(req), param(req, 'id'));
    flash(req, messages.deleted('Payment'));
    res.redirect(303, '/payments');
  });

  return router;
}
