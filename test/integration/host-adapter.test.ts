import { expect } from 'chai';
import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import { testKnex } from '../support/test-database';
import { insertAccount, insertUser, someClient, type TestUser } from './standin-fixtures';
import { signIn, startAcmeWork } from './standin-web-support';

describe('the stand-in WorkHost adapter', () => {
  let knex: Knex;
  let work: WorkApp;
  let accountId: string;
  let admin: TestUser;
  let staff: TestUser;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    ({ work, accountId, admin } = await startAcmeWork(knex));
    staff = await insertUser(knex, accountId, { email: 'staff@acme.test', isAdmin: false });
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  /** A probe router mounted through the seam after the app was built, guarded the way the plugin guards its own. */
  function mountProbe(): void {
    const router = express.Router();
    router.use(work.host.requireAdmin);
    router.get('/whoami', (req, res) => {
      res.json({ account: work.host.currentAccount(req) });
    });
    work.host.mountRouter('/probe', router);
  }

  it('mounts a router before the 404 handler even when mounted after the app was built', async () => {
    mountProbe();
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    const res = await agent.get('/probe/whoami').expect(200);
    expect(res.body).to.deep.equal({ account: { id: accountId, name: 'Acme Field Co' } });
  });

  it('requireAdmin: anonymous → login redirect, non-admin → 403 page', async () => {
    mountProbe();
    const anonymous = await request(work.app).get('/probe/whoami');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.location).to.equal('/login?next=%2Fprobe%2Fwhoami');
    const agent = request.agent(work.app);
    await signIn(agent, staff.email, staff.password);
    const res = await agent.get('/probe/whoami');
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Only an administrator');
  });

  it('currentAccount is null for anonymous requests', async () => {
    const router = express.Router();
    router.get('/open', (req, res) => {
      res.json({ account: work.host.currentAccount(req) });
    });
    work.host.mountRouter('/probe', router);
    const res = await request(work.app).get('/probe/open').expect(200);
    expect(res.body).to.deep.equal({ account: null });
  });

  it('onLifecycle subscribes to the models’ events and returns a working unsubscribe', async () => {
    const seen: string[] = [];
    const unsubscribe = work.host.onLifecycle(async (e) => {
      seen.push(`${e.entity}:${e.action}:${e.accountId}`);
    });
    const client = await work.host.work.clients.create(accountId, someClient);
    unsubscribe();
    await work.host.work.clients.update(accountId, client.id, { phone: '1' });
    expect(seen).to.deep.equal([`client:created:${accountId}`]);
  });

  it('scopes every port read to the given account', async () => {
    const other = await insertAccount(knex, 'Other');
    const client = await work.host.work.clients.create(accountId, someClient);
    const item = await work.host.work.items.create(accountId, { name: 'Labour', description: null, sku: null, kind: 'service', unitPrice: '85.0000', taxable: false, active: true });
    const { clients, items, sites, invoices, payments } = work.host.work;
    expect(await clients.get(other, client.id)).to.equal(null);
    expect(await clients.list(other)).to.deep.equal([]);
    expect(await items.get(other, item.id)).to.equal(null);
    expect(await items.findByName(other, 'Labour')).to.equal(null);
    expect((await items.findByName(accountId, 'Labour'))?.id).to.equal(item.id);
    expect(await sites.list(other)).to.deep.equal([]);
    expect(await invoices.list(other)).to.deep.equal([]);
    expect(await payments.list(other)).to.deep.equal([]);
    const err = await clients.update(other, client.id, { phone: 'x' }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect((await clients.get(accountId, client.id))?.phone).to.equal(null);
  });

  it('pages lists by id (keyset) with a limit', async () => {
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) ids.push((await work.host.work.clients.create(accountId, { ...someClient, companyName: name })).id);
    const page1 = await work.host.work.clients.list(accountId, { limit: 2 });
    const page2 = await work.host.work.clients.list(accountId, { afterId: page1[1]?.id ?? '', limit: 2 });
    expect([...page1, ...page2].map((c) => c.id)).to.deep.equal(ids);
  });

  it('returns invoice dates as YYYY-MM-DD strings and money as decimal strings', async () => {
    const client = await work.host.work.clients.create(accountId, someClient);
    await work.models.invoices.create(accountId, {
      clientId: client.id, siteId: null, number: 'D-1', issueDate: '2026-01-31', dueDate: '2026-02-28', notes: null, taxRate: '5',
      lines: [{ itemId: null, description: 'x', quantity: '3', unitPrice: '0.3333', taxable: true }],
    });
    const [invoice] = await work.host.work.invoices.list(accountId);
    expect(invoice).to.include({ issueDate: '2026-01-31', dueDate: '2026-02-28', subtotal: '0.9999', taxTotal: '0.049995', total: '1.049895' });
    expect(invoice?.lines[0]).to.include({ quantity: '3.0000', unitPrice: '0.3333', taxAmount: '0.049995', taxable: true });
  });
});
