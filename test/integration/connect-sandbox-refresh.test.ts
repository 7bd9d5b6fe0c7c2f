import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createWorkApp, type WorkApp } from '../../dev/host/app';
import { CONNECT_NOTICES, CONNECTION_TEXTS } from '../../plugin/messages';
import { ConnectionUnusableError } from '../../plugin/qbo/oauth/errors';
import {
  apiStatus,
  asHtml,
  type Browser,
  connectCompany,
  connectionRow,
  expectNoSecretsLeaked,
  refreshAtSandbox,
  resetPluginTables,
  revokeAtSandbox,
  separatePool,
  settingsPage,
  signIn,
  startWorld,
  storedToken,
  type World,
} from './connect-sandbox-support';

const WORKERS = 8;
const HOUR_MS = 3_600_000;
/** The sandbox's grace period for a used refresh token is 60 s; a little more is surely past it. */
const PAST_GRACE_MS = 61_000;

describe('token refresh against the QBO sandbox: eight workers, rotation, invalid_grant', () => {
  let world: World;
  let browsers: Browser[];
  let realmId: string;
  /** Errors the plugin threw at the tests: their messages and stacks must hold no token either. */
  let thrown: unknown[];

  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());
  beforeEach(async () => {
    await resetPluginTables(world.knex);
    world.sandbox.control.clearOAuthCalls();
    browsers = [];
    thrown = [];
    const browser = await signIn(world, 'northwind');
    browsers.push(browser);
    realmId = world.companies.usPlus.realmId;
    expect((await connectCompany(world, browser, world.companies.usPlus.companyName)).notice).to.equal('connected');
  });
  afterEach(async () => {
    expect(world.errors, 'unexpected errors in the stand-in').to.deep.equal([]);
    const errorTexts = thrown.map((e) => `${String(e)}\n${e instanceof Error ? (e.stack ?? '') : ''}\n${JSON.stringify(e)}`);
    expect(await expectNoSecretsLeaked(world, browsers, errorTexts)).to.be.greaterThan(0);
  });

  /** Eight "processes": a Work app each, its own plugin instance and its own knex pool on the same database. */
  async function startWorkers(): Promise<{ apps: WorkApp[]; pools: Knex[]; stop(): Promise<void> }> {
    const pools = Array.from({ length: WORKERS }, (_, i) => separatePool(world, `qbo-worker-${i + 1}`));
    const apps: WorkApp[] = [];
    for (const knex of pools) {
      apps.push(await createWorkApp({ knex, sessionSecret: crypto.randomBytes(16).toString('hex'), pluginOptions: world.pluginOptions, pluginRuntime: { logger: world.logger, clock: world.pluginClock } }));
    }
    return {
      apps,
      pools,
      async stop() {
        await Promise.all(apps.map((a) => a.plugin.stop()));
        await Promise.all(pools.map((p) => p.destroy()));
      },
    };
  }

  async function workersWaitingOnLock(): Promise<number> {
    const { rows } = await world.knex.raw<{ rows: { n: string }[] }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'qbo-worker-%' AND wait_event_type = 'Lock'`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  it('eight workers that all need a refresh cause exactly one refresh call; all get the same working token; the old refresh token dies after the grace period', async () => {
    const workers = await startWorkers();
    try {
      const before = (await connectionRow(world, world.accounts.northwind))!;
      const oldAccess = storedToken(before, 'access');
      const oldRefresh = storedToken(before, 'refresh');
      world.sandbox.control.clearOAuthCalls();

      // One hour later (sandbox and plugin share the clock) the access token is dead at the sandbox too.
      world.sandbox.clock.advance(HOUR_MS);
      expect(await apiStatus(world, realmId, oldAccess)).to.equal(401);

      // Hold the row so that all eight see a stale token and queue on the row lock before anyone refreshes.
      const blocker = await world.knex.transaction();
      let results: Promise<string[]>;
      try {
        await blocker('qbo_connections').where({ realm_id: realmId }).forUpdate().first('id');
        results = Promise.all(workers.apps.map((app) => app.plugin.tokens.getAccessToken(realmId)));
        const deadline = Date.now() + 10_000;
        while ((await workersWaitingOnLock()) < WORKERS) {
          if (Date.now() > deadline) throw new Error(`only ${await workersWaitingOnLock()} of ${WORKERS} workers reached the row lock`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      } finally {
        await blocker.commit();
      }
      const tokens = await results;

      expect(world.sandbox.control.oauthCallCounts()).to.deep.equal({ authorization_code: 0, refresh_token: 1, revoke: 0, other: 0 });
      expect(world.sandbox.control.oauthCalls().map((c) => c.status)).to.deep.equal([200]);
      expect(new Set(tokens).size, 'every worker got the same token').to.equal(1);
      const [fresh] = tokens;
      expect(fresh).to.be.a('string').and.not.equal(oldAccess);
      expect(await apiStatus(world, realmId, fresh ?? '')).to.equal(200);
      const after = (await connectionRow(world, world.accounts.northwind))!;
      expect(storedToken(after, 'access')).to.equal(fresh);
      const newRefresh = storedToken(after, 'refresh');
      expect(newRefresh).not.to.equal(oldRefresh);
      expect(after.access_token_expires_at!.getTime()).to.be.greaterThan(world.sandbox.clock.nowMs() + HOUR_MS - 60_000);

      // Past the grace period the old refresh token is dead; the stored new one keeps working.
      world.sandbox.clock.advance(PAST_GRACE_MS);
      expect(await refreshAtSandbox(world, oldRefresh)).to.deep.equal({ status: 400, error: 'invalid_grant' });
      world.sandbox.clock.advance(HOUR_MS);
      world.sandbox.control.clearOAuthCalls();
      // Without a pre-held lock this time: eight workers racing freely still refresh once.
      const raced = await Promise.all(workers.apps.map((app) => app.plugin.tokens.getAccessToken(realmId)));
      expect(world.sandbox.control.oauthCalls().map((c) => `${c.grantType} ${c.status}`)).to.deep.equal(['refresh_token 200']);
      expect(new Set(raced).size).to.equal(1);
      expect(raced[0]).not.to.equal(fresh);
      expect(await apiStatus(world, realmId, raced[0] ?? '')).to.equal(200);
      expect(storedToken((await connectionRow(world, world.accounts.northwind))!, 'refresh')).not.to.equal(newRefresh);
      expect(await world.work.plugin.isPaused(world.accounts.northwind)).to.equal(false);
    } finally {
      await workers.stop();
    }
  });

  it('invalid_grant from the sandbox (grant revoked behind the plugin\'s back) marks "needs reconnect", pauses the account and shows the banner; reconnecting clears it', async () => {
    const accountId = world.accounts.northwind;
    const browser = browsers[0]!;
    const access = await world.work.plugin.tokens.getAccessToken(realmId);
    await revokeAtSandbox(world, access);
    expect(await apiStatus(world, realmId, access)).to.equal(401);
    world.sandbox.control.clearOAuthCalls();

    world.sandbox.clock.advance(HOUR_MS);
    const refused = await world.work.plugin.tokens.getAccessToken(realmId).then(
      () => null,
      (error: unknown) => error,
    );
    thrown.push(refused);
    expect(refused).to.be.instanceOf(ConnectionUnusableError);
    expect((refused as ConnectionUnusableError).reason).to.equal('needs_reconnect');
    expect(world.sandbox.control.oauthCalls().map((c) => `${c.grantType} ${c.status} ${c.error}`)).to.deep.equal(['refresh_token 400 invalid_grant']);
    const paused = (await connectionRow(world, accountId))!;
    expect(paused).to.include({ status: 'needs_reconnect', needs_reconnect_reason: 'invalid_grant' });
    expect(await world.work.plugin.isPaused(accountId)).to.equal(true);
    // Another call does not hammer Intuit with the dead token: the connection is already paused.
    await world.work.plugin.tokens.getAccessToken(realmId).catch((error: unknown) => thrown.push(error));
    expect(thrown).to.have.length(2);
    expect(world.sandbox.control.oauthCallCounts().refresh_token).to.equal(1);

    const page = await settingsPage(world, browser);
    expect(page.text).to.contain('id="connection-banner"').and.contain(asHtml(CONNECTION_TEXTS.needsReconnectBanner));
    expect(page.text).to.contain(CONNECTION_TEXTS.status.needs_reconnect).and.contain(CONNECTION_TEXTS.reconnectButton);

    const again = await connectCompany(world, browser, world.companies.usPlus.companyName);
    expect(again.notice).to.equal('reconnected');
    expect(again.page.text).to.contain(asHtml(CONNECT_NOTICES.reconnected.text));
    expect(again.page.text).not.to.contain('id="connection-banner"');
    const resumed = (await connectionRow(world, accountId))!;
    expect(resumed).to.include({ id: paused.id, status: 'connected', needs_reconnect_reason: null });
    expect(await world.work.plugin.isPaused(accountId)).to.equal(false);
    expect(await apiStatus(world, realmId, await world.work.plugin.tokens.getAccessToken(realmId))).to.equal(200);
  });
});
