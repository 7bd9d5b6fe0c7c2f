import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Knex } from 'knex';
import cron from 'node-cron';
import pino from 'pino';
import { TokenCipher } from '../../plugin/crypto/token-cipher';
import { TokenKeepAliveJob } from '../../plugin/jobs/token-keepalive';
import { ConnectionRepository, type ConnectionRow } from '../../plugin/persistence/connection-repository';
import { migratePlugin } from '../../plugin/persistence/migrate';
import { IntuitOAuthGateway } from '../../plugin/qbo/oauth/intuit-oauth-gateway';
import { encryptTokens, TokenStore, tokenContext } from '../../plugin/qbo/token-store';
import { startFakeOAuthServer, type FakeOAuthServer } from '../support/oauth-fake-server';
import { createScratchDatabase } from '../support/test-database';

const DAY = 86_400_000;
const cipher = new TokenCipher({ keys: new Map([['k1', crypto.randomBytes(32)]]), currentKeyId: 'k1' });

describe('token keep-alive job (the 100-day rolling refresh token never lapses)', () => {
  let knex: Knex;
  let fake: FakeOAuthServer;
  let job: TokenKeepAliveJob;
  const log: string[] = [];

  async function seed(accountId: string, realmId: string, lastRefreshedDaysAgo: number) {
    const grant = fake.seedGrant(realmId, 3600);
    const now = new Date();
    await knex.transaction((trx) =>
      new ConnectionRepository(knex).saveConnected(trx, {
        accountId,
        realmId,
        company: { companyName: `Co ${accountId}`, country: 'US', offeringSku: 'QuickBooks Online Plus', prefs: {} },
        tokens: encryptTokens(cipher, realmId, {
          ...grant,
          accessTokenExpiresAt: new Date(now.getTime() + 3600_000),
          refreshTokenExpiresAt: new Date(now.getTime() + 100 * DAY),
          refreshTokenHardExpiresAt: null,
        }),
        now,
      }),
    );
    await knex('qbo_connections').where({ realm_id: realmId }).update({ last_refreshed_at: new Date(now.getTime() - lastRefreshedDaysAgo * DAY) });
    return grant;
  }
  const rowOf = async (realmId: string) => (await knex<ConnectionRow>('qbo_connections').where({ realm_id: realmId }).first())!;

  before(async () => {
    ({ knex } = await createScratchDatabase());
    await migratePlugin(knex);
  });
  beforeEach(async () => {
    fake = await startFakeOAuthServer();
    await knex('qbo_connections').del();
    log.length = 0;
    const logger = pino({ level: 'trace' }, new Writable({ write(c: Buffer, _e, cb) { log.push(c.toString()); cb(); } }));
    const connections = new ConnectionRepository(knex);
    const oauth = new IntuitOAuthGateway({ environment: 'sandbox', clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri: 'http://127.0.0.1/cb', endpoints: fake.endpoints, clock: () => new Date() });
    const tokens = new TokenStore({ knex, connections, cipher, oauth, logger, clock: () => new Date(), refreshAheadMs: 300_000 });
    job = new TokenKeepAliveJob({ connections, tokens, logger, clock: () => new Date(), idleMs: 7 * DAY, schedule: '0 3 * * *' });
  });
  afterEach(async () => {
    await job.stop();
    await fake.close();
    const all = log.join('');
    for (const t of fake.issuedTokens) expect(all).not.to.contain(t);
  });

  it('refreshes only connections idle for longer than the limit, and stores the rotated token', async () => {
    const idle = await seed('A', '101', 20);
    await seed('B', '202', 1);
    expect(await job.runOnce()).to.equal(1);
    expect(fake.refreshCalls).to.equal(1);
    const refreshed = await rowOf('101');
    expect(cipher.decrypt(refreshed.refresh_token_enc!, tokenContext('101', 'refresh'))).to.equal(fake.currentRefreshToken('101'));
    expect(fake.currentRefreshToken('101')).not.to.equal(idle.refreshToken);
    expect(refreshed.last_refreshed_at!.getTime()).to.be.closeTo(Date.now(), 5000);
    expect(await job.runOnce()).to.equal(0); // nothing idle any more
    expect(fake.refreshCalls).to.equal(1);
  });

  it('keeps going when one connection fails; that one is marked needs_reconnect', async () => {
    await seed('A', '101', 20);
    await seed('B', '202', 30);
    fake.failRefreshWith = 'invalid_grant';
    expect(await job.runOnce()).to.equal(0);
    expect(fake.refreshCalls).to.equal(2);
    expect((await rowOf('101')).status).to.equal('needs_reconnect');
    expect((await rowOf('202')).status).to.equal('needs_reconnect');
  });

  it('is scheduled by start() and unscheduled by stop()', async () => {
    job.start();
    expect(job.isScheduled).to.equal(true);
    expect([...cron.getTasks().values()].some((t) => t.name === 'qbo-token-keepalive')).to.equal(true);
    await job.stop();
    expect(job.isScheduled).to.equal(false);
    expect([...cron.getTasks().values()].some((t) => t.name === 'qbo-token-keepalive')).to.equal(false);
  });
});
