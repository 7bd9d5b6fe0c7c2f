import { expect } from 'chai';
import type { Router } from 'express';
import { messages } from '../../../dev/host/web/messages';
import { IMPORT_TEXTS } from '../../../plugin/messages';
import { asHtml, expectClean, expectMessage, expectNothingWritten, rowCounts } from '../checks';
import { badCase } from '../ledger';
import { MOUNT, OPS_TOKEN, csrfOf, type Answer, type BadInputWorld, type Client, type Who } from '../world';
import { clientFields, firstId, invoiceFields, latestRow, paymentFields, siteFields, submitWorkForm } from './form-support';

/** Northwind's records that Bluebird's users try to reach. */
interface Target {
  client: string;
  site: string;
  invoice: string;
  payment: string;
  item: string;
  importId: string;
  clientName: string;
  companyName: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
}

/** Every route of the running app, "METHOD /path", read from Express's own router (plugin mounts included). */
export function enumerateRoutes(router: Router): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) found.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle?.stack) {
        const path = typeof layer.rawPath === 'string' && !layer.slash ? layer.rawPath.replace(/\/$/, '') : '';
        walk(layer.handle.stack, `${prefix}${path}`);
      }
    }
  };
  walk((router as unknown as { stack: Layer[] }).stack, '');
  return [...new Set(found)].sort();
}

type Attempt = (w: BadInputWorld, who: Client, t: Target) => Promise<Answer>;

const token = async (who: Client): Promise<string> => csrfOf((await who.get('/clients/new')).text);
const postWith = async (who: Client, path: string, fields: Record<string, string>): Promise<Answer> => who.postForm(path, { _csrf: await token(who), ...fields });

/** Work's routes that take a record id, each tried with Northwind's ids by Bluebird's users: 404, nothing changed. */
const RECORD_ROUTES: Record<string, Attempt> = {
  'GET /clients/:id': (_w, who, t) => who.get(`/clients/${t.client}`),
  'GET /clients/:id/edit': (_w, who, t) => who.get(`/clients/${t.client}/edit`),
  'POST /clients/:id': (_w, who, t) => postWith(who, `/clients/${t.client}`, clientFields({ companyName: 'Taken over' })),
  'GET /clients/:clientId/sites/new': (_w, who, t) => who.get(`/clients/${t.client}/sites/new`),
  'POST /clients/:clientId/sites': (_w, who, t) => postWith(who, `/clients/${t.client}/sites`, siteFields({ name: 'Planted site' })),
  'GET /clients/:clientId/sites/:id/edit': (_w, who, t) => who.get(`/clients/${t.client}/sites/${t.site}/edit`),
  'POST /clients/:clientId/sites/:id': (_w, who, t) => postWith(who, `/clients/${t.client}/sites/${t.site}`, siteFields({ name: 'Taken over' })),
  'GET /invoices/:id': (_w, who, t) => who.get(`/invoices/${t.invoice}`),
  'GET /invoices/:id/edit': (_w, who, t) => who.get(`/invoices/${t.invoice}/edit`),
  'POST /invoices/:id': async (w, who, t) => postWith(who, `/invoices/${t.invoice}`, invoiceFields(await firstId(w, 'clients', w.accounts.bluebird), {})),
  'GET /invoices/:id/delete': (_w, who, t) => who.get(`/invoices/${t.invoice}/delete`),
  'POST /invoices/:id/delete': (_w, who, t) => postWith(who, `/invoices/${t.invoice}/delete`, {}),
  'GET /payments/:id/edit': (_w, who, t) => who.get(`/payments/${t.payment}/edit`),
  'POST /payments/:id': async (w, who, t) => postWith(who, `/payments/${t.payment}`, paymentFields(await firstId(w, 'clients', w.accounts.bluebird), {})),
  'GET /payments/:id/delete': (_w, who, t) => who.get(`/payments/${t.payment}/delete`),
  'POST /payments/:id/delete': (_w, who, t) => postWith(who, `/payments/${t.payment}/delete`, {}),
};

