import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import axios from 'axios';
import { expect } from 'chai';
import type { Knex } from 'knex';
import cron from 'node-cron';
import pino from 'pino';
import request from 'supertest';
import { register, type PluginHandle, type PluginOptions } from '../../plugin/index';
import { CONNECT_NOTICES, CONNECTION_TEXTS } from '../../plugin/messages';
import type { ConnectionRow } from '../../plugin/persistence/connection-repository';
import { closedPortUrl, startFakeOAuthServer, type FakeOAuthServer } from '../support/oauth-fake-server';
import { asAdmin, createTestHost } from '../support/test-host';
import { createScratchDatabase } from '../support/test-database';

const MOUNT = '/settings/integrations/quickbooks';
const REALM = '9130350000000001';
const REALM_2 = '9130350000000002';
const KEY = crypto.randomBytes(32).toString('base64');
/** A text as ejs prints it with <%= %>. */
const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
const PLUS = { companyName: 'Sample Test', country: 'US', offeringSku: 'QuickBooks Online Plus' };

/** One plugin inside the test host, its fake Intuit, its log and a movable clock. */
interface Harness {
  plugin: PluginHandle;
  agent: ReturnType<typeof request.agent>;
  fake: FakeOAuthServer;
  log: string[];
  now: { offsetMs: number };
}

