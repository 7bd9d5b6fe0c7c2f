import { expect } from 'chai';
import { CONNECT_NOTICES, type NoticeCode } from '../../plugin/messages';
import { TokenEndpointUnavailableError } from '../../plugin/qbo/oauth/errors';
import {
  type Answer,
  apiStatus,
  asHtml,
  type Browser,
  clickConnect,
  connectCompany,
  connectionRow,
  consent,
  refreshAtSandbox,
  resetPluginTables,
  returnToWork,
  settingsPage,
  signIn,
  startWorld,
  parseForm,
  stopSandbox,
  storedToken,
  type World,
  useConnectWorld,
} from './connect-sandbox-support';

/** Shared by both describes: the notice shown, with its text on the settings page. */
function expectNotice(result: { notice: string | null; page: { text: string } }, code: NoticeCode): void {
  expect(result.notice).to.equal(code);
  expect(result.page.text).to.contain(`id="notice">${asHtml(CONNECT_NOTICES[code].text)}</div>`);
}

describe('connect refusals and bad callbacks through the Work stand-in and the QBO sandbox', () => {
  const suite = useConnectWorld();
  let world: World;
  before(() => {
    world = suite.world;
  });
  const admin = (who: 'northwind' | 'bluebird'): Promise<Browser> => suite.admin(who);

  /**
   * Northwind connected to the US company. A connected account's page offers no Connect button, so the
   * admin also has `openTab`: the settings page opened in a second tab before connecting, button included.
   */
  async function northwindConnected(): Promise<{ browser: Browser; openTab: Answer }> {
    const browser = await admin('northwind');
    const openTab = await settingsPage(world, browser);
    expect((await connectCompany(world, browser, world.companies.usPlus.companyName)).notice).to.equal('connected');
    world.sandbox.control.clearOAuthCalls();
    world.sandbox.control.clearRequests();
    return { browser, openTab };
  }

  /** The secrets the sandbox issued for a realm since `before`. */
  const issuedFor = (realmId: string, before: Set<string>) =>
    world.sandbox.control.issuedSecrets().filter((s) => s.realmId === realmId && !before.has(s.value));
  const issuedNow = () => new Set(world.sandbox.control.issuedSecrets().map((s) => s.value));

  describe('companies that cannot be connected', () => {
    it('refuses QuickBooks Self-Employed with the clear message and revokes the tokens it was just given', async () => {
      const browser = await admin('bluebird');
      const before = issuedNow();
      const selfEmployed = world.companies.selfEmployed;
      const result = await connectCompany(world, browser, selfEmployed.companyName);
      expectNotice(result, 'self_employed');
      expect(await connectionRow(world, world.accounts.bluebird)).to.equal(null);
      expect(await world.work.plugin.isPaused(world.accounts.bluebird)).to.equal(true);

      // The plugin exchanged the code, read CompanyInfo, refused, and revoked: the sandbox shows the grant dead.
      expect(world.sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 1, refresh_token: 0, revoke: 1, other: 0 });
      expect(world.sandbox.control.requests({ realmId: selfEmployed.realmId }).map((r) => r.path)).to.include(`/v3/company/${selfEmployed.realmId}/companyinfo/${selfEmployed.realmId}`);
      const issued = issuedFor(selfEmployed.realmId, before);
      const access = issued.find((s) => s.kind === 'access_token')?.value ?? '';
      const refresh = issued.find((s) => s.kind === 'refresh_token')?.value ?? '';
      expect(access).not.to.equal('');
      expect(await apiStatus(world, selfEmployed.realmId, access)).to.equal(401);
      expect(await refreshAtSandbox(world, refresh)).to.deep.equal({ status: 400, error: 'invalid_grant' });
    });

    it('refusing Self-Employed for a connected account leaves its connection exactly as it was and working', async () => {
      const { browser, openTab } = await northwindConnected();
      const row = await connectionRow(world, world.accounts.northwind);
      const { atIntuit } = await clickConnect(world, browser, openTab);
      expectNotice(await returnToWork(world, browser, await consent(atIntuit, browser, { company: world.companies.selfEmployed.companyName })), 'self_employed');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
      expect(world.sandbox.control.oauthCallCounts().revoke).to.equal(1);
      expect(await apiStatus(world, world.companies.usPlus.realmId, storedToken(row!, 'access'))).to.equal(200);
    });

    it('refuses an unknown QuickBooks plan with the clear message and revokes its tokens', async () => {
      const ledger = world.sandbox.control.createCompany({ companyName: 'Ledger Only Co', country: 'US', offeringSku: 'QuickBooks Online Ledger', customTxnNumbers: false });
      const browser = await admin('bluebird');
      const before = issuedNow();
      expectNotice(await connectCompany(world, browser, ledger.companyName), 'unsupported_sku');
      expect(await connectionRow(world, world.accounts.bluebird)).to.equal(null);
      expect(world.sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 1, refresh_token: 0, revoke: 1, other: 0 });
      const access = issuedFor(ledger.realmId, before).find((s) => s.kind === 'access_token')?.value ?? '';
      expect(await apiStatus(world, ledger.realmId, access)).to.equal(401);
    });

    for (const kind of ['503', '500', '429'] as const) {
      it(`a QuickBooks ${kind} while reading the company says "try again later", not "not supported"; the next try connects`, async () => {
        const browser = await admin('bluebird');
        const ca = world.companies.caEssentials;
        world.sandbox.control.armFault({ kind, count: 1, path: '/companyinfo/', realmId: ca.realmId });
        try {
          expectNotice(await connectCompany(world, browser, ca.companyName), 'company_unreachable');
          expect(world.sandbox.control.requests({ realmId: ca.realmId }).map((r) => r.injectedFault)).to.include(kind);
          expect(await connectionRow(world, world.accounts.bluebird)).to.equal(null);
          expect(world.sandbox.control.oauthCallCounts().revoke).to.equal(1);
          expectNotice(await connectCompany(world, browser, ca.companyName), 'connected');
        } finally {
          world.sandbox.control.clearFaults();
        }
      });
    }

    it('refuses a company already linked to another Work account (Bluebird picks Northwind\'s company), exchanging nothing', async () => {
      await northwindConnected();
      const northwindRow = await connectionRow(world, world.accounts.northwind);
      const bluebird = await admin('bluebird');
      const result = await connectCompany(world, bluebird, world.companies.usPlus.companyName);
      expectNotice(result, 'realm_taken');
      expect(await connectionRow(world, world.accounts.bluebird)).to.equal(null);
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(northwindRow);
      expect(world.sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 0, refresh_token: 0, revoke: 0, other: 0 });
      expect(await apiStatus(world, world.companies.usPlus.realmId, storedToken(northwindRow!, 'access'))).to.equal(200);
    });

    it('refuses a second company for an account that has mappings, with the message about reset; nothing changes', async () => {
      const { browser, openTab } = await northwindConnected();
      await world.knex('qbo_mappings').insert({ account_id: world.accounts.northwind, realm_id: world.companies.usPlus.realmId, entity: 'client', work_id: '7', qbo_id: '12' });
      expect(CONNECT_NOTICES.mappings_exist.text).to.contain('Reset mappings');
      // While connected (from the tab still showing Connect)...
      const connectedRow = await connectionRow(world, world.accounts.northwind);
      const fromTab = await clickConnect(world, browser, openTab);
      expectNotice(await returnToWork(world, browser, await consent(fromTab.atIntuit, browser, { company: world.companies.caEssentials.companyName })), 'mappings_exist');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(connectedRow);
      // ...and after disconnecting, from the page's own Connect button.
      const disconnect = parseForm(await settingsPage(world, browser), 'disconnect-form');
      expect(new URL((await browser.post(disconnect.action, disconnect.fields)).location ?? '').searchParams.get('notice')).to.equal('disconnected');
      const disconnectedRow = await connectionRow(world, world.accounts.northwind);
      expectNotice(await connectCompany(world, browser, world.companies.caEssentials.companyName), 'mappings_exist');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(disconnectedRow);
      expect(disconnectedRow).to.include({ realm_id: world.companies.usPlus.realmId, status: 'disconnected' });
      expect(world.sandbox.control.oauthCallCounts().authorization_code).to.equal(0);
      expect(await world.knex('qbo_mappings').count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);
    });
  });

  describe('bad callbacks leave an existing connection exactly as it was', () => {
    it('a wrong state: "not one we started", no code exchanged', async () => {
      const { browser, openTab } = await northwindConnected();
      const row = await connectionRow(world, world.accounts.northwind);
      const { atIntuit } = await clickConnect(world, browser, openTab);
      const callback = new URL(await consent(atIntuit, browser, { company: world.companies.usPlus.companyName }));
      callback.searchParams.set('state', `${callback.searchParams.get('state') ?? ''}x`);
      expectNotice(await returnToWork(world, browser, callback.toString()), 'state_unknown');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
      expect(world.sandbox.control.oauthCallCounts().authorization_code).to.equal(0);
    });

    it('a replayed callback: "already used", after the first one reconnected', async () => {
      const { browser, openTab } = await northwindConnected();
      const { atIntuit } = await clickConnect(world, browser, openTab);
      const callback = await consent(atIntuit, browser, { company: world.companies.usPlus.companyName });
      expectNotice(await returnToWork(world, browser, callback), 'reconnected');
      const row = await connectionRow(world, world.accounts.northwind);
      expectNotice(await returnToWork(world, browser, callback), 'state_used');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
      expect(world.sandbox.control.oauthCallCounts().authorization_code).to.equal(1);
    });

    it('a callback carried to another admin\'s browser: "started in another browser"', async () => {
      const { browser, openTab } = await northwindConnected();
      const row = await connectionRow(world, world.accounts.northwind);
      const { atIntuit } = await clickConnect(world, browser, openTab);
      const callback = await consent(atIntuit, browser, { company: world.companies.caEssentials.companyName });
      const bluebird = await admin('bluebird');
      expectNotice(await returnToWork(world, bluebird, callback), 'state_other_session');
      expect(await connectionRow(world, world.accounts.bluebird)).to.equal(null);
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
      expect(world.sandbox.control.oauthCallCounts().authorization_code).to.equal(0);
    });

    it('a missing code: "without the approval we need"', async () => {
      const { browser, openTab } = await northwindConnected();
      const row = await connectionRow(world, world.accounts.northwind);
      const { atIntuit } = await clickConnect(world, browser, openTab);
      const callback = new URL(await consent(atIntuit, browser, { company: world.companies.usPlus.companyName }));
      callback.searchParams.delete('code');
      expectNotice(await returnToWork(world, browser, callback.toString()), 'missing_code');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
      expect(world.sandbox.control.oauthCallCounts().authorization_code).to.equal(0);
    });

    it('the person clicks Cancel on the consent page: error=access_denied, "You cancelled"', async () => {
      const { browser, openTab } = await northwindConnected();
      const row = await connectionRow(world, world.accounts.northwind);
      const { atIntuit } = await clickConnect(world, browser, openTab);
      const callback = await consent(atIntuit, browser, { cancel: true });
      expect(new URL(callback).searchParams.get('error')).to.equal('access_denied');
      expectNotice(await returnToWork(world, browser, callback), 'access_denied');
      expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
      expect(world.sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 0, refresh_token: 0, revoke: 0, other: 0 });
    });
  });
});

