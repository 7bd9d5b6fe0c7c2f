import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import { messages } from '../../dev/host/web/messages';
import { testKnex } from '../support/test-database';
import { insertAccount, someClient } from './standin-fixtures';
import { problemsOn, rowCounts, signIn, startAcmeWork, tokenFor, type Agent } from './standin-web-support';

const NO_ADDRESS = { line1: null, line2: null, city: null, state: null, postalCode: null, country: null };

describe('stand-in pages: clients and sites', () => {
  let knex: Knex;
  let work: WorkApp;
  let agent: Agent;
  let accountId: string;
  let otherAccountId: string;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    const acme = await startAcmeWork(knex);
    ({ work, accountId } = acme);
    otherAccountId = await insertAccount(knex, 'Other Tenant');
    const { admin } = acme;
    agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  async function postClient(path: string, fields: Record<string, string>) {
    const _csrf = await tokenFor(agent, '/clients/new');
    return agent.post(path).type('form').send({ _csrf, ...fields });
  }

  it('creates a client through the form, stores what was typed, and queues it for the plugin', async () => {
    const res = await postClient('/clients', {
      companyName: "  O'Brien & Sons: Heating  ", firstName: 'Sean', lastName: '', email: 'sean@obrien.test', phone: '555-0101',
      line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US', notes: 'Gate code 1234', active: 'on',
    });
    expect(res.status).to.equal(303);
    const [client] = await work.models.clients.list(accountId);
    expect(res.headers.location).to.equal(`/clients/${client?.id}`);
    expect(client).to.include({ companyName: "O'Brien & Sons: Heating", firstName: 'Sean', lastName: null, email: 'sean@obrien.test', notes: 'Gate code 1234', active: true });
    expect(client?.billingAddress).to.deep.equal({ line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' });
    const outbox = await knex('qbo_outbox').select('entity', 'record_id', 'action');
    expect(outbox).to.deep.equal([{ entity: 'client', record_id: client?.id, action: 'created' }]);
    const page = await agent.get(res.headers.location ?? '').expect(200);
    expect(page.text).to.contain('Client saved.');
  });

  it('edits a client through the form', async () => {
    const client = await work.models.clients.create(accountId, someClient);
    const res = await postClient(`/clients/${client.id}`, { companyName: 'Renamed Co', email: '', active: 'on' });
    expect(res.status).to.equal(303);
    const after = await work.models.clients.get(accountId, client.id);
    expect(after).to.include({ companyName: 'Renamed Co', firstName: null, email: null });
  });

  const badClients: [string, Record<string, string>, string][] = [
    ['no company and no contact name', { companyName: '  ', firstName: '', lastName: '', email: 'x@y.test' }, messages.clientNameRequired],
    ['a bad email', { companyName: 'Acme', email: 'not-an-email' }, messages.emailInvalid],
    ['an email with spaces', { companyName: 'Acme', email: 'a b@c.test' }, messages.emailInvalid],
    ['a company name over 255 characters', { companyName: 'x'.repeat(256) }, messages.tooLong('Company name', 255)],
  ];
  for (const [what, fields, message] of badClients) {
    it(`refuses a client with ${what}: 422, a clear message, the values kept, nothing saved`, async () => {
      const before = await rowCounts(knex);
      const res = await postClient('/clients', { ...fields, phone: '555-0199' });
      expect(res.status).to.equal(422);
      expect(problemsOn(res.text)).to.include(message);
      expect(res.text).to.contain(messages.fixBelow);
      expect(res.text).to.contain('value="555-0199"');
      expect(await rowCounts(knex)).to.deep.equal(before);
    });
  }

  it('refuses a bad edit without changing the stored client', async () => {
    const client = await work.models.clients.create(accountId, someClient);
    const res = await postClient(`/clients/${client.id}`, { companyName: 'New', email: 'bad@' });
    expect(res.status).to.equal(422);
    expect((await work.models.clients.get(accountId, client.id))?.companyName).to.equal(someClient.companyName);
  });

  it('accepts a client with a blank company name when it has a contact name (Work has many)', async () => {
    const res = await postClient('/clients', { companyName: '', firstName: 'Maria', lastName: 'Gonzalez' });
    expect(res.status).to.equal(303);
    const [client] = await work.models.clients.list(accountId);
    expect(client).to.include({ companyName: null, firstName: 'Maria' });
  });

  it('renders hostile names escaped on the list, the page and the edit form', async () => {
    const hostile = '<script>alert(1)</script>';
    const client = await work.models.clients.create(accountId, { ...someClient, companyName: hostile, notes: '"><img src=x onerror=alert(2)>' });
    for (const path of ['/clients', `/clients/${client.id}`, `/clients/${client.id}/edit`]) {
      const res = await agent.get(path).expect(200);
      expect(res.text, path).not.to.contain('<script>alert(1)');
      expect(res.text, path).not.to.contain('<img src=x');
      expect(res.text, path).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it("answers 404 for another account's client, on every route, and changes nothing", async () => {
    const foreign = await work.models.clients.create(otherAccountId, someClient);
    for (const path of [`/clients/${foreign.id}`, `/clients/${foreign.id}/edit`, `/clients/${foreign.id}/sites/new`, '/clients/abc', '/clients/99999999']) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(404);
      expect(res.text).to.contain(messages.notFound);
    }
    const before = await rowCounts(knex);
    expect((await postClient(`/clients/${foreign.id}`, { companyName: 'Hijacked' })).status).to.equal(404);
    expect((await postClient(`/clients/${foreign.id}/sites`, { name: 'Hijacked site' })).status).to.equal(404);
    expect(await rowCounts(knex)).to.deep.equal(before);
    expect((await work.models.clients.get(otherAccountId, foreign.id))?.companyName).to.equal(someClient.companyName);
  });

  it('lists only the signed-in account’s clients', async () => {
    await work.models.clients.create(accountId, { ...someClient, companyName: 'Mine Ltd' });
    await work.models.clients.create(otherAccountId, { ...someClient, companyName: 'Theirs Ltd' });
    const res = await agent.get('/clients').expect(200);
    expect(res.text).to.contain('Mine Ltd');
    expect(res.text).not.to.contain('Theirs Ltd');
  });

  it('lists the account’s products and services only, escaped', async () => {
    const item = { description: null, sku: null, kind: 'service' as const, unitPrice: '23.4567', taxable: true, active: true };
    await work.models.items.create(accountId, { ...item, name: 'Filter <HEPA>' });
    await work.models.items.create(otherAccountId, { ...item, name: 'Their item' });
    const res = await agent.get('/items').expect(200);
    expect(res.text).to.contain('Filter &lt;HEPA&gt;');
    expect(res.text).to.contain('23.4567');
    expect(res.text).not.to.contain('Their item');
  });

  describe('sites', () => {
    it('creates and edits a site under its client', async () => {
      const client = await work.models.clients.create(accountId, someClient);
      const _csrf = await tokenFor(agent, `/clients/${client.id}/sites/new`);
      const res = await agent.post(`/clients/${client.id}/sites`).type('form').send({ _csrf, name: 'Warehouse 7', contactName: 'Kim', email: 'kim@acme.test', city: 'Madison', active: 'on' });
      expect(res.status).to.equal(303);
      const [site] = await work.models.sites.list(accountId, { clientId: client.id });
      expect(site).to.include({ clientId: client.id, name: 'Warehouse 7', contactName: 'Kim', email: 'kim@acme.test', active: true });
      expect(site?.address.city).to.equal('Madison');

      const edit = await agent.post(`/clients/${client.id}/sites/${site?.id}`).type('form').send({ _csrf, name: 'Warehouse 8', active: '' });
      expect(edit.status).to.equal(303);
      expect(await work.models.sites.get(accountId, site?.id ?? '')).to.include({ name: 'Warehouse 8', active: false, email: null });
    });

    it('refuses a site without a name or with a bad email, saving nothing', async () => {
      const client = await work.models.clients.create(accountId, someClient);
      const _csrf = await tokenFor(agent, `/clients/${client.id}/sites/new`);
      const before = await rowCounts(knex);
      const noName = await agent.post(`/clients/${client.id}/sites`).type('form').send({ _csrf, name: ' ', contactName: 'Kim' });
      expect(noName.status).to.equal(422);
      expect(problemsOn(noName.text)).to.include(messages.required('Site name'));
      expect(noName.text).to.contain('value="Kim"');
      const badEmail = await agent.post(`/clients/${client.id}/sites`).type('form').send({ _csrf, name: 'Shop', email: 'kim@' });
      expect(badEmail.status).to.equal(422);
      expect(problemsOn(badEmail.text)).to.include(messages.emailInvalid);
      expect(await rowCounts(knex)).to.deep.equal(before);
    });

    it("answers 404 for a site reached through another client's path or another account", async () => {
      const mine = await work.models.clients.create(accountId, someClient);
      const alsoMine = await work.models.clients.create(accountId, { ...someClient, companyName: 'Second' });
      const site = await work.models.sites.create(accountId, mine.id, { name: 'Yard', contactName: null, email: null, phone: null, active: true, address: NO_ADDRESS });
      const foreignClient = await work.models.clients.create(otherAccountId, someClient);
      const foreignSite = await work.models.sites.create(otherAccountId, foreignClient.id, { name: 'Theirs', contactName: null, email: null, phone: null, active: true, address: NO_ADDRESS });
      await agent.get(`/clients/${mine.id}/sites/${site.id}/edit`).expect(200);
      await agent.get(`/clients/${alsoMine.id}/sites/${site.id}/edit`).expect(404);
      await agent.get(`/clients/${mine.id}/sites/${foreignSite.id}/edit`).expect(404);
      const _csrf = await tokenFor(agent, `/clients/${mine.id}/sites/new`);
      await agent.post(`/clients/${mine.id}/sites/${foreignSite.id}`).type('form').send({ _csrf, name: 'Hijacked' }).expect(404);
      expect((await work.models.sites.get(otherAccountId, foreignSite.id))?.name).to.equal('Theirs');
    });
  });
});
