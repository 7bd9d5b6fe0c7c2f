import { expect } from 'chai';
import { MOUNT, startWorld, type World } from './connect-sandbox-support';
import { addClient, client, editInQbo, newSyncAccount, qboCustomers, syncNow, workClients, type SyncAccount } from './sync-support';

const VERIFIER = 'unattended-verifier-token-5b2c';

async function until(what: string, done: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) expect.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The stand-in with the plugin's schedules on, as `npm start` runs it: nobody calls a sync, the schedules
 * (drain every 2 s, webhook pulls and the nightly check every second here) do. The plugin's clock is the
 * sandbox's, so moving it moves the nightly schedule.
 */
describe('running unattended: the schedules in the stand-in (sandbox, PostgreSQL, no sync called by the test)', function () {
  this.timeout(90_000);
  let world: World;

  before(async () => {
    world = await startWorld({
      autoApprove: true,
      pluginOptions: { syncJobs: true, webhookVerifierToken: VERIFIER, webhookDebounceSeconds: 0, pullCron: '* * * * * *', nightlyCron: '* * * * * *', nightlyJitterMinutes: 0, nightlyCatchUpHours: 1 },
    });
  });
  after(() => world.close());

  /** An onboarded account whose night is twelve hours away, so only what the test does makes a run. */
  async function account(name: string): Promise<SyncAccount> {
    const a = await newSyncAccount(world, name);
    const farHour = (new Date(world.pluginClock()).getUTCHours() + 12) % 24;
    await world.knex('qbo_settings').insert({ account_id: a.accountId, nightly_sync_time: `${String(farHour).padStart(2, '0')}:00`, nightly_time_zone: 'UTC' });
    await syncNow(world, a.accountId, 'onboarding');
    return a;
  }

  const queueEmpty = (accountId: string) => async () => (await world.knex('qbo_outbox').where({ account_id: accountId }).whereIn('status', ['pending', 'processing']).first('id')) === undefined;

  it('a save in the stand-in reaches the sandbox without anyone pressing anything', async () => {
    const a = await account('Unattended Save');
    const saved = await addClient(world, a.accountId, client('Saved And Sent', { email: 'sent@unattended.test' }));
    await until('the customer in QuickBooks', async () => qboCustomers(world, a.realmId).some((c) => c['DisplayName'] === 'Saved And Sent'));
    // The link is stored just after QuickBooks answers.
    await until('the link stored', async () => (await world.knex('qbo_mappings').where({ account_id: a.accountId, entity: 'client', work_id: saved.id }).first('qbo_id')) !== undefined);
    await world.work.models.clients.update(a.accountId, saved.id, { phone: '555-0199' });
    await until('the update in QuickBooks', async () => {
      const c = qboCustomers(world, a.realmId).find((x) => x['DisplayName'] === 'Saved And Sent');
      return (c?.['PrimaryPhone'] as { FreeFormNumber?: string } | undefined)?.FreeFormNumber === '555-0199';
    });
  });

  it('a forged webhook is refused; a genuine one (signed as the sandbox signs it) brings a QuickBooks change into Work through CDC', async () => {
    const a = await account('Unattended Hook');
    const c = await addClient(world, a.accountId, client('Hooked Client', { email: 'hook@unattended.test' }));
    await until('the client sent', queueEmpty(a.accountId));
    const qboId = ((await world.knex('qbo_mappings').where({ account_id: a.accountId, entity: 'client', work_id: c.id }).first('qbo_id')) as { qbo_id: string }).qbo_id;
    await editInQbo(world, a.realmId, qboId, { PrimaryPhone: { FreeFormNumber: '555-0142' } });
    const url = `${world.workUrl}${MOUNT}/webhooks`;
    const events = [{ realmId: a.realmId, name: 'Customer', id: qboId, operation: 'Update' as const }];

    const forged = await world.sandbox.control.deliverWebhook({ url, verifierToken: 'not-the-verifier-token', format: 'legacy', events });
    expect(forged.status).to.equal(401);
    expect(await world.knex('qbo_pull_requests').where({ account_id: a.accountId }).first()).to.equal(undefined);
    const [unchanged] = await workClients(world, a.accountId);
    expect(unchanged?.phone ?? null).to.not.equal('555-0142');

    const genuine = await world.sandbox.control.deliverWebhook({ url, verifierToken: VERIFIER, format: 'cloudevents', events });
    expect(genuine.status, genuine.responseBody).to.equal(200);
    await until('the change in Work', async () => (await workClients(world, a.accountId)).find((x) => x.id === c.id)?.phone === '555-0142');
    await until('the pull to be done', async () => (await world.knex('qbo_pull_requests').where({ account_id: a.accountId }).first()) === undefined);
    expect(world.logLines.some((l) => l.includes('QuickBooks pull finished') && l.includes(`"accountId":"${a.accountId}"`))).to.equal(true);
  });

  it('the nightly sync fires at the account\'s local time (the clock moved to it) and once for that night', async () => {
    const a = await account('Unattended Night');
    await until('the onboarding queue sent', queueEmpty(a.accountId));
    // 02:00 tomorrow in Tokyo is the night; the sandbox clock (the plugin's) is moved up to it.
    const zone = 'Asia/Tokyo';
    const now = world.pluginClock();
    const tokyoNow = new Date(now.getTime() + 9 * 3_600_000);
    const soon = new Date(Math.ceil((tokyoNow.getTime() + 3 * 60_000) / 60_000) * 60_000);
    const time = `${String(soon.getUTCHours()).padStart(2, '0')}:${String(soon.getUTCMinutes()).padStart(2, '0')}`;
    const night = soon.toISOString().slice(0, 10);
    await world.knex('qbo_settings').where({ account_id: a.accountId }).update({ nightly_sync_time: time, nightly_time_zone: zone });
    const continuousRuns = async () => (await world.knex('qbo_sync_runs').where({ account_id: a.accountId, kind: 'continuous' }).count<{ n: string }[]>('* as n'))[0]?.n;
    const before = await continuousRuns();
    // Give the every-second check a few passes before the time: nothing runs.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await world.knex('qbo_nightly_runs').where({ account_id: a.accountId }).first()).to.equal(undefined);
    expect(await continuousRuns()).to.equal(before);

    world.sandbox.control.advanceClock(soon.getTime() - tokyoNow.getTime() + 1_000);
    await until('the nightly run', async () => (await world.knex('qbo_nightly_runs').where({ account_id: a.accountId }).first('last_slot'))?.last_slot === night);
    const row = await world.knex('qbo_nightly_runs').where({ account_id: a.accountId }).first();
    expect(row).to.include({ last_status: 'finished', claimed_by: null });
    const run = await world.knex('qbo_sync_runs').where({ account_id: a.accountId, id: row.last_run_id }).first();
    expect(run).to.include({ kind: 'continuous', status: 'succeeded' });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(Number(await continuousRuns())).to.equal(Number(before) + 1);
  });
});