describe('connect when the token endpoint is unreachable (the sandbox stops between consent and callback)', () => {
  let world: World;
  let browser: Browser;

  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  // intuit-oauth retries a refused connection three times (1 s, 2 s, 4 s) before giving up: three times here.
  it('shows "could not reach QuickBooks" and leaves the existing connection exactly as it was; a refresh then fails clearly without pausing; disconnect says it could not', async function () {
    this.timeout(60_000);
    browser = await signIn(world, 'northwind');
    const openTab = await settingsPage(world, browser);
    expect((await connectCompany(world, browser, world.companies.usPlus.companyName)).notice).to.equal('connected');
    const row = await connectionRow(world, world.accounts.northwind);
    const { atIntuit } = await clickConnect(world, browser, openTab);
    const callback = await consent(atIntuit, browser, { company: world.companies.usPlus.companyName });
    const issued = world.sandbox.control.issuedSecrets();
    await stopSandbox(world);

    const result = await returnToWork(world, browser, callback);
    expectNotice(result, 'token_unreachable');
    expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
    expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(false);
    const page = await settingsPage(world, browser);
    expect(page.text).to.contain(asHtml(world.companies.usPlus.companyName));
    expect(world.errors).to.deep.equal([]);
    const everything = [...browser.seen.map((a) => a.text), world.logLines.join('\n')].join('\n');
    for (const secret of issued.filter((s) => s.kind !== 'code')) expect(everything.includes(secret.value)).to.equal(false);
    expect(world.logLines.join('\n')).not.to.contain(world.pluginOptions.clientSecret);

    // A refresh while the token endpoint is down: a clear error that names no token, and the connection is
    // not marked "needs reconnect" (nothing is wrong with the grant).
    world.sandbox.clock.advance(3_600_000);
    const thrown = await world.work.plugin.tokens.getAccessToken(world.companies.usPlus.realmId).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).to.be.instanceOf(TokenEndpointUnavailableError);
    expect((thrown as Error).message).to.match(/^Intuit's token service is unavailable: /);
    expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
    expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(false);
    const errorText = `${String(thrown)}\n${(thrown as Error).stack ?? ''}\n${JSON.stringify(thrown)}`;
    for (const secret of issued) expect(errorText.includes(secret.value)).to.equal(false);

    // Disconnect cannot revoke a live grant while Intuit is unreachable: it says so and stays connected.
    const disconnect = parseForm(await settingsPage(world, browser), 'disconnect-form');
    const answer = await browser.post(disconnect.action, disconnect.fields);
    expectNotice({ notice: new URL(answer.location ?? '').searchParams.get('notice'), page: await settingsPage(world, browser, answer.location ?? '') }, 'disconnect_unreachable');
    expect(await connectionRow(world, world.accounts.northwind)).to.deep.equal(row);
    expect(world.errors).to.deep.equal([]);
    await resetPluginTables(world.knex);
  });
});