/** Bluebird's own forms naming one of Northwind's records: refused as not found. */
const FOREIGN_REFERENCES: Record<string, Attempt> = {
  'a new invoice for Northwind’s client': (_w, who, t) => postWith(who, '/invoices', invoiceFields(t.client, {})),
  'a new invoice at Northwind’s site': async (w, who, t) => postWith(who, '/invoices', invoiceFields(await firstId(w, 'clients', w.accounts.bluebird), { siteId: t.site })),
  'a new invoice line with Northwind’s item': async (w, who, t) => postWith(who, '/invoices', invoiceFields(await firstId(w, 'clients', w.accounts.bluebird), { 'lines[0][itemId]': t.item })),
  'a new payment from Northwind’s client': (_w, who, t) => postWith(who, '/payments', paymentFields(t.client, {})),
  'a new payment on Northwind’s invoice': async (w, who, t) => postWith(who, '/payments', paymentFields(await firstId(w, 'clients', w.accounts.bluebird), { invoiceId: t.invoice })),
  'Bluebird’s client path with Northwind’s site': async (w, who, t) => who.get(`/clients/${await firstId(w, 'clients', w.accounts.bluebird)}/sites/${t.site}/edit`),
};

/** Ids that name no record anywhere: the same 404, never a database error. */
const ODD_IDS = ['0', '-1', '1.5', '99999999999999999999', "1'OR'1'='1", '%00', '%E2%80%AE1', 'null', '1e3', `${'9'.repeat(300)}`];

/** Work's pages that list or pre-fill: Bluebird's users never see Northwind's names on them. */
const LIST_PAGES: ((t: Target) => string)[] = [
  () => '/clients',
  () => '/sites',
  () => '/invoices',
  () => '/payments',
  () => '/items',
  (t) => `/invoices/new?clientId=${t.client}`,
  (t) => `/payments/new?invoiceId=${t.invoice}`,
  (t) => `/payments/new?clientId=${t.client}`,
];

/** The plugin's admin pages: staff get 403 with Work's words, anonymous visitors the login page. */
const PLUGIN_ADMIN_ROUTES: Record<string, (who: Client, t: Target) => Promise<Answer>> = {
  [`GET ${MOUNT}/`]: (who) => who.get(`${MOUNT}/`),
  [`GET ${MOUNT}/assets/qbo.css`]: (who) => who.get(`${MOUNT}/assets/qbo.css`),
  [`POST ${MOUNT}/connect`]: (who) => who.postForm(`${MOUNT}/connect`, { _csrf: 'x' }),
  [`GET ${MOUNT}/callback`]: (who) => who.get(`${MOUNT}/callback?state=x&code=y&realmId=1`),
  [`POST ${MOUNT}/disconnect`]: (who) => who.postForm(`${MOUNT}/disconnect`, { _csrf: 'x' }),
  [`GET ${MOUNT}/settings`]: (who) => who.get(`${MOUNT}/settings`),
  [`POST ${MOUNT}/settings`]: (who) => who.postForm(`${MOUNT}/settings`, { _csrf: 'x', clientsEnabled: 'on' }),
  [`GET ${MOUNT}/import/products`]: (who) => who.get(`${MOUNT}/import/products`),
  [`POST ${MOUNT}/import/products`]: (who) => who.send('POST', `${MOUNT}/import/products`, new FormData()),
  [`POST ${MOUNT}/import/products/:id/confirm`]: (who, t) => who.postForm(`${MOUNT}/import/products/${t.importId}/confirm`, { _csrf: 'x' }),
  [`GET ${MOUNT}/assets/qbo-sync.js`]: (who) => who.get(`${MOUNT}/assets/qbo-sync.js`),
  [`GET ${MOUNT}/preview`]: (who) => who.get(`${MOUNT}/preview`),
  [`GET ${MOUNT}/sync`]: (who) => who.get(`${MOUNT}/sync`),
  [`GET ${MOUNT}/sync/progress`]: (who) => who.get(`${MOUNT}/sync/progress`),
  [`POST ${MOUNT}/sync/start`]: (who) => who.postForm(`${MOUNT}/sync/start`, { _csrf: 'x' }),
  [`POST ${MOUNT}/sync/cancel`]: (who) => who.postForm(`${MOUNT}/sync/cancel`, { _csrf: 'x' }),
  [`GET ${MOUNT}/history`]: (who) => who.get(`${MOUNT}/history`),
  [`GET ${MOUNT}/log`]: (who) => who.get(`${MOUNT}/log`),
  [`GET ${MOUNT}/log.csv`]: (who) => who.get(`${MOUNT}/log.csv`),
  [`POST ${MOUNT}/log/:id/retry`]: (who) => who.postForm(`${MOUNT}/log/1/retry`, { _csrf: 'x' }),
  [`POST ${MOUNT}/log/:id/dismiss`]: (who) => who.postForm(`${MOUNT}/log/1/dismiss`, { _csrf: 'x' }),
  [`POST ${MOUNT}/log/actions`]: (who) => who.postForm(`${MOUNT}/log/actions`, { _csrf: 'x', action: 'retry', ids: '1' }),
  [`GET ${MOUNT}/review`]: (who) => who.get(`${MOUNT}/review`),
  [`POST ${MOUNT}/review/:id`]: (who) => who.postForm(`${MOUNT}/review/1`, { _csrf: 'x', action: 'skip' }),
  [`GET ${MOUNT}/reconciliation`]: (who) => who.get(`${MOUNT}/reconciliation`),
};

