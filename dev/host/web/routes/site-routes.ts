import express, { type Request, type Response, type Router } from 'express';
import type { WorkClient } from '../../../../plugin/host/work-records';
import { parseSiteForm, siteFormValuesFromBody, siteFormValuesFromRecord, type SiteFormValues } from '../forms/site-form';
import { messages } from '../messages';
import { accountIdOf, errorSummary, flash, found, param, type RouteDeps } from '../route-support';
import { clientLabel, siteListRows } from '../view-models';

interface SiteFormLocals {
  client: WorkClient;
  siteId: string | null;
  values: SiteFormValues;
  errors: Record<string, string>;
}

function renderSiteForm(res: Response, locals: SiteFormLocals, status = 200): void {
  const base = `/clients/${locals.client.id}/sites`;
  res.status(status).render('sites/form', {
    title: locals.siteId ? 'Edit site' : 'New site',
    clientName: clientLabel(locals.client),
    clientPath: `/clients/${locals.client.id}`,
    action: locals.siteId ? `${base}/${locals.siteId}` : base,
    values: locals.values,
    errors: locals.errors,
    errorList: errorSummary(locals.errors),
    intro: Object.keys(locals.errors).length > 0 ? messages.fixBelow : null,
  });
}

/** Sites live under their client: /clients/:clientId/sites/… */
export function siteRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { clients, sites } = deps.models;

  async function clientOf(req: Request): Promise<WorkClient> {
    return found(await clients.get(accountIdOf(req), param(req, 'clientId')), 'client', param(req, 'clientId'));
  }

  async function siteOf(req: Request, client: WorkClient) {
    const site = found(await sites.get(accountIdOf(req), param(req, 'id')), 'site', param(req, 'id'));
    // A site reached through another client's path does not exist there.
    return found(site.clientId === client.id ? site : null, 'site', site.id);
  }

  // Every site of the account, reachable from the nav (not only from a client's page).
  router.get('/sites', async (req, res) => {
    const accountId = accountIdOf(req);
    const [siteList, clientList] = await Promise.all([sites.list(accountId), clients.list(accountId)]);
    res.render('sites/index', { title: 'Sites', sites: siteListRows(siteList, clientList) });
  });

  router.get('/clients/:clientId/sites/new', async (req, res) => {
    renderSiteForm(res, { client: await clientOf(req), siteId: null, values: siteFormValuesFromRecord(null), errors: {} });
  });

  router.post('/clients/:clientId/sites', async (req, res) => {
    const client = await clientOf(req);
    const form = parseSiteForm(req.body);
    if (!form.ok) {
      renderSiteForm(res, { client, siteId: null, values: siteFormValuesFromBody(req.body), errors: form.errors }, 422);
      return;
    }
    await sites.create(accountIdOf(req), client.id, form.value);
    flash(req, messages.saved('Site'));
    res.redirect(303, `/clients/${client.id}`);
  });

  router.get('/clients/:clientId/sites/:id/edit', async (req, res) => {
    const client = await clientOf(req);
    const site = await siteOf(req, client);
    renderSiteForm(res, { client, siteId: site.id, values: siteFormValuesFromRecord(site), errors: {} });
  });

  router.post('/clients/:clientId/sites/:id', async (req, res) => {
    const client = await clientOf(req);
    const site = await siteOf(req, client);
    const form = parseSiteForm(req.body);
    if (!form.ok) {
      renderSiteForm(res, { client, siteId: site.id, values: siteFormValuesFromBody(req.body), errors: form.errors }, 422);
      return;
    }
    await sites.update(accountIdOf(req), site.id, form.value);
    flash(req, messages.saved('Site'));
    res.redirect(303, `/clients/${client.id}`);
  });

  return router;
}
