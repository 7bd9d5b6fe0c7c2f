import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import pino from 'pino';
import sinon from 'sinon';
import { TokenCipher } from '../../plugin/crypto/token-cipher';
import { ConnectionRepository, type ConnectionRow } from '../../plugin/persistence/connection-repository';
import { migratePlugin } from '../../plugin/persistence/migrate';
import { ConnectionUnusableError, TokenEndpointUnavailableError } from '../../plugin/qbo/oauth/errors';
import { IntuitOAuthGateway } from '../../plugin/qbo/oauth/intuit-oauth-gateway';
import { encryptTokens, TokenStore, tokenContext } from '../../plugin/qbo/token-store';
import { closedPortUrl, startFakeOAuthServer, type FakeOAuthServer } from '../support/oauth-fake-server';
import { createScratchDatabase } from '../support/test-database';

const cipher = new TokenCipher({ keys: new Map([['k1', crypto.randomBytes(32)]]), currentKeyId: 'k1' });
const REALM = '9130350000000001';
const OTHER_REALM = '9130350000000002';

describe('TokenStore on PostgreSQL (single-flight refresh, rotation, invalid_grant)', () => {
  let db: { knex: Knex; url: string };
  let fake: FakeOAuthServer;
  const extraPools: Knex[] = [];
  const logLines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write(chunk: Buffer, _e, cb) { logLines.push(chunk.toString()); cb(); } }));

  function storeFor(knex: Knex, tokenUrl = fake.endpoints.tokenUrl, refreshTimeoutMs = 60_000): TokenStore {
    const oauth = new IntuitOAuthGateway({
      environment: 'sandbox',
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri: 'http://127.0.0.1/callback',
      endpoints: { ...fake.endpoints, tokenUrl },
      clock: () => new Date(),
    });
    return new TokenStore({ knex, connections: new ConnectionRepository(knex), cipher, oauth, logger, clock: () => new Date(), refreshAheadMs: 300_000, refreshTimeoutMs });
  }

  /** A connected realm whose access token expires in `accessSeconds` (under 300 s means "needs a refresh"). */
  async function seedConnection(accountId: string, realmId: string, accessSeconds: number) {
    const grant = fake.seedGrant(realmId, accessSeconds);
    const now = new Date();
    const tokens = {
      ...grant,
      accessTokenExpiresAt: new Date(now.getTime() + accessSeconds * 1000),
      refreshTokenExpiresAt: new Date(now.getTime() + 100 * 86400_000),
      refreshTokenHardExpiresAt: null,
    };
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

  const rowOf = async (realmId: string) => (await db.knex<ConnectionRow>('qbo_connections').where({ realm_id: realmId }).first())!;
  const storedRefreshToken = async (realmId: string) => cipher.decrypt((await rowOf(realmId)).refresh_token_enc!, tokenContext(realmId, 'refresh'));

  before(async () => {
    db = await createScratchDatabase();
    await migratePlugin(db.knex);
  });
  beforeEach(async () => {
    fake = await startFakeOAuthServer();
    logLines.length = 0;
    await db.knex('qbo_connections').del();
  });
  afterEach(async () => {
    await fake.close();
    // Whatever a test did, no token may have reached the log.
    const log = logLines.join('');
    for (const t of fake.issuedTokens) expect(log).not.to.contain(t);
  });
  after(async () => {
    await Promise.all(extraPools.map((k) => k.destroy()));
  });

  it('eight concurrent workers that all need a refresh cause exactly one refresh, and all get the new token', async () => {
    const seeded = await seedConnection('acct-1', REALM, 60);
    fake.refreshDelayMs = 150; // keep the first refresh in flight while the others arrive
    // Eight workers, each with its own connection pool: as separate processes would be.
    const workers = Array.from({ length: 8 }, () => {
      const pool = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 2 } });
      extraPools.push(pool);
      return storeFor(pool);
    });
    const tokens = await Promise.all(workers.map((w) => w.getAccessToken(REALM)));

    expect(fake.refreshCalls).to.equal(1);
    expect(new Set(tokens).size).to.equal(1);
    expect(tokens[0]).not.to.equal(seeded.accessToken);
    expect(fake.issuedTokens).to.include(tokens[0]);
    expect(await storedRefreshToken(REALM)).to.equal(fake.currentRefreshToken(REALM));
    const row = await rowOf(REALM);
    expect(row.status).to.equal('connected');
    expect(row.access_token_expires_at!.getTime()).to.be.greaterThan(Date.now() + 3000_000);
  });

  it('answers a still-fresh token from the database without calling Intuit', async () => {
    const seeded = await seedConnection('acct-1', REALM, 3600);
    expect(await storeFor(db.knex).getAccessToken(REALM)).to.equal(seeded.accessToken);
    expect(fake.refreshCalls).to.equal(0);
  });

  it('stores (commits) the rotated refresh token before the new access token is handed out', async () => {
    await seedConnection('acct-1', REALM, 60);
    const accessToken = await storeFor(db.knex).getAccessToken(REALM);
    // Read through a different connection: only committed data is visible there.
    const other = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
    extraPools.push(other);
    const row = (await other<ConnectionRow>('qbo_connections').where({ realm_id: REALM }).first())!;
    expect(cipher.decrypt(row.access_token_enc!, tokenContext(REALM, 'access'))).to.equal(accessToken);
    expect(cipher.decrypt(row.refresh_token_enc!, tokenContext(REALM, 'refresh'))).to.equal(fake.currentRefreshToken(REALM));
    expect(row.refresh_token_enc).not.to.contain(fake.currentRefreshToken(REALM)!);
  });

  it('survives a crash right after storing: a fresh process refreshes with the stored, rotated token', async () => {
    const seeded = await seedConnection('acct-1', REALM, 60);
    await storeFor(db.knex).getAccessToken(REALM); // process A refreshes, then "crashes": its memory is gone
    // Make the stored access token stale again so process B must refresh with what A stored.
    await db.knex('qbo_connections').where({ realm_id: REALM }).update({ access_token_expires_at: new Date(Date.now() + 10_000) });
    const fresh = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 2 } });
    extraPools.push(fresh);
    const token = await storeFor(fresh).getAccessToken(REALM);
    expect(fake.refreshCalls).to.equal(2);
    expect(fake.issuedTokens).to.include(token);
    expect((await rowOf(REALM)).status).to.equal('connected');
    expect(fake.currentRefreshToken(REALM)).not.to.equal(seeded.refreshToken);
  });

  it('never hands out a new access token whose rotated refresh token could not be stored', async () => {
    await seedConnection('acct-1', REALM, 60);
    const before = await rowOf(REALM);
    sinon.stub(ConnectionRepository.prototype, 'saveRefreshedTokens').rejects(new Error('database went away'));
    const error = await storeFor(db.knex).getAccessToken(REALM).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).to.equal('database went away');
    expect(fake.refreshCalls).to.equal(1);
    const after = await rowOf(REALM);
    expect(after.access_token_enc).to.equal(before.access_token_enc);
    expect(after.refresh_token_enc).to.equal(before.refresh_token_enc);
  });

  it('marks the connection needs_reconnect on invalid_grant, keeps its tokens, and touches no other connection', async () => {
    await seedConnection('acct-1', REALM, 60);
    await seedConnection('acct-2', OTHER_REALM, 60);
    const before = await rowOf(REALM);
    const otherBefore = await rowOf(OTHER_REALM);
    fake.failRefreshWith = 'invalid_grant';
    const store = storeFor(db.knex);
    const error = await store.getAccessToken(REALM).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(ConnectionUnusableError);
    expect((error as ConnectionUnusableError).reason).to.equal('needs_reconnect');
    for (const t of fake.issuedTokens) expect((error as Error).message).not.to.contain(t);

    const after = await rowOf(REALM);
    expect(after.status).to.equal('needs_reconnect');
    expect(after.needs_reconnect_reason).to.equal('invalid_grant');
    expect(after.access_token_enc).to.equal(before.access_token_enc);
    expect(after.refresh_token_enc).to.equal(before.refresh_token_enc);
    expect(after.company_name).to.equal(before.company_name);
    expect(await rowOf(OTHER_REALM)).to.deep.equal(otherBefore);
    const repo = new ConnectionRepository(db.knex);
    expect(await repo.isPaused('acct-1')).to.equal(true);
    expect(await repo.isPaused('acct-2')).to.equal(false);

    // Paused: later callers are refused at once, without hammering Intuit with a dead token.
    await store.getAccessToken(REALM).then(() => expect.fail('should refuse'), (e: unknown) => expect(e).to.be.instanceOf(ConnectionUnusableError));
    expect(fake.refreshCalls).to.equal(1);
  });

  it('leaves the connection exactly as it was when the token endpoint is unreachable', async function () {
    this.timeout(30_000); // intuit-oauth retries a refused connection three times (1 s, 2 s, 4 s)
    await seedConnection('acct-1', REALM, 60);
    const before = await rowOf(REALM);
    const error = await storeFor(db.knex, await closedPortUrl('/oauth2/v1/tokens/bearer'))
      .getAccessToken(REALM)
      .then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(TokenEndpointUnavailableError);
    expect((error as Error).message).to.match(/ECONNREFUSED/);
    expect(await rowOf(REALM)).to.deep.equal(before);
  });

  it('stops waiting for a slow token endpoint after its timeout, but stores the late answer instead of dropping it', async () => {
    await seedConnection('acct-1', REALM, 60);
    const before = await rowOf(REALM);
    let release: () => void = () => undefined;
    fake.holdRefreshes = new Promise((resolve) => (release = resolve));
    const error = await storeFor(db.knex, fake.endpoints.tokenUrl, 300).getAccessToken(REALM).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(TokenEndpointUnavailableError);
    expect((error as Error).message).to.match(/no answer within 300 ms/);
    expect(await rowOf(REALM)).to.deep.equal(before);
    // The refresh still holds the row: NOWAIT fails while Intuit's answer is outstanding.
    const busy = await db.knex.transaction((trx) => trx('qbo_connections').where({ realm_id: REALM }).forUpdate().noWait().first()).then(() => null, (e: Error) => e);
    expect(busy?.message).to.match(/could not obtain lock/);
    release();
    // The late answer is stored: a fresh store reads the rotated pair without refreshing again.
    const token = await storeFor(db.knex).getAccessToken(REALM);
    expect(fake.refreshCalls).to.equal(1);
    expect(fake.issuedTokens).to.include(token);
    expect(await storedRefreshToken(REALM)).to.equal(fake.currentRefreshToken(REALM));
  });

  it('after a 401, refreshes once; a worker that was rejected after someone else refreshed just gets the new token', async () => {
    const seeded = await seedConnection('acct-1', REALM, 3600);
    const store = storeFor(db.knex);
    const renewed = await store.refreshAfterRejection(REALM, seeded.accessToken);
    expect(renewed).not.to.equal(seeded.accessToken);
    expect(fake.refreshCalls).to.equal(1);
    // A second worker still holding the old token reports the same 401: no second refresh.
    expect(await store.refreshAfterRejection(REALM, seeded.accessToken)).to.equal(renewed);
    expect(fake.refreshCalls).to.equal(1);
  });

  it('asks for and records the refresh token\'s hard expiry', async () => {
    await seedConnection('acct-1', REALM, 60);
    await storeFor(db.knex).getAccessToken(REALM);
    expect(fake.hardExpiryRequested).to.deep.equal([true]);
    const hard = (await rowOf(REALM)).refresh_token_hard_expires_at;
    expect(hard).to.be.instanceOf(Date);
    expect(hard!.getTime()).to.be.closeTo(Date.now() + 157680000 * 1000, 60_000);
  });

  it('refuses a realm that is not connected', async () => {
    const error = await storeFor(db.knex).getAccessToken('404').then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(ConnectionUnusableError);
    expect((error as ConnectionUnusableError).reason).to.equal('not_connected');
  });
});
