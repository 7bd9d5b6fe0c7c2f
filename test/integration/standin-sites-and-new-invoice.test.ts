/**
 * The stand-in's rough edges a newcomer meets: a Sites page in the nav, a new-invoice form that offers the
 * chosen client's sites only (grouped by client before one is chosen, no script needed), and the next
 * invoice number already filled in.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import { messages } from '../../dev/host/web/messages';
import type { WorkClient } from '../../plugin/host/work-records';
import { testKnex } from '../support/test-database';
import { insertAccount, insertUser, someClient } from './standin-fixtures';
import { signIn, startAcmeWork, tokenFor, type Agent } from './standin-web-support';

const NO_ADDRESS = { line1: null, line2: null, city: null, state: null, postalCode: null, country: null };
const site = (name: string) => ({ name, contactName: null, email: null, phone: null, active: true, address: { ...NO_ADDRESS, city: 'Madison' } });

/** The options of one <select>, with the <optgroup> each sits in. */
function selectOptions(html: string, name: string): { group: string | null; value: string; label: string; selected: boolean }[] {
  const select = new RegExp(`<select id="${name}" name="${name}">([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  const found: { group: string | null; value: string; label: string; selected: boolean }[] = [];
  let group: string | null = null;
  const re = /<optgroup label="([^"]*)">|<\/optgroup>|<option value="([^"]*)"( selected)?>([^<]*)<\/option>/g;
  for (let m = re.exec(select); m; m = re.exec(select)) {
    if (m[1] !== undefined) group = m[1];
    else if (m[0] === '</optgroup>') group = null;
    else found.push({ group, value: m[2] ?? '', label: m[4] ?? '', selected: Boolean(m[3]) });
  }
  return found;
}

const numberField = (html: string) => /<input[^>]*name="number"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? /<input[^>]*value="([^"]*)"[^>]*name="number"/.exec(html)?.[1];

describe('stand-in: Sites in the nav, sites of the chosen client, next invoice number', () => {
  let knex: Knex;
  let work: WorkApp;
  let agent: Agent;
  let accountId: string;
  let acme: WorkClient;
  let bolt: WorkClient;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    const started = await startAcmeWork(knex);
    ({ work, accountId } = started);
    acme = await work.models.clients.create(accountId, someClient);
    bolt = await work.models.clients.create(accountId, { ...someClient, companyName: 'Bolt Electric', email: 'office@bolt.test' });
    await work.models.sites.create(accountId, acme.id, site('Acme Yard'));
    await work.models.sites.create(accountId, acme.id, site('Acme Depot'));
    await work.models.sites.create(accountId, bolt.id, site('Bolt Workshop'));
    const other = await insertAccount(knex, 'Other Tenant');
    const stranger = await work.models.clients.create(other, { ...someClient, companyName: 'Stranger Co' });
    await work.models.sites.create(other, stranger.id, site('Foreign Site'));
    agent = request.agent(work.app);
    await signIn(agent, started.admin.email, started.admin.password);
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  it('has a Sites entry in the nav, listing every site of the account with its client', async () => {
    const clients = await agent.get('/clients').expect(200);
    expect(clients.text).to.contain('<a href="/sites">Sites</a>');
    const page = await agent.get('/sites').expect(200);
    for (const name of ['Acme Yard', 'Acme Depot', 'Bolt Workshop', 'Bolt Electric', 'Acme Plumbing']) expect(page.text).to.contain(name);
    expect(page.text).not.to.contain('Foreign Site');
    expect(page.text).to.contain(`href="/clients/${bolt.id}"`);
    await request(work.app).get('/sites').expect(303);
  });

  it('shows staff the Sites page too', async () => {
    await insertUser(knex, accountId, { email: 'staff@acme.test', isAdmin: false, password: 'staff password here' });
    const staff = request.agent(work.app);
    await signIn(staff, 'staff@acme.test', 'staff password here');
    await staff.get('/sites').expect(200);
  });

  it('offers every client’s sites grouped under the client before one is chosen, and only the chosen client’s after', async () => {
    const blank = await agent.get('/invoices/new').expect(200);
    const grouped = selectOptions(blank.text, 'siteId');
    expect(grouped.map((o) => `${o.group ?? '-'}: ${o.label}`)).to.deep.equal([
      '-: No site',
      'Acme Plumbing (Ada Lovelace): Acme Yard',
      'Acme Plumbing (Ada Lovelace): Acme Depot',
      'Bolt Electric (Ada Lovelace): Bolt Workshop',
    ]);

    const forBolt = await agent.get(`/invoices/new?clientId=${bolt.id}`).expect(200);
    expect(selectOptions(forBolt.text, 'siteId').map((o) => o.label)).to.deep.equal(['No site', 'Bolt Workshop']);

    // A refused form is drawn again with the client the person chose: its sites only.
    const _csrf = await tokenFor(agent, '/invoices/new');
    const refused = await agent.post('/invoices').type('form').send({ _csrf, clientId: acme.id, number: '', issueDate: '2026-03-01', taxRate: '0' });
    expect(refused.status).to.equal(422);
    expect(selectOptions(refused.text, 'siteId').map((o) => o.label)).to.deep.equal(['No site', 'Acme Yard', 'Acme Depot']);

    // A site of another client is still refused beside the field.
    const boltSite = (await work.models.sites.list(accountId, { clientId: bolt.id }))[0];
    const mismatch = await agent.post('/invoices').type('form').send({
      _csrf, clientId: acme.id, siteId: boltSite?.id ?? '', number: 'X-1', issueDate: '2026-03-01', taxRate: '0',
      'lines[0][description]': 'Work', 'lines[0][quantity]': '1', 'lines[0][unitPrice]': '10',
    });
    expect(mismatch.status).to.equal(422);
    expect(mismatch.text).to.contain(messages.siteOfOtherClient.replace(/'/g, '&#39;'));
  });

  it('fills in the next invoice number', async () => {
    expect(numberField((await agent.get('/invoices/new').expect(200)).text)).to.equal('INV-1001');
    const lines = [{ itemId: null, description: 'Work', quantity: '1', unitPrice: '10', taxable: false }];
    for (const number of ['NW-1001', 'NW-1024', 'NW-1002']) {
      await work.models.invoices.create(accountId, { clientId: acme.id, siteId: null, number, issueDate: '2026-03-01', dueDate: null, notes: null, taxRate: '0', lines });
    }
    expect(numberField((await agent.get('/invoices/new').expect(200)).text)).to.equal('NW-1025');
  });
});
