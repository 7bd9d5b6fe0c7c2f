/**
 * A NUL character in any text field of the stand-in's forms is answered by the form itself (422, the
 * message beside the field, nothing saved), not by a PostgreSQL error turned into a 500.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import { CLIENT_FIELD_NAMES } from '../../dev/host/web/forms/client-form';
import { SITE_FIELD_NAMES } from '../../dev/host/web/forms/site-form';
import { messages } from '../../dev/host/web/messages';
import type { WorkClient } from '../../plugin/host/work-records';
import { testKnex } from '../support/test-database';
import { someClient, type TestUser } from './standin-fixtures';
import { problemsOn, rowCounts, signIn, startAcmeWork, tokenFor, type Agent } from './standin-web-support';

type Fields = Record<string, string>;
const NUL = 'A\u0000B';
/** The message as ejs prints it. */
const shown = messages.nulCharacter.replace(/'/g, '&#39;');

describe('stand-in forms refuse a NUL character with their own 422 message', () => {
  let knex: Knex;
  let work: WorkApp & { errors: unknown[] };
  let admin: TestUser;
  let accountId: string;
  let agent: Agent;
  let client: WorkClient;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    ({ work, admin, accountId } = await startAcmeWork(knex));
    client = await work.models.clients.create(accountId, someClient);
    agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  async function expectRefused(path: string, fields: Fields, field: string): Promise<void> {
    const _csrf = await tokenFor(agent, '/clients/new');
    const before = await rowCounts(knex);
    const res = await agent.post(path).type('form').send({ _csrf, ...fields });
    expect(res.status, `${field} at ${path}`).to.equal(422);
    expect(problemsOn(res.text).join('\n'), `${field} at ${path}`).to.contain(shown);
    expect(await rowCounts(knex), `${field} at ${path}`).to.deep.equal(before);
  }

  const validClient: Fields = { companyName: 'Nul Free Ltd', email: 'ok@nul.test', active: 'on' };
  const validSite: Fields = { name: 'Depot', active: 'on' };
  const validInvoice = (): Fields => ({
    clientId: client.id,
    number: 'INV-NUL',
    issueDate: '2026-03-01',
    taxRate: '0',
    notes: '',
    'lines[0][description]': 'Labour',
    'lines[0][quantity]': '1',
    'lines[0][unitPrice]': '10',
  });
  const validPayment = (): Fields => ({ clientId: client.id, amount: '5', paidOn: '2026-03-05', method: 'Check', reference: 'CHK 1' });

  it('on every text field of the client form, new and edit', async () => {
    for (const field of CLIENT_FIELD_NAMES) {
      await expectRefused('/clients', { ...validClient, [field]: NUL }, field);
      await expectRefused(`/clients/${client.id}`, { ...validClient, [field]: NUL }, field);
    }
  });

  it('on every text field of the site form', async () => {
    for (const field of SITE_FIELD_NAMES) await expectRefused(`/clients/${client.id}/sites`, { ...validSite, [field]: NUL }, field);
  });

  it('on the invoice number, notes and a line description', async () => {
    for (const field of ['number', 'notes', 'lines[0][description]']) await expectRefused('/invoices', { ...validInvoice(), [field]: NUL }, field);
  });

  it('on the payment reference', async () => {
    await expectRefused('/payments', { ...validPayment(), reference: NUL }, 'reference');
  });

  it('treats a NUL in the login email as a wrong login, and in a query filter as no filter', async () => {
    const anonymous = request.agent(work.app);
    const _csrf = await tokenFor(anonymous, '/login');
    const res = await anonymous.post('/login').type('form').send({ _csrf, email: `admin\u0000@acme.test`, password: admin.password });
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('That email and password do not match an account.');
    for (const path of ['/payments?clientId=%00', '/invoices/new?clientId=1%00', '/payments/new?clientId=%00&invoiceId=%00']) {
      expect((await agent.get(path)).status, path).to.equal(200);
    }
    expect(work.errors).to.deep.equal([]);
  });
});
