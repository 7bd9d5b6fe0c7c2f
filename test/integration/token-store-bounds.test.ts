import crypto from 'node:crypto';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import pino from 'pino';
import { TokenCipher } from '../../plugin/crypto/token-cipher';
import { ConnectionRepository, type ConnectionRow } from '../../plugin/persistence/connection-repository';
import { migratePlugin } from '../../plugin/persistence/migrate';
import { OAuthStateRepository } from '../../plugin/persistence/oauth-state-repository';
import type { CompanyReader } from '../../plugin/qbo/company-reader';
import { ConnectionService } from '../../plugin/qbo/oauth/connection-service';
import { ConnectionBusyError, TokenEndpointUnavailableError } from '../../plugin/qbo/oauth/errors';
import { IntuitOAuthGateway } from '../../plugin/qbo/oauth/intuit-oauth-gateway';
import { encryptTokens, TokenStore, tokenContext } from '../../plugin/qbo/token-store';
import { startFakeOAuthServer, type FakeOAuthServer } from '../support/oauth-fake-server';
import { createScratchDatabase } from '../support/test-database';

const cipher = new TokenCipher({ keys: new Map([['k1', crypto.randomBytes(32)]]), currentKeyId: 'k1' });
const REALM = '9130350000000001';
const logger = pino({ level: 'silent' });