/** Routes whose bad inputs other families own, or that hold no account's data. */
const COVERED_ELSEWHERE = new Set([
  'GET /login',
  'POST /login',
  'POST /logout',
  'GET /',
  'GET /clients/new',
  'POST /clients',
  'GET /invoices/new',
  'POST /invoices',
  'GET /payments/new',
  'POST /payments',
  'GET /clients',
  'GET /sites',
  'GET /invoices',
  'GET /payments',
  'GET /items',
  `POST ${MOUNT}/webhooks/`,
  `GET ${MOUNT}/ops/health`,
]);

async function createTarget(w: BadInputWorld): Promise<Target> {
  const nw = w.clients.northwindAdmin;
  const clientName = 'Northwind Private Client 4f1c';
  expect((await submitWorkForm(nw, '/clients/new', '/clients', clientFields({ companyName: clientName }))).status).to.equal(303);
  const client = String((await latestRow(w, 'clients', w.accounts.northwind)).id);
  expect((await submitWorkForm(nw, `/clients/${client}/sites/new`, `/clients/${client}/sites`, siteFields({ name: 'Northwind Private Site' }))).status).to.equal(303);
  const site = String((await latestRow(w, 'sites', w.accounts.northwind)).id);
  expect((await submitWorkForm(nw, '/invoices/new', '/invoices', invoiceFields(client, { siteId: site, number: 'NW-PRIVATE-1' }))).status).to.equal(303);
  const invoice = String((await latestRow(w, 'invoices', w.accounts.northwind)).id);
  expect((await submitWorkForm(nw, '/payments/new', '/payments', paymentFields(client, { invoiceId: invoice, reference: 'NW-PRIVATE-REF' }))).status).to.equal(303);
  const payment = String((await latestRow(w, 'payments', w.accounts.northwind)).id);
  const item = await firstId(w, 'items', w.accounts.northwind);
  const page = await nw.get(`${MOUNT}/import/products`);
  const form = new FormData();
  form.append('_csrf', csrfOf(page.text, 'upload-form'));
  form.append('file', new Blob([Buffer.from('Product/Service Name,Sales Price / Rate\r\nNorthwind Private Item,5\r\n')]), 'products.csv');
  expect((await nw.send('POST', `${MOUNT}/import/products`, form)).status).to.equal(200);
  const importRow = (await w.knex('qbo_product_imports').where({ account_id: w.accounts.northwind }).orderBy('id', 'desc').first('id')) as { id: string | number };
  return { client, site, invoice, payment, item, importId: String(importRow.id), clientName, companyName: w.world.companies.usPlus.companyName };
}

/** Everything of Northwind's a refused attempt must leave exactly as it was. */
async function northwindState(w: BadInputWorld): Promise<string> {
  const rows = await Promise.all(['clients', 'sites', 'invoices', 'payments', 'items'].map((t) => w.knex(t).where({ account_id: w.accounts.northwind }).orderBy('id')));
  const lines = await w.knex('invoice_lines').orderBy('id');
  return JSON.stringify({ rows, lines });
}

