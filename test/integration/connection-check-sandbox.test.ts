/**
 * The settings page never says "Connected" to a company QuickBooks no longer serves: a sandbox restarted
 * from scratch (its companies and grants forgotten, as `npm start` did on every restart) or a grant revoked
 * behind the plugin's back is found when the page is opened, and the page says "Needs reconnect".
 */
import { expect } from 'chai';
import { startSandbox } from '../../dev/qbo-sandbox/server';
import { CONNECTION_TEXTS } from '../../plugin/messages';
import {
  asHtml,
  type Browser,
  CLIENT_ID,
  CLIENT_SECRET,
  connectCompany,
  connectionRow,
  resetPluginTables,
  revokeAtSandbox,
  settingsPage,
  signIn,
  startWorld,
  type World,
} from './connect-sandbox-support';

const TWO_MINUTES = 120_000;

describe('settings page checks a "connected" connection with QuickBooks before saying so', () => {
  let world: World;
  let browser: Browser;
  let realmId: string;

  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());
  beforeEach(async () => {
    await resetPluginTables(world.knex);
    browser = await signIn(world, 'northwind');
    realmId = world.companies.usPlus.realmId;
    expect((await connectCompany(world, browser, world.companies.usPlus.companyName)).notice).to.equal('connected');
  });
  afterEach(() => {
    expect(world.errors, 'unexpected errors in the stand-in').to.deep.equal([]);
  });

  it('still says "Connected" while QuickBooks answers for the company', async () => {
    world.sandbox.clock.advance(TWO_MINUTES);
    const page = await settingsPage(world, browser);
    expect(page.text).to.contain(CONNECTION_TEXTS.status.connected).and.not.contain('id="connection-banner"');
    const reads = world.sandbox.control.requests({ realmId }).filter((r) => r.path.endsWith(`/companyinfo/${realmId}`));
    expect(reads.map((r) => r.status)).to.deep.equal([200, 200]);
    expect((await connectionRow(world, world.accounts.northwind))?.status).to.equal('connected');
  });

  it('says "Needs reconnect" when the grant was revoked behind the plugin\'s back', async () => {
    await revokeAtSandbox(world, await world.work.plugin.tokens.getAccessToken(realmId));
    world.sandbox.clock.advance(TWO_MINUTES);
    const page = await settingsPage(world, browser);
    expect(page.text).to.contain(CONNECTION_TEXTS.status.needs_reconnect).and.contain(asHtml(CONNECTION_TEXTS.needsReconnectBanner));
    expect(page.text).to.contain(CONNECTION_TEXTS.reconnectButton);
    expect(await connectionRow(world, world.accounts.northwind)).to.include({ status: 'needs_reconnect', needs_reconnect_reason: 'invalid_grant' });
    expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(true);
  });

  it('says "Needs reconnect" after the sandbox restarts from scratch and no longer knows the company or its tokens', async () => {
    const port = Number(new URL(world.sandbox.baseUrl).port);
    world.sandbox.clock.advance(TWO_MINUTES);
    await world.sandbox.close();
    const fresh = await startSandbox({ port, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: world.pluginOptions.redirectUri });
    try {
      const page = await settingsPage(world, browser);
      expect(page.text).to.contain(CONNECTION_TEXTS.status.needs_reconnect).and.not.contain(`>${CONNECTION_TEXTS.status.connected}<`);
      const row = await connectionRow(world, world.accounts.northwind);
      expect(row?.status).to.equal('needs_reconnect');
      expect(fresh.control.oauthCalls().map((c) => `${c.grantType} ${c.status} ${c.error}`)).to.deep.equal(['refresh_token 400 invalid_grant']);
    } finally {
      await fresh.close();
      // The world's own sandbox is closed; a new world for any later test.
      await world.close();
      world = await startWorld();
    }
  });
});