/** Resolves when `check` holds, polling; fails the test after `limitMs` (a bound, not a timing assertion). */
async function until(check: () => boolean | Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Issue 14, defects 4 and 5, with the strict fake OAuth server (a rotated refresh token dies at once; it can
 * hold refresh and revoke answers like a hung Intuit) and real PostgreSQL row locks.
 */
describe('token refresh and disconnect under a hung Intuit (issue 14, defects 4 and 5)', () => {
  let db: { knex: Knex; url: string };
  let fake: FakeOAuthServer;
  let release: () => void;
  const pools: Knex[] = [];

  const gateway = (requestTimeoutMs?: number) =>
    new IntuitOAuthGateway({
      environment: 'sandbox',
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri: 'http://127.0.0.1/callback',
      endpoints: fake.endpoints,
      clock: () => new Date(),
      ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    });
  /** A worker process: its own pool, its own token store. */
  const worker = (refreshTimeoutMs: number, requestTimeoutMs?: number): TokenStore => {
    const pool = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 2 } });
    pools.push(pool);
    return new TokenStore({ knex: pool, connections: new ConnectionRepository(pool), cipher, oauth: gateway(requestTimeoutMs), logger, clock: () => new Date(), refreshAheadMs: 300_000, refreshTimeoutMs });
  };
  const service = (requestTimeoutMs: number, lockWaitMs?: number) =>
    new ConnectionService({
      knex: db.knex,
      connections: new ConnectionRepository(db.knex),
      states: new OAuthStateRepository(db.knex),
      oauth: gateway(requestTimeoutMs),
      companies: {} as CompanyReader, // disconnect reads no company
      cipher,
      logger,
      clock: () => new Date(),
      stateTtlMs: 600_000,
      ...(lockWaitMs === undefined ? {} : { lockWaitMs }),
    });

  async function seedConnection(accountId: string, realmId: string, accessSeconds: number) {
    const grant = fake.seedGrant(realmId, accessSeconds);
    const now = new Date();
    const tokens = { ...grant, accessTokenExpiresAt: new Date(now.getTime() + accessSeconds * 1000), refreshTokenExpiresAt: new Date(now.getTime() + 100 * 86400_000), refreshTokenHardExpiresAt: null };
    await db.knex.transaction((trx) =>
      new ConnectionRepository(db.knex).saveConnected(trx, {
        accountId,
        realmId,
        company: { companyName: 'Sample Test', country: 'US', offeringSku: 'QuickBooks Online Plus', prefs: {} },
        tokens: encryptTokens(cipher, realmId, tokens),
        now,
      }),
    );
    return grant;
  }
  const rowOf = async () => (await db.knex<ConnectionRow>('qbo_connections').where({ realm_id: REALM }).first())!;
  const storedRefreshToken = async () => cipher.decrypt((await rowOf()).refresh_token_enc!, tokenContext(REALM, 'refresh'));
  /** Whether another transaction can lock the row right now (NOWAIT fails at once if it is held). */
  const rowIsFree = () =>
    db.knex.transaction((trx) => trx('qbo_connections').where({ realm_id: REALM }).forUpdate().noWait().first()).then(
      () => true,
      () => false,
    );
  const lockWaiters = async () =>
    Number((await db.knex.raw<{ rows: { n: string }[] }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0]?.n ?? 0);

  before(async () => {
    db = await createScratchDatabase();
    await migratePlugin(db.knex);
  });
  beforeEach(async () => {
    fake = await startFakeOAuthServer();
    await db.knex('qbo_connections').del();
  });
  afterEach(async () => {
    release?.();
    await fake.close();
  });
  after(async () => {
    await Promise.all(pools.map((k) => k.destroy()));
  });

  describe('defect 4: a refresh that times out is cancelled or finished, never abandoned', () => {
    it('keeps the lock past its caller\'s timeout, stores the late answer, and the next worker uses it: one refresh, still connected', async () => {
      const seeded = await seedConnection('acct-1', REALM, 60);
      fake.holdRefreshes = new Promise((resolve) => (release = resolve));
      const impatient = worker(200);
      const patient = worker(10_000);

      const gaveUp = await impatient.getAccessToken(REALM).then(() => null, (e: unknown) => e);
      expect(gaveUp).to.be.instanceOf(TokenEndpointUnavailableError);
      // A second worker needs a token while the first refresh is still at Intuit.
      const second = patient.getAccessToken(REALM);
      await until(async () => (await lockWaiters()) >= 1 || fake.refreshesInFlight >= 2, 'the second worker to wait on the lock or to refresh');
      release();
      const token = await second;

      expect(fake.maxRefreshesInFlight, 'refreshes of one grant in flight at once').to.equal(1);
      expect(fake.refreshCalls).to.equal(1);
      expect(token).not.to.equal(seeded.accessToken);
      expect(fake.issuedTokens).to.include(token);
      expect((await rowOf()).status).to.equal('connected');
      expect(await storedRefreshToken()).to.equal(fake.currentRefreshToken(REALM));
    });

    it('aborts the refresh call itself at the gateway\'s bound and then releases the lock, changing nothing', async () => {
      await seedConnection('acct-1', REALM, 60);
      const before = await rowOf();
      fake.holdRefreshes = new Promise((resolve) => (release = resolve));

      const error = await worker(10_000, 300).getAccessToken(REALM).then(() => null, (e: unknown) => e);

      expect(error).to.be.instanceOf(TokenEndpointUnavailableError);
      expect((error as Error).message).to.match(/no answer within 300 ms/);
      await until(() => fake.abandonedRefreshes === 1, 'Intuit to see the refresh call hung up');
      expect(await rowIsFree()).to.equal(true);
      expect(await rowOf()).to.deep.equal(before);
    });
  });

  describe('defect 5: no network call under the row lock, timeouts on Intuit calls, typed lock errors', () => {
    it('disconnect does not hold the row lock while Intuit\'s revoke hangs, gives up after the timeout, and stays connected', async () => {
      await seedConnection('acct-1', REALM, 60);
      fake.holdRevokes = new Promise((resolve) => (release = resolve));

      const disconnecting = service(500).disconnect('acct-1');
      await until(() => fake.revokeCalls === 1, 'the revoke to reach Intuit');
      // Meanwhile the realm's refreshes go on: the row is not locked by the hung revoke.
      expect(await rowIsFree()).to.equal(true);
      const token = await worker(2_000).getAccessToken(REALM);
      expect(fake.issuedTokens).to.include(token);

      expect(await disconnecting).to.equal('disconnect_unreachable');
      expect((await rowOf()).status).to.equal('connected');
    });

    it('bounds the code exchange and the revoke too: a hung Intuit is given up on with a clear error', async () => {
      fake.holdExchanges = new Promise((resolve) => (release = resolve));
      fake.holdRevokes = fake.holdExchanges;
      const hung = gateway(300);
      const authorize = await fetch(hung.authorizeUrl('s'), { redirect: 'manual' });
      const location = new URL(authorize.headers.get('location') ?? '');
      const exchange = await hung.exchangeCode(location.searchParams.get('code') ?? '', location.searchParams.get('realmId') ?? '').then(() => null, (e: unknown) => e);
      const revoke = await hung.revoke('rt-anything').then(() => null, (e: unknown) => e);
      for (const error of [exchange, revoke]) {
        expect(error).to.be.instanceOf(TokenEndpointUnavailableError);
        expect((error as Error).message).to.match(/no answer within 300 ms/);
      }
      expect([fake.exchangeCalls, fake.revokeCalls]).to.deep.equal([1, 1]);
    });

    it('a refresh that cannot get the connection\'s lock fails with a typed, explained error and changes nothing', async function () {
      this.timeout(30_000);
      await seedConnection('acct-1', REALM, 60);
      const before = await rowOf();
      let unlock: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (unlock = resolve));
      let locked: () => void = () => undefined;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = db.knex.transaction(async (trx) => {
        await trx('qbo_connections').where({ realm_id: REALM }).forUpdate().first();
        locked();
        await held;
      });
      await lockTaken;
      try {
        const error = await worker(300).getAccessToken(REALM).then(() => null, (e: unknown) => e);
        expect(error).to.be.instanceOf(ConnectionBusyError);
        expect((error as Error).message).to.match(/busy/).and.match(/nothing was changed/);
        expect(fake.refreshCalls).to.equal(0);
      } finally {
        unlock();
        await holder;
      }
      expect(await rowOf()).to.deep.equal(before);
    });

    it('a disconnect that cannot get the connection\'s lock tells the admin it is busy and changes nothing', async function () {
      this.timeout(30_000);
      await seedConnection('acct-1', REALM, 60);
      let unlock: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (unlock = resolve));
      let locked: () => void = () => undefined;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = db.knex.transaction(async (trx) => {
        await trx('qbo_connections').where({ realm_id: REALM }).forUpdate().first();
        locked();
        await held;
      });
      await lockTaken;
      const outcome = await Promise.race([
        service(2_000, 300).disconnect('acct-1'),
        new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 10 s'), 10_000)),
      ]);
      unlock();
      await holder;
      expect(outcome).to.equal('connection_busy');
      expect(fake.revokeCalls, 'nothing revoked').to.equal(0);
      expect((await rowOf()).status).to.equal('connected');
    });
  });
});