export function otherAccountCases(world: () => BadInputWorld): void {
  describe('requests for another account’s data on every route', () => {
    let target: Target | undefined;
    const t = (): Target => {
      if (!target) throw new Error('the target records are created in the before hook');
      return target;
    };
    before(async function () {
      this.timeout(30_000);
      target = await createTarget(world());
    });

    badCase('other-accounts: every route of the app has a case', async () => {
      const routes = enumerateRoutes(world().world.work.app.router as unknown as Router);
      const known = new Set([...Object.keys(RECORD_ROUTES), ...Object.keys(PLUGIN_ADMIN_ROUTES), ...COVERED_ELSEWHERE]);
      expect(routes.length, 'routes found').to.be.above(30);
      expect(routes.filter((r) => !known.has(r)), 'routes without a case').to.deep.equal([]);
    });

    const bluebird: Who[] = ['bluebirdAdmin', 'bluebirdStaff'];
    for (const [route, attempt] of Object.entries(RECORD_ROUTES)) {
      for (const who of bluebird) {
        badCase(`other-accounts: ${who} → ${route} with Northwind’s ids: 404`, async () => {
          const w = world();
          const label = `${who} ${route}`;
          const before = await northwindState(w);
          const answer = await expectNothingWritten(w.knex, label, () => attempt(w, w.clients[who], t()));
          expectClean(w, answer, label);
          expect(answer.status, `${label}: status`).to.equal(404);
          expectMessage(answer, messages.notFound, label);
          expect(answer.text, `${label}: nothing of Northwind's shown`).to.not.include(t().clientName);
          expect(await northwindState(w), `${label}: Northwind's records unchanged`).to.equal(before);
        });
      }
    }
    for (const [what, attempt] of Object.entries(FOREIGN_REFERENCES)) {
      badCase(`other-accounts: bluebirdAdmin → ${what}: 404`, async () => {
        const w = world();
        const label = `bluebirdAdmin ${what}`;
        const answer = await expectNothingWritten(w.knex, label, () => attempt(w, w.clients.bluebirdAdmin, t()));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(404);
        expectMessage(answer, messages.notFound, label);
      });
    }
    for (const id of ODD_IDS) {
      for (const path of ['/clients/:id', '/invoices/:id', '/payments/:id/edit', '/clients/:id/sites/:id/edit']) {
        badCase(`other-accounts: northwindAdmin → ${path} with id ${id.length > 20 ? `${id.slice(0, 12)}…(${id.length})` : id}: 404`, async () => {
          const w = world();
          const label = `${path} ${id}`;
          const answer = await w.clients.northwindAdmin.get(path.replace(/:id/g, id));
          expectClean(w, answer, label);
          expect(answer.status, `${label}: status`).to.equal(404);
          expectMessage(answer, messages.notFound, label);
        });
      }
    }
    for (const page of LIST_PAGES) {
      badCase(`other-accounts: bluebirdAdmin → ${page({ client: ':NW', invoice: ':NW' } as Target)} shows none of Northwind’s records`, async () => {
        const w = world();
        const path = page(t());
        const answer = await w.clients.bluebirdAdmin.get(path);
        expectClean(w, answer, path);
        expect(answer.status, `${path}: status`).to.equal(200);
        for (const secret of [t().clientName, 'Northwind Private Site', 'NW-PRIVATE-1', 'NW-PRIVATE-REF', 'Northwind Field Services']) {
          expect(answer.text, `${path} shows ${secret}`).to.not.include(asHtml(secret));
        }
      });
    }
    for (const [route, attempt] of Object.entries(PLUGIN_ADMIN_ROUTES)) {
      badCase(`other-accounts: northwindStaff → ${route}: 403`, async () => {
        const w = world();
        const label = `staff ${route}`;
        const answer = await expectNothingWritten(w.knex, label, () => attempt(w.clients.northwindStaff, t()));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(403);
        expectMessage(answer, messages.forbidden, label);
      });
      badCase(`other-accounts: anonymous → ${route}: sent to sign in`, async () => {
        const w = world();
        const label = `anonymous ${route}`;
        const answer = await expectNothingWritten(w.knex, label, () => attempt(w.clients.anonymous, t()));
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(303);
        expect(answer.location ?? '', `${label}: to the login page`).to.match(/^\/login\?next=/);
      });
    }
    badCase('other-accounts: bluebirdAdmin confirms Northwind’s import: 404, nothing imported', async () => {
      const w = world();
      const admin = w.clients.bluebirdAdmin;
      const page = await admin.get(`${MOUNT}/import/products`);
      const before = await northwindState(w);
      const counts = await rowCounts(w.knex);
      const answer = await admin.postForm(`${MOUNT}/import/products/${t().importId}/confirm`, { _csrf: csrfOf(page.text, 'upload-form') });
      expectClean(w, answer, 'foreign import');
      expect(answer.status).to.equal(404);
      expectMessage(answer, IMPORT_TEXTS.importGone, 'foreign import');
      expect(await rowCounts(w.knex)).to.deep.equal(counts);
      expect(await northwindState(w)).to.equal(before);
      const imported = (await w.knex('qbo_product_imports').where({ id: t().importId }).first('applied_at')) as { applied_at: Date | null };
      expect(imported.applied_at, 'the preview is still unconfirmed').to.equal(null);
    });
    for (const path of [`${MOUNT}/`, `${MOUNT}/settings`, `${MOUNT}/import/products`]) {
      badCase(`other-accounts: bluebirdAdmin → GET ${path} shows Bluebird’s company, not Northwind’s`, async () => {
        const w = world();
        const answer = await w.clients.bluebirdAdmin.get(path);
        expectClean(w, answer, path);
        expect(answer.status).to.equal(200);
        expect(answer.text, `${path} shows Northwind's company`).to.not.include(asHtml(t().companyName));
        expect(answer.text, `${path} shows Northwind's name`).to.not.include('Northwind');
      });
    }
    const health: { kind: string; headers: Record<string, string>; query: string; status: number }[] = [
      { kind: 'no token', headers: {}, query: '', status: 401 },
      { kind: 'a wrong token', headers: { authorization: 'Bearer not-the-ops-token-at-all-0000' }, query: '', status: 401 },
      { kind: 'a Basic header', headers: { authorization: `Basic ${Buffer.from(`x:${OPS_TOKEN}`).toString('base64')}` }, query: '', status: 401 },
      { kind: 'an admin’s session but no token', headers: {}, query: '', status: 401 },
      { kind: 'a markup account', headers: { authorization: `Bearer ${OPS_TOKEN}` }, query: '?account=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E', status: 400 },
      { kind: 'an SQL account', headers: { authorization: `Bearer ${OPS_TOKEN}` }, query: "?account=1'%20OR%20'1'%3D'1", status: 400 },
      { kind: 'an account no one has', headers: { authorization: `Bearer ${OPS_TOKEN}` }, query: '?account=987654321', status: 200 },
      { kind: 'a NUL account', headers: { authorization: `Bearer ${OPS_TOKEN}` }, query: '?account=1%00', status: 400 },
      { kind: 'a 1,000-character account', headers: { authorization: `Bearer ${OPS_TOKEN}` }, query: `?account=${'9'.repeat(1000)}`, status: 400 },
      { kind: 'two accounts', headers: { authorization: `Bearer ${OPS_TOKEN}` }, query: '?account=1&account=2', status: 400 },
    ];
    for (const h of health) {
      badCase(`other-accounts: ops health with ${h.kind}`, async () => {
        const w = world();
        const label = `ops health ${h.kind}`;
        const who = h.kind.includes('session') ? w.clients.northwindAdmin : w.clients.anonymous;
        const answer = await who.get(`${MOUNT}/ops/health${h.query}`, { accept: 'application/json', ...h.headers });
        expectClean(w, answer, label);
        expect(answer.status, `${label}: status`).to.equal(h.status);
        const body = JSON.parse(answer.text) as { message?: string; accounts?: unknown[] };
        if (h.status === 401) expect(body.message).to.match(/bearer token/);
        else if (h.status === 400) expect(body.message).to.match(/account parameter/);
        else expect(JSON.stringify(body.accounts ?? []), `${label}: no real account reported for an id that names none`).to.not.include(w.world.companies.usPlus.realmId);
      });
    }
  });
}
