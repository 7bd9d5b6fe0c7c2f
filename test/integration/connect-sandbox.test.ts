import { expect } from 'chai';
import { CONNECT_NOTICES, CONNECTION_TEXTS } from '../../plugin/messages';
import {
  apiStatus,
  asHtml,
  type Browser,
  clickConnect,
  connectCompany,
  connectionRow,
  consent,
  MOUNT,
  parseForm,
  refreshAtSandbox,
  returnToWork,
  settingsPage,
  signInWith,
  storedToken,
  type World,
  useConnectWorld,
} from './connect-sandbox-support';

describe('connect through the Work stand-in to the QBO sandbox (real login, real HTTP, real PostgreSQL)', () => {
  const suite = useConnectWorld();
  let world: World;
  before(() => {
    world = suite.world;
  });
  const admin = (who: 'northwind' | 'bluebird'): Promise<Browser> => suite.admin(who);

  it('connects as an admin: settings page, Connect, the consent page, the callback; stores encrypted tokens and reads CompanyInfo and Preferences', async () => {
    const browser = await admin('northwind');
    const before = await settingsPage(world, browser);
    expect(before.text).to.contain(asHtml(CONNECTION_TEXTS.notConnected));
    const connectForm = parseForm(before, 'connect-form');
    expect(connectForm.buttons.map((b) => b.text)).to.deep.equal([CONNECTION_TEXTS.connectButton]);
    expect(connectForm.fields['_csrf']).to.match(/^[A-Za-z0-9_-]{43}$/);

    const { authorizeUrl, atIntuit } = await clickConnect(world, browser);
    expect(authorizeUrl.pathname).to.equal('/connect/oauth2');
    expect(authorizeUrl.searchParams.get('client_id')).to.equal(world.pluginOptions.clientId);
    expect(authorizeUrl.searchParams.get('scope')).to.equal('com.intuit.quickbooks.accounting');
    expect(authorizeUrl.searchParams.get('redirect_uri')).to.equal(world.pluginOptions.redirectUri);
    expect(atIntuit.text).to.contain(world.companies.caEssentials.companyName);

    // The person picks the Canadian company (not the pre-selected default) and clicks Connect.
    const callbackUrl = await consent(atIntuit, browser, { company: world.companies.caEssentials.companyName });
    const realmId = world.companies.caEssentials.realmId;
    expect(new URL(callbackUrl).searchParams.get('realmId')).to.equal(realmId);
    expect(new URL(callbackUrl).searchParams.get('state')).to.equal(authorizeUrl.searchParams.get('state'));

    const { notice, page } = await returnToWork(world, browser, callbackUrl);
    expect(notice).to.equal('connected');
    expect(page.text).to.contain(asHtml(CONNECT_NOTICES.connected.text));
    expect(page.text).to.contain(`<strong id="company-name">${asHtml(world.companies.caEssentials.companyName)}</strong>`);
    expect(page.text).to.contain(CONNECTION_TEXTS.status.connected).and.contain('CA').and.contain('Essentials');
    expect(page.text).to.contain('id="disconnect-form"');

    const row = await connectionRow(world, world.accounts.northwind);
    expect(row).to.include({ realm_id: realmId, status: 'connected', company_name: world.companies.caEssentials.companyName, country: 'CA', key_id: 'it1' });
    expect(row?.access_token_enc).to.match(/^v1:it1:/);
    expect(row?.refresh_token_enc).to.match(/^v1:it1:/);
    expect(row?.refresh_token_hard_expires_at).to.be.instanceOf(Date);
    // The stored tokens are the ones the sandbox issued for this realm, and they work there.
    const issued = world.sandbox.control.issuedSecrets().filter((s) => s.realmId === realmId);
    // The sandbox saw one code exchange and the two reads.
    expect(world.sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 1, refresh_token: 0, revoke: 0, other: 0 });
    const reads = world.sandbox.control.requests({ realmId }).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(reads).to.deep.equal([`GET /v3/company/${realmId}/companyinfo/${realmId} 200`, `GET /v3/company/${realmId}/preferences 200`]);

    const access = storedToken(row!, 'access');
    expect(issued.map((s) => s.value)).to.include(access).and.include(storedToken(row!, 'refresh'));
    expect(await apiStatus(world, realmId, access)).to.equal(200);
    // No column holds a token in plain text.
    const rowText = JSON.stringify(row);
    for (const secret of issued) expect(rowText).not.to.contain(secret.value);
    expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(false);
    expect(await world.work.plugin.tokens.getAccessToken(realmId)).to.equal(access);
    // The plugin's log is captured (the leak check reads it): the connection was logged, by realm only.
    const connectedLine = world.logLines.find((line) => line.includes('QuickBooks connected'));
    expect(connectedLine).to.be.a('string').and.contain(realmId);
  });

  it('connects with the sandbox auto-approving (no consent page): the default company', async () => {
    world.sandbox.control.setAutoApprove(true);
    try {
      const browser = await admin('bluebird');
      const { atIntuit } = await clickConnect(world, browser);
      expect(atIntuit.status).to.equal(302);
      const { notice, page } = await returnToWork(world, browser, atIntuit.location ?? '');
      expect(notice).to.equal('connected');
      expect(page.text).to.contain(asHtml(world.companies.usPlus.companyName));
      expect(await connectionRow(world, world.accounts.bluebird)).to.include({ realm_id: world.sandbox.defaultRealmId, status: 'connected', offering_sku: 'QuickBooks Online Plus' });
    } finally {
      world.sandbox.control.setAutoApprove(false);
    }
  });

  it('only admins reach the settings page; staff get 403 and nothing starts', async () => {
    const staff = await signInWith(world, 'office@northwind.test', 'northwind-office');
    suite.watch(staff);
    expect((await staff.get(`${world.workUrl}${MOUNT}/`)).status).to.equal(403);
    expect((await staff.post(`${world.workUrl}${MOUNT}/connect`, {})).status).to.equal(403);
    expect(await world.knex('qbo_oauth_states').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '0' }]);
  });

  it('records the 5-year hard expiry the sandbox sent, warns ahead of it on the page, and reconnecting renews it', async () => {
    const browser = await admin('bluebird');
    expect((await connectCompany(world, browser, world.companies.usPlus.companyName)).notice).to.equal('connected');
    const row = (await connectionRow(world, world.accounts.bluebird))!;
    const fiveYearsMs = 5 * 365 * 86_400_000;
    expect(Math.abs(row.refresh_token_hard_expires_at!.getTime() - (world.sandbox.clock.nowMs() + fiveYearsMs))).to.be.lessThan(60_000);
    expect((await settingsPage(world, browser)).text).not.to.contain('id="connection-banner"');

    // 20 days before the hard limit (the default warning is 30 days ahead).
    world.sandbox.clock.advance(fiveYearsMs - 20 * 86_400_000);
    const warned = await settingsPage(world, browser);
    const date = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(row.refresh_token_hard_expires_at!);
    expect(warned.text).to.contain(asHtml(CONNECTION_TEXTS.hardExpiryWarning(date)));
    expect(parseForm(warned, 'connect-form').buttons.map((b) => b.text)).to.deep.equal([CONNECTION_TEXTS.reconnectButton]);

    const renewed = await connectCompany(world, browser, world.companies.usPlus.companyName);
    expect(renewed.notice).to.equal('reconnected');
    expect(renewed.page.text).not.to.contain('id="connection-banner"');
    const after = (await connectionRow(world, world.accounts.bluebird))!;
    expect(after.id).to.equal(row.id);
    expect(after.refresh_token_hard_expires_at!.getTime()).to.be.greaterThan(row.refresh_token_hard_expires_at!.getTime() + fiveYearsMs - 30 * 86_400_000);
  });

  it('disconnects: the sandbox proves the grant is dead, mappings stay; reconnecting the same realm reuses the row and the mappings', async () => {
    const browser = await admin('northwind');
    const realmId = world.companies.usPlus.realmId;
    expect((await connectCompany(world, browser, world.companies.usPlus.companyName)).notice).to.equal('connected');
    const connected = (await connectionRow(world, world.accounts.northwind))!;
    const [mapping] = await world.knex('qbo_mappings')
      .insert({ account_id: world.accounts.northwind, realm_id: realmId, entity: 'client', work_id: '1', qbo_id: '58', qbo_sync_token: '0' })
      .returning('*');
    const oldAccess = storedToken(connected, 'access');
    const oldRefresh = storedToken(connected, 'refresh');
    expect(await apiStatus(world, realmId, oldAccess)).to.equal(200);

    const page = await settingsPage(world, browser);
    const form = parseForm(page, 'disconnect-form');
    const done = await browser.post(form.action, form.fields);
    expect(done.status).to.equal(303);
    expect(new URL(done.location ?? '').searchParams.get('notice')).to.equal('disconnected');
    const after = await settingsPage(world, browser, done.location ?? '');
    expect(after.text).to.contain(asHtml(CONNECT_NOTICES.disconnected.text));
    expect(after.text).to.contain(CONNECTION_TEXTS.status.disconnected);
    expect(after.text).to.contain(asHtml(CONNECTION_TEXTS.disconnectedNote(world.companies.usPlus.companyName)));

    // The sandbox: one revoke, the old access token 401, the old refresh token invalid_grant.
    expect(world.sandbox.control.oauthCallCounts().revoke).to.equal(1);
    expect(await apiStatus(world, realmId, oldAccess)).to.equal(401);
    expect(await refreshAtSandbox(world, oldRefresh)).to.deep.equal({ status: 400, error: 'invalid_grant' });

    const disconnected = (await connectionRow(world, world.accounts.northwind))!;
    expect(disconnected).to.include({ id: connected.id, realm_id: realmId, status: 'disconnected', access_token_enc: null, refresh_token_enc: null });
    expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(true);
    expect(await world.knex('qbo_mappings').where({ id: mapping.id }).first()).to.deep.equal(mapping);

    // Reconnect the same company: the same row, the mapping still linked to it.
    const again = await connectCompany(world, browser, world.companies.usPlus.companyName);
    expect(again.notice).to.equal('reconnected');
    expect(again.page.text).to.contain(asHtml(CONNECT_NOTICES.reconnected.text));
    const reconnected = (await connectionRow(world, world.accounts.northwind))!;
    expect(reconnected).to.include({ id: connected.id, realm_id: realmId, status: 'connected' });
    expect(await world.knex('qbo_mappings').where({ account_id: reconnected.account_id, realm_id: reconnected.realm_id })).to.deep.equal([mapping]);
    expect(await world.knex('qbo_connections').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);
    const newAccess = storedToken(reconnected, 'access');
    expect(newAccess).not.to.equal(oldAccess);
    expect(await apiStatus(world, realmId, newAccess)).to.equal(200);
    expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(false);
  });
});
