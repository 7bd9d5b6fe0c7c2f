import { expect } from 'chai';
import { hashPassword } from '../../dev/host/auth/passwords';
import { CONNECTION_TEXTS } from '../../plugin/messages';
import { apiStatus, asHtml, connectCompany, connectionRow, revokeAtSandbox, settingsPage, signInWith, storedToken } from '../integration/connect-sandbox-support';
import { syncNow, useSyncWorld } from '../integration/sync-support';
import { endState, expectComplete, linked, prng, RECORDS, seedData, seededAccount, seedFrom } from './resilience-support';

describe('resilience: the refresh token revoked in the middle of a run', function () {
  this.timeout(240_000);
  const suite = useSyncWorld();

  it('pauses the account (needs reconnect, the banner) with nothing lost; after reconnecting through OAuth the next run completes with nothing lost or duplicated', async () => {
    const { world } = suite;
    const seed = seedFrom('REVOKE_SEED');
    const random = prng(seed);
    const clean = await seededAccount(world, 'Res Revoke Clean');
    await syncNow(world, clean.accountId, 'continuous');
    const expected = await endState(world, clean);
    expectComplete(expected, 'the clean run');

    // An account whose admin connected it through the OAuth flow (so its refresh token is the sandbox's own).
    const [row] = await world.knex('accounts').insert({ name: 'Res Revoke Account' }).returning('id');
    const accountId = String((row as { id: string | number }).id);
    await world.knex('users').insert({ account_id: accountId, email: 'admin@revoke.res.test', name: 'Revoke Admin', password_hash: await hashPassword('revoke-secret-1'), is_admin: true });
    const companyName = 'Res Revoke Company Books';
    const realmId = world.sandbox.control.createCompany({ companyName, country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false, seed: true }).realmId;
    const browser = await signInWith(world, 'admin@revoke.res.test', 'revoke-secret-1');
    // The admin picks the company on Intuit's consent page (this world approves on its own otherwise).
    world.sandbox.control.setAutoApprove(false);
    expect((await connectCompany(world, browser, companyName)).notice).to.equal('connected');
    const account = { accountId, realmId };
    await seedData(world, account);

    // The run starts; at a seeded point of it (mid-onboarding or mid-push) the company's admin revokes the app.
    world.sandbox.control.setLatency(20);
    const target = 20 + Math.floor(random() * (RECORDS - 60));
    const running = world.work.plugin.sync.sync(accountId, { kind: 'continuous' });
    let settled = false;
    void running.finally(() => (settled = true));
    while (!settled && (await linked(world, accountId)) < target) await new Promise((r) => setTimeout(r, 3));
    const connection = await connectionRow(world, accountId);
    const refresh = storedToken(connection!, 'refresh');
    const access = storedToken(connection!, 'access');
    await revokeAtSandbox(world, refresh);
    const revokedAt = await linked(world, accountId);
    const first = await running;
    world.sandbox.control.setLatency(0);
    const context = `seed ${seed}: revoked at ${revokedAt} of ${RECORDS} linked; the run: ${JSON.stringify(first)}`;
    expect(settled || revokedAt < RECORDS, `${context}: the revoke landed mid-run`).to.equal(true);
    expect(revokedAt, context).to.be.lessThan(RECORDS);
    expect(await apiStatus(world, realmId, access), 'the old access token is dead').to.equal(401);

    // Paused: needs reconnect, the banner, and no run until reconnected.
    expect(first.status, context).to.be.oneOf(['failed', 'finished']);
    // The run stopped rather than failing each remaining record with a misleading reason.
    const firstRunId = 'run' in first ? first.run.id : '';
    const failedInRun = await world.knex('qbo_sync_log').where({ account_id: accountId, run_id: firstRunId, outcome: 'failed' }).select('entity', 'reason_code');
    expect(failedInRun, `${context}: records failed by the revoke`).to.deep.equal([]);
    const paused = await connectionRow(world, accountId);
    expect(paused, context).to.include({ status: 'needs_reconnect', needs_reconnect_reason: 'invalid_grant' });
    expect(await world.work.plugin.isPaused(accountId)).to.equal(true);
    const page = await settingsPage(world, browser);
    expect(page.text).to.contain('id="connection-banner"').and.contain(asHtml(CONNECTION_TEXTS.needsReconnectBanner));
    expect((await world.work.plugin.sync.sync(accountId, { kind: 'continuous' })).status).to.equal('needs_reconnect');
    // Nothing lost while paused: Work's records are all there, nothing was marked done without reaching QuickBooks.
    expect(await world.knex('invoices').where({ account_id: accountId }).count('* as n').first()).to.deep.equal({ n: '90' });
    const doneWithoutMapping = await world
      .knex('qbo_outbox as o')
      .leftJoin('qbo_mappings as m', function () {
        this.on('m.account_id', 'o.account_id').andOn('m.entity', 'o.entity').andOn('m.work_id', 'o.record_id');
      })
      .where({ 'o.account_id': accountId, 'o.status': 'done' })
      .whereIn('o.entity', ['invoice', 'payment'])
      .whereNull('m.id')
      .select('o.entity', 'o.record_id');
    expect(doneWithoutMapping, `${context}: outbox rows done that never reached QuickBooks`).to.deep.equal([]);

    // Reconnect through Intuit's consent page, then the next run completes.
    expect((await connectCompany(world, browser, companyName)).notice).to.equal('reconnected');
    expect(await connectionRow(world, accountId)).to.include({ status: 'connected', needs_reconnect_reason: null });
    const next = await world.work.plugin.sync.sync(accountId, { kind: 'continuous' });
    expect(next.status, `${context}; next: ${JSON.stringify(next)}`).to.equal('finished');

    const actual = await endState(world, account);
    expectComplete(actual, context);
    expect(actual, context).to.deep.equal(expected);
    if (process.env.RESILIENCE_DEBUG) process.stderr.write(`${context}\n`);
  });
});