describe('connect / callback / disconnect through the settings page', () => {
  let knex: Knex;
  let harness: Harness;
  const handles: PluginHandle[] = [];
  const fakes: FakeOAuthServer[] = [];

  async function setup(overrides: Partial<PluginOptions> = {}): Promise<Harness> {
    const fake = await startFakeOAuthServer();
    fakes.push(fake);
    fake.companies.set(REALM, PLUS);
    fake.companies.set(REALM_2, { ...PLUS, companyName: 'Second Company' });
    const { app, host } = createTestHost(knex);
    const log: string[] = [];
    const now = { offsetMs: 0 };
    const plugin = register(
      host,
      {
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
        redirectUri: `http://127.0.0.1${MOUNT}/callback`,
        ...fake.endpoints,
        tokenEncryptionKeys: { k1: KEY },
        tokenEncryptionKeyId: 'k1',
        syncJobs: false,
        ...overrides,
      },
      {
        logger: pino({ level: 'trace' }, new Writable({ write(chunk: Buffer, _e, cb) { log.push(chunk.toString()); cb(); } })),
        clock: () => new Date(Date.now() + now.offsetMs),
      },
    );
    handles.push(plugin);
    await plugin.start();
    return { plugin, agent: request.agent(app), fake, log, now };
  }

  const row = async (accountId: string) => (await knex<ConnectionRow>('qbo_connections').where({ account_id: accountId }).first()) ?? null;

  async function csrfOf(agent: Harness['agent'], accountId: string): Promise<string> {
    const page = await agent.get(`${MOUNT}/`).set(asAdmin(accountId)).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error('settings page has no CSRF token');
    return token;
  }

  /** Click "Connect", let (fake) Intuit answer, and return the callback path Intuit redirects back to. */
  async function startAndSignIn(h: Harness, accountId: string): Promise<string> {
    const csrf = await csrfOf(h.agent, accountId);
    const started = await h.agent.post(`${MOUNT}/connect`).set(asAdmin(accountId)).type('form').send({ _csrf: csrf }).expect(303);
    const atIntuit = await axios.get(started.headers['location'] as string, { maxRedirects: 0, validateStatus: () => true });
    const back = new URL(atIntuit.headers['location'] as string);
    return `${back.pathname}${back.search}`;
  }

  async function connect(h: Harness, accountId: string): Promise<string> {
    const res = await h.agent.get(await startAndSignIn(h, accountId)).set(asAdmin(accountId)).expect(303);
    return res.headers['location'] as string;
  }

  async function pageText(h: Harness, accountId: string, location?: string): Promise<string> {
    return (await h.agent.get(location ?? `${MOUNT}/`).set(asAdmin(accountId)).expect(200)).text;
  }

  function expectNoTokens(h: Harness, ...texts: string[]): void {
    const all = [...texts, ...h.log].join('\n');
    for (const t of h.fake.issuedTokens) expect(all).not.to.contain(t);
    expect(all).not.to.contain(h.fake.clientSecret);
  }

  before(async () => {
    ({ knex } = await createScratchDatabase());
  });
  beforeEach(async () => {
    harness = await setup();
    await knex.raw('TRUNCATE qbo_connections, qbo_oauth_states, qbo_mappings RESTART IDENTITY');
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((p) => p.stop()));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  it('connects: authorize URL with the accounting scope, state checked, company stored with encrypted tokens', async () => {
    const csrf = await csrfOf(harness.agent, 'A');
    const started = await harness.agent.post(`${MOUNT}/connect`).set(asAdmin('A')).type('form').send({ _csrf: csrf }).expect(303);
    const authorize = new URL(started.headers['location'] as string);
    expect(`${authorize.origin}${authorize.pathname}`).to.equal(harness.fake.endpoints.authorizeUrl);
    expect(authorize.searchParams.get('scope')).to.equal('com.intuit.quickbooks.accounting');
    expect(authorize.searchParams.get('client_id')).to.equal(harness.fake.clientId);
    expect(authorize.searchParams.get('state')).to.match(/^[A-Za-z0-9_-]{43}$/);
    const states = await knex('qbo_oauth_states').select('*');
    expect(states).to.have.length(1);
    expect(JSON.stringify(states)).not.to.contain(authorize.searchParams.get('state'));

    const atIntuit = await axios.get(authorize.toString(), { maxRedirects: 0, validateStatus: () => true });
    const back = new URL(atIntuit.headers['location'] as string);
    const done = await harness.agent.get(`${back.pathname}${back.search}`).set(asAdmin('A')).expect(303);
    expect(done.headers['location']).to.equal(`${MOUNT}/?notice=connected`);

    const stored = (await row('A'))!;
    expect(stored).to.include({ realm_id: REALM, status: 'connected', company_name: 'Sample Test', country: 'US', offering_sku: 'QuickBooks Online Plus', key_id: 'k1' });
    expect(stored.access_token_expires_at!.getTime()).to.be.greaterThan(Date.now() + 3000_000);
    expect(stored.refresh_token_hard_expires_at).to.be.instanceOf(Date);
    expect(stored.company_prefs).to.deep.include({ usingSalesTax: true, homeCurrency: 'USD' });
    expect(JSON.stringify(stored)).to.satisfy((s: string) => harness.fake.issuedTokens.every((t) => !s.includes(t)));
    expect(await harness.plugin.tokens.getAccessToken(REALM)).to.equal(harness.fake.issuedTokens[0]);
    expect(await harness.plugin.isPaused('A')).to.equal(false);

    const page = await pageText(harness, 'A', done.headers['location'] as string);
    expect(page).to.contain(html(CONNECT_NOTICES.connected.text));
    expect(page).to.contain('Sample Test').and.contain(CONNECTION_TEXTS.status.connected);
    expectNoTokens(harness, page);
  });

  it('refuses a POST to /connect without the page\'s CSRF token, creating no state', async () => {
    await csrfOf(harness.agent, 'A');
    const res = await harness.agent.post(`${MOUNT}/connect`).set(asAdmin('A')).type('form').send({ _csrf: 'forged' }).expect(303);
    expect(res.headers['location']).to.equal(`${MOUNT}/?notice=csrf_failed`);
    // A token of account A's page does not work for account B in the same browser.
    const csrfA = await csrfOf(harness.agent, 'A');
    await harness.agent.post(`${MOUNT}/connect`).set(asAdmin('B')).type('form').send({ _csrf: csrfA }).expect(303, /csrf_failed/);
    expect(await knex('qbo_oauth_states').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
    expect(await pageText(harness, 'A', res.headers['location'] as string)).to.contain(html(CONNECT_NOTICES.csrf_failed.text));
  });

  it('shows "You cancelled…" when the admin denies access at Intuit, and the existing connection stays as it was', async () => {
    await connect(harness, 'A');
    const before = await row('A');
    harness.fake.authorizeAs = { error: 'access_denied' };
    const res = await harness.agent.get(await startAndSignIn(harness, 'A')).set(asAdmin('A')).expect(303);
    expect(res.headers['location']).to.equal(`${MOUNT}/?notice=access_denied`);
    expect(await pageText(harness, 'A', res.headers['location'] as string)).to.contain('You cancelled the connection');
    expect(await row('A')).to.deep.equal(before);
  });

  it('refuses an unknown state, a replayed callback, an expired state and a state from another session or account', async () => {
    await connect(harness, 'A');
    const before = await row('A');
    const outcome = async (path: string, accountId = 'A', agent = harness.agent) =>
      (await agent.get(path).set(asAdmin(accountId)).expect(303)).headers['location'] as string;

    expect(await outcome(`${MOUNT}/callback?state=made-up&code=x&realmId=${REALM}`)).to.match(/notice=state_unknown$/);
    expect(await outcome(`${MOUNT}/callback?code=x&realmId=${REALM}`)).to.match(/notice=state_unknown$/);

    const replay = await startAndSignIn(harness, 'A');
    expect(await outcome(replay)).to.match(/notice=reconnected$/);
    const afterFirst = await row('A');
    expect(await outcome(replay)).to.match(/notice=state_used$/);
    expect(await row('A')).to.deep.equal(afterFirst);

    const late = await startAndSignIn(harness, 'A');
    harness.now.offsetMs = 11 * 60_000; // the state lives 10 minutes
    expect(await outcome(late)).to.match(/notice=state_expired$/);
    harness.now.offsetMs = 0;

    const stolen = await startAndSignIn(harness, 'A');
    const otherBrowser = request.agent((harness.agent as unknown as { app: Parameters<typeof request.agent>[0] }).app);
    expect(await outcome(stolen, 'A', otherBrowser)).to.match(/notice=state_other_session$/);
    const crossAccount = await startAndSignIn(harness, 'A');
    expect(await outcome(crossAccount, 'B')).to.match(/notice=state_other_session$/);
    expect(await row('B')).to.equal(null);
    expect((await row('A'))!.access_token_enc).to.equal(afterFirst!.access_token_enc);
    expect(before!.id).to.equal(afterFirst!.id);
    // The last outcome is shown once (post/redirect/get), and the URL alone shows nothing.
    expect(await pageText(harness, 'A', `${MOUNT}/?notice=state_other_session`)).to.contain(html(CONNECT_NOTICES.state_other_session.text));
    expect(await pageText(harness, 'A', `${MOUNT}/?notice=state_other_session`)).not.to.contain(html(CONNECT_NOTICES.state_other_session.text));
  });

  it('refuses a callback without a code or with a malformed company id, exchanging nothing', async () => {
    const path = await startAndSignIn(harness, 'A');
    const noCode = path.replace(/code=[^&]+&?/, '');
    expect((await harness.agent.get(noCode).set(asAdmin('A')).expect(303)).headers['location']).to.match(/notice=missing_code$/);
    const badRealm = (await startAndSignIn(harness, 'A')).replace(/realmId=\d+/, 'realmId=..%2F..%2Fevil');
    expect((await harness.agent.get(badRealm).set(asAdmin('A')).expect(303)).headers['location']).to.match(/notice=bad_realm$/);
    expect(harness.fake.exchangeCalls).to.equal(0);
    expect(await row('A')).to.equal(null);
  });

  it('says QuickBooks could not be reached when the token endpoint is down, and keeps the connection', async function () {
    this.timeout(30_000); // intuit-oauth retries a refused connection three times (1 s, 2 s, 4 s)
    await connect(harness, 'A');
    const before = await row('A');
    const down = await setup({ ...harness.fake.endpoints, tokenUrl: await closedPortUrl('/oauth2/v1/tokens/bearer') });
    down.fake.companies.set(REALM, PLUS);
    const path = await startAndSignIn(down, 'A');
    const res = await down.agent.get(path).set(asAdmin('A')).expect(303);
    expect(res.headers['location']).to.match(/notice=token_unreachable$/);
    expect(await pageText(down, 'A', res.headers['location'] as string)).to.contain(html(CONNECT_NOTICES.token_unreachable.text));
    expect(await row('A')).to.deep.equal(before);
  });

  for (const [label, company, notice] of [
    ['QuickBooks Self-Employed', { ...PLUS, offeringSku: 'QuickBooks Self-Employed' }, 'self_employed'],
    ['an unknown plan', { ...PLUS, offeringSku: 'QuickBooks Online Ledger' }, 'unsupported_sku'],
    ['a company without OfferingSku', { ...PLUS, offeringSku: null }, 'company_unreadable'],
    ['an unreadable CompanyInfo', 'unreadable', 'company_unreadable'],
  ] as const) {
    it(`refuses ${label} with a clear message and revokes the tokens just issued`, async () => {
      harness.fake.companies.set(REALM, company);
      const location = await connect(harness, 'A');
      expect(location).to.equal(`${MOUNT}/?notice=${notice}`);
      expect(await row('A')).to.equal(null);
      expect(harness.fake.exchangeCalls).to.equal(1);
      expect(harness.fake.issuedTokens.every((t) => harness.fake.isRevoked(t))).to.equal(true);
      const page = await pageText(harness, 'A', location);
      expect(page).to.contain(html(CONNECT_NOTICES[notice].text));
      expectNoTokens(harness, page);
    });
  }

  it('says QuickBooks could not be reached when the company details cannot be fetched, revoking the new tokens', async () => {
    const down = await setup({ apiBaseUrl: await closedPortUrl('') });
    const location = await connect(down, 'A');
    expect(location).to.equal(`${MOUNT}/?notice=company_unreachable`);
    expect(down.fake.issuedTokens.length).to.be.greaterThan(0);
    expect(down.fake.issuedTokens.every((t) => down.fake.isRevoked(t))).to.equal(true);
    expect(await row('A')).to.equal(null);
    expect(await pageText(down, 'A', location)).to.contain(html(CONNECT_NOTICES.company_unreachable.text));
  });

  it('keeps a live connection untouched, at Intuit too, when reconnecting the same company fails', async () => {
    await connect(harness, 'A');
    const before = await row('A');
    harness.fake.companies.set(REALM, 'unreadable');
    expect(await connect(harness, 'A')).to.match(/notice=company_unreadable$/);
    expect(await row('A')).to.deep.equal(before);
    expect(harness.fake.revokedTokens).to.deep.equal([]); // a revoke could end the existing grant as well
    expect(await harness.plugin.tokens.getAccessToken(REALM)).to.equal(harness.fake.issuedTokens[0]);
  });

  it('refuses a company already linked to another Work account, before any token is issued', async () => {
    await connect(harness, 'A');
    const before = await row('A');
    const location = await connect(harness, 'B');
    expect(location).to.match(/notice=realm_taken$/);
    expect(harness.fake.exchangeCalls).to.equal(1); // only A's
    expect(await row('B')).to.equal(null);
    expect(await row('A')).to.deep.equal(before);
    expect(await pageText(harness, 'B', location)).to.contain(html(CONNECT_NOTICES.realm_taken.text));
  });

  it('refuses a second company for an account that has mappings; the message names the reset', async () => {
    await connect(harness, 'A');
    await knex('qbo_mappings').insert({ account_id: 'A', realm_id: REALM, entity: 'client', work_id: '1', qbo_id: '58' });
    const before = await row('A');
    harness.fake.authorizeAs = { realmId: REALM_2 };
    const location = await connect(harness, 'A');
    expect(location).to.match(/notice=mappings_exist$/);
    expect(await row('A')).to.deep.equal(before);
    expect(await pageText(harness, 'A', location)).to.contain('Reset mappings');
  });

  it('disconnects: revokes at Intuit, forgets the tokens, keeps mappings; reconnecting the same company reuses the row', async () => {
    await connect(harness, 'A');
    await knex('qbo_mappings').insert({ account_id: 'A', realm_id: REALM, entity: 'client', work_id: '1', qbo_id: '58' });
    const connected = (await row('A'))!;
    const refreshToken = harness.fake.currentRefreshToken(REALM)!;
    const csrf = await csrfOf(harness.agent, 'A');

    const forged = await harness.agent.post(`${MOUNT}/disconnect`).set(asAdmin('A')).type('form').send({}).expect(303);
    expect(forged.headers['location']).to.match(/notice=csrf_failed$/);
    expect((await row('A'))!.status).to.equal('connected');

    const res = await harness.agent.post(`${MOUNT}/disconnect`).set(asAdmin('A')).type('form').send({ _csrf: csrf }).expect(303);
    expect(res.headers['location']).to.match(/notice=disconnected$/);
    expect(harness.fake.isRevoked(refreshToken)).to.equal(true);
    const gone = (await row('A'))!;
    expect(gone).to.include({ status: 'disconnected', access_token_enc: null, refresh_token_enc: null, realm_id: REALM });
    expect(await harness.plugin.isPaused('A')).to.equal(true);
    expect(await knex('qbo_mappings').where({ account_id: 'A' })).to.have.length(1);
    expect(await pageText(harness, 'A', res.headers['location'] as string)).to.contain(html(CONNECT_NOTICES.disconnected.text));

    expect(await connect(harness, 'A')).to.match(/notice=reconnected$/);
    const again = (await row('A'))!;
    expect(again.id).to.equal(connected.id);
    expect(again.status).to.equal('connected');
    expect(await knex('qbo_mappings').where({ account_id: 'A' })).to.have.length(1);
  });

  it('keeps the connection when Intuit cannot be reached to revoke it', async () => {
    await connect(harness, 'A');
    const before = await row('A');
    const down = await setup({ ...harness.fake.endpoints, revokeUrl: await closedPortUrl('/v2/oauth2/tokens/revoke') });
    const csrf = await csrfOf(down.agent, 'A');
    const res = await down.agent.post(`${MOUNT}/disconnect`).set(asAdmin('A')).type('form').send({ _csrf: csrf }).expect(303);
    expect(res.headers['location']).to.match(/notice=disconnect_unreachable$/);
    expect(await row('A')).to.deep.equal(before);
  });

  it('disconnects a connection that needs a reconnect even when Intuit cannot be reached (its grant is already dead)', async () => {
    await connect(harness, 'A');
    await knex('qbo_connections').where({ account_id: 'A' }).update({ status: 'needs_reconnect', needs_reconnect_reason: 'invalid_grant' });
    const down = await setup({ ...harness.fake.endpoints, revokeUrl: await closedPortUrl('/v2/oauth2/tokens/revoke') });
    const csrf = await csrfOf(down.agent, 'A');
    const res = await down.agent.post(`${MOUNT}/disconnect`).set(asAdmin('A')).type('form').send({ _csrf: csrf }).expect(303);
    expect(res.headers['location']).to.match(/notice=disconnected$/);
    expect(await row('A')).to.include({ status: 'disconnected', refresh_token_enc: null, needs_reconnect_reason: null });
  });

  it('switches to another company when the account has no mappings, reusing its row', async () => {
    await connect(harness, 'A');
    const first = (await row('A'))!;
    harness.fake.authorizeAs = { realmId: REALM_2 };
    expect(await connect(harness, 'A')).to.match(/notice=connected$/);
    const second = (await row('A'))!;
    expect(second).to.include({ id: first.id, realm_id: REALM_2, company_name: 'Second Company', status: 'connected' });
  });

  it('shows the reconnect banner after invalid_grant, and reconnecting resumes the queue', async () => {
    await connect(harness, 'A');
    await knex('qbo_connections').where({ account_id: 'A' }).update({ access_token_expires_at: new Date(Date.now() + 1000) });
    harness.fake.failRefreshWith = 'invalid_grant';
    await harness.plugin.tokens.getAccessToken(REALM).then(() => expect.fail('should need a reconnect'), () => undefined);
    expect(await harness.plugin.isPaused('A')).to.equal(true);
    const page = await pageText(harness, 'A');
    expect(page).to.contain(html(CONNECTION_TEXTS.needsReconnectBanner));
    expect(page).to.contain(CONNECTION_TEXTS.reconnectButton);
    expectNoTokens(harness, page);

    harness.fake.failRefreshWith = null;
    expect(await connect(harness, 'A')).to.match(/notice=reconnected$/);
    expect(await harness.plugin.isPaused('A')).to.equal(false);
    expect((await row('A'))!.needs_reconnect_reason).to.equal(null);
  });

  it('warns when the refresh token\'s 5-year limit is within 30 days', async () => {
    await connect(harness, 'A');
    expect(await pageText(harness, 'A')).not.to.contain('every five years');
    await knex('qbo_connections').where({ account_id: 'A' }).update({ refresh_token_hard_expires_at: new Date('2026-12-10T00:00:00Z') });
    harness.now.offsetMs = new Date('2026-11-20T00:00:00Z').getTime() - Date.now();
    const page = await pageText(harness, 'A');
    expect(page).to.contain('every five years').and.contain('December 10, 2026');
  });

  it('escapes company names on the page', async () => {
    harness.fake.companies.set(REALM, { ...PLUS, companyName: '<script>alert(1)</script> & Sons' });
    await connect(harness, 'A');
    const page = await pageText(harness, 'A');
    expect(page).not.to.contain('<script>alert(1)</script>');
    expect(page).to.contain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons');
  });

  it('lets only admins in, and each admin sees only their own account', async () => {
    await connect(harness, 'A');
    await harness.agent.get(`${MOUNT}/`).expect(401);
    await harness.agent.get(`${MOUNT}/`).set({ 'x-test-account': 'A:A', 'x-test-role': 'member' }).expect(403);
    await harness.agent.post(`${MOUNT}/disconnect`).set({ 'x-test-account': 'A:A', 'x-test-role': 'member' }).expect(403);
    const pageB = await pageText(harness, 'B');
    expect(pageB).to.contain(CONNECTION_TEXTS.notConnected).and.not.contain('Sample Test');
    const csrfB = await csrfOf(harness.agent, 'B');
    const res = await harness.agent.post(`${MOUNT}/disconnect`).set(asAdmin('B')).type('form').send({ _csrf: csrfB }).expect(303);
    expect(res.headers['location']).to.match(/notice=not_connected$/);
    expect((await row('A'))!.status).to.equal('connected');
  });

  it('ignores notice codes it does not know (no text can be injected through the URL)', async () => {
    const page = await pageText(harness, 'A', `${MOUNT}/?notice=%3Cb%3Ehi%3C%2Fb%3E`);
    expect(page).not.to.contain('id="notice"');
    expect(page).not.to.contain('<b>hi</b>');
  });

  it('start() schedules the token keep-alive and stop() removes it (twice is safe)', async () => {
    const scheduled = () => [...cron.getTasks().values()].filter((t) => t.name === 'qbo-token-keepalive').length;
    expect(scheduled()).to.equal(1);
    await harness.plugin.stop();
    await harness.plugin.stop();
    expect(scheduled()).to.equal(0);
  });
});
