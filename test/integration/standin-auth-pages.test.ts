import { expect } from 'chai';
import type { Knex } from 'knex';
import request from 'supertest';
import type { WorkApp } from '../../dev/host/app';
import { messages } from '../../dev/host/web/messages';
import { testKnex } from '../support/test-database';
import { countRows, insertUser, type TestUser } from './standin-fixtures';
import { csrfFrom, signIn, startAcmeWork, tokenFor } from './standin-web-support';

const SETTINGS = '/settings/integrations/quickbooks';

describe('stand-in pages: login, roles and CSRF', () => {
  let knex: Knex;
  let work: WorkApp;
  let admin: TestUser;
  let staff: TestUser;

  before(async () => {
    knex = await testKnex();
  });

  beforeEach(async () => {
    const acme = await startAcmeWork(knex);
    ({ work, admin } = acme);
    const { accountId } = acme;
    staff = await insertUser(knex, accountId, { email: 'staff@acme.test', isAdmin: false });
  });

  afterEach(async () => {
    await work.plugin.stop();
  });

  it('signs in with the right password and shows who is signed in', async () => {
    const agent = request.agent(work.app);
    const _csrf = await tokenFor(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf, email: 'ADMIN@acme.test', password: admin.password, next: '/invoices' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/invoices');
    const page = await agent.get('/invoices').expect(200);
    expect(page.text).to.contain('Acme Field Co');
  });

  it('refuses a wrong password and an unknown email with the same clear message', async () => {
    for (const [email, password] of [[admin.email, 'wrong password'], ['nobody@acme.test', admin.password]] as const) {
      const agent = request.agent(work.app);
      const _csrf = await tokenFor(agent, '/login');
      const res = await agent.post('/login').type('form').send({ _csrf, email, password });
      expect(res.status).to.equal(401);
      expect(res.text).to.contain('That email and password do not match an account.');
      expect(res.text).to.contain(`value="${email}"`);
      await agent.get('/clients').expect(303);
    }
  });

  it('asks for both fields when one is empty', async () => {
    const agent = request.agent(work.app);
    const _csrf = await tokenFor(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf, email: admin.email, password: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain(messages.loginRequired);
  });

  it('sends anonymous visitors to the login page, remembering where they were going', async () => {
    for (const path of ['/clients', '/invoices/new', '/payments', '/items', SETTINGS]) {
      const res = await request(work.app).get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location, path).to.equal(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('never redirects off-site after login', async () => {
    const agent = request.agent(work.app);
    const _csrf = await tokenFor(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf, email: admin.email, password: admin.password, next: '//evil.test/x' });
    expect(res.headers.location).to.equal('/');
  });

  it('answers 403 to a signed-in non-admin on the QuickBooks settings page, and hides the nav link', async () => {
    const agent = request.agent(work.app);
    await signIn(agent, staff.email, staff.password);
    const res = await agent.get(SETTINGS);
    expect(res.status).to.equal(403);
    expect(res.text).to.contain(messages.forbidden);
    const clients = await agent.get('/clients').expect(200);
    expect(clients.text).not.to.contain('id="nav-quickbooks"');
  });

  it('lets an admin open the QuickBooks settings page from the nav', async () => {
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    const clients = await agent.get('/clients').expect(200);
    expect(clients.text).to.contain(`<a href="${SETTINGS}" id="nav-quickbooks">`);
    const res = await agent.get(SETTINGS).expect(200);
    expect(res.text).to.contain('QuickBooks Online');
    expect(res.text).to.contain('Acme Field Co');
  });

  it('signs out, after which pages need a login again', async () => {
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    const _csrf = await tokenFor(agent, '/clients');
    const out = await agent.post('/logout').type('form').send({ _csrf }).expect(303);
    expect(out.headers.location).to.equal('/login');
    const login = await agent.get('/login').expect(200);
    expect(login.text).to.contain(messages.signedOut);
    await agent.get('/clients').expect(303);
    // The old token died with the old session.
    await agent.post('/clients').type('form').send({ _csrf, companyName: 'After logout' }).expect(403);
  });

  it('refuses a form with a missing or wrong CSRF token and saves nothing', async () => {
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    const good = await tokenFor(agent, '/clients/new');
    for (const token of [undefined, 'wrong-token', `${good}x`]) {
      const body: Record<string, string> = { companyName: 'Sneaky Co' };
      if (token !== undefined) body._csrf = token;
      const res = await agent.post('/clients').type('form').send(body);
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('This form has expired or did not come from this site.');
    }
    expect(await countRows(knex, 'clients')).to.equal(0);
    // The same form with the session's token goes through, so the refusals above were about the token.
    await agent.post('/clients').type('form').send({ _csrf: good, companyName: 'Sneaky Co' }).expect(303);
    expect(await countRows(knex, 'clients')).to.equal(1);
  });

  it('refuses the login form without a CSRF token, and a token from another session', async () => {
    const other = request.agent(work.app);
    const foreignToken = await tokenFor(other, '/login');
    const agent = request.agent(work.app);
    await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ email: admin.email, password: admin.password }).expect(403);
    await agent.post('/login').type('form').send({ _csrf: foreignToken, email: admin.email, password: admin.password }).expect(403);
  });

  it('gives a new session and CSRF token at sign-in', async () => {
    const agent = request.agent(work.app);
    const before = csrfFrom((await agent.get('/login')).text);
    await agent.post('/login').type('form').send({ _csrf: before, email: admin.email, password: admin.password }).expect(303);
    const after = await tokenFor(agent, '/clients');
    expect(after).not.to.equal(before);
  });

  it('answers 404 with a page for unknown paths of signed-in users', async () => {
    const agent = request.agent(work.app);
    await signIn(agent, admin.email, admin.password);
    const res = await agent.get('/no-such-page').expect(404);
    expect(res.text).to.contain(messages.notFound);
  });
});
