import { expect } from 'chai';
import pino from 'pino';
import { OutboxClaimRepository } from '../../plugin/persistence/outbox-claim-repository';
import { SyncLogRepository } from '../../plugin/persistence/sync-log-repository';
import { createQboHttpClient } from '../../plugin/qbo/create-client';
import { readAllCustomers } from '../../plugin/sync/engine/qbo-reader';
import { SandboxTokenProvider } from '../support/sandbox-qbo-client';
import { addClient, client, customer, editInQbo, loadCustomers, newSyncAccount, syncNow, useSyncWorld } from './sync-support';

/** The traps of issue 14 the engine must avoid (plugin/sync/README.md), one test each. */
describe('sync engine traps (issue 14)', () => {
  const suite = useSyncWorld();

  it('a customer made inactive during the full scan hides no other customer (Active IN (true,false), ordered pages)', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const loaded = loadCustomers(world, account.realmId, Array.from({ length: 1500 }, (_, i) => customer(`Paging Trap ${String(i).padStart(4, '0')}`)));
    const qbo = createQboHttpClient({ knex: world.knex, tokens: new SandboxTokenProvider(world.sandbox), logger: pino({ level: 'silent' }), apiBaseUrl: world.sandbox.baseUrl });
    let pages = 0;
    const deactivateAfterFirstPage = {
      get: qbo.get.bind(qbo),
      post: qbo.post.bind(qbo),
      query: async (realmId: string, statement: string) => {
        const answer = await qbo.query(realmId, statement);
        pages += 1;
        if (pages === 1) await editInQbo(world, realmId, String(loaded[10]?.['Id']), { Active: false });
        return answer;
      },
    };
    const read = await readAllCustomers(deactivateAfterFirstPage, account.realmId);
    const ids = new Set(read.map((c) => c.Id));
    for (const c of loaded) expect(ids.has(String(c['Id'])), `customer ${String(c['Id'])} read`).to.equal(true);
    expect(pages).to.equal(2);
    qbo.close();
  });

  it('the CDC bookmark does not move when an entity came back incomplete (over 1000 changes)', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    await addClient(world, account.accountId, client('Bookmark Co'));
    await syncNow(world, account.accountId, 'onboarding');
    const before = await world.knex('qbo_cdc_bookmarks').where({ account_id: account.accountId }).first();
    expect(before?.bookmark).to.be.a('string');
    loadCustomers(world, account.realmId, Array.from({ length: 1001 }, (_, i) => customer(`CDC Flood ${i}`)));
    const { result } = await syncNow(world, account.accountId, 'continuous');
    expect(result.pull?.bookmarkAdvanced).to.equal(false);
    const after = await world.knex('qbo_cdc_bookmarks').where({ account_id: account.accountId }).first();
    expect(after?.bookmark).to.equal(before?.bookmark);
  });

  it('claims one account\'s due rows by an (account_id, next_attempt_at) index, one row per record at a time, and takes back expired leases', async () => {
    const { world } = suite;
    const index = await world.knex.raw<{ rows: { indexdef: string }[] }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'qbo_outbox_due'`);
    expect(index.rows[0]?.indexdef).to.match(/\(account_id, next_attempt_at\) WHERE \(status = 'pending'/);
    const repo = new OutboxClaimRepository(world.knex);
    const now = new Date();
    const account = (await newSyncAccount(world)).accountId;
    const past = new Date(now.getTime() - 60_000);
    await world.knex('qbo_outbox').insert([
      // A create still processing (lease valid) and a newer pending update of the same record.
      { account_id: account, entity: 'client', record_id: '1', action: 'created', status: 'processing', claimed_at: past, locked_until: new Date(now.getTime() + 60_000) },
      { account_id: account, entity: 'client', record_id: '1', action: 'updated' },
      // A row whose worker died: its lease ran out.
      { account_id: account, entity: 'client', record_id: '2', action: 'updated', status: 'processing', claimed_at: past, locked_until: past },
      { account_id: account, entity: 'invoice', record_id: '3', action: 'created' },
      { account_id: 'another-account', entity: 'client', record_id: '4', action: 'created' },
    ]);
    expect(await repo.claim(account, ['client', 'site'], 10, 60_000, 'w1', now)).to.deep.equal([]);
    expect(await repo.reclaimExpired(account, now)).to.equal(1);
    const claimed = await repo.claim(account, ['client', 'site'], 10, 60_000, 'w2', now);
    expect(claimed.map((r) => r.record_id)).to.deep.equal(['2']);
    expect(claimed[0]?.attempts).to.equal(1);
    const pending = await world.knex('qbo_outbox').where({ account_id: account, status: 'pending' }).orderBy('record_id');
    expect(pending.map((r: { record_id: string }) => r.record_id)).to.deep.equal(['1', '3']);
    // A failure goes back with back-off and a truncated error; nothing is lost.
    await repo.fail(account, claimed[0]?.id ?? '', 'x'.repeat(5000), new Date(now.getTime() + 120_000), now);
    const failed = await world.knex('qbo_outbox').where({ id: claimed[0]?.id }).first();
    expect(failed).to.include({ status: 'pending' });
    expect((failed as { last_error: string }).last_error.length).to.be.at.most(500);
  });

  it('retention removes finished outbox rows and old log entries, never a failure waiting for its retry', async () => {
    const { world } = suite;
    const account = (await newSyncAccount(world)).accountId;
    const old = new Date(Date.now() - 100 * 86_400_000);
    await world.knex('qbo_outbox').insert([
      { account_id: account, entity: 'client', record_id: '1', action: 'created', status: 'done', updated_at: old },
      { account_id: account, entity: 'client', record_id: '2', action: 'created', status: 'pending', updated_at: old },
    ]);
    const log = new SyncLogRepository(world.knex);
    const entry = { runId: null, entity: 'client' as const, workId: '1', qboId: null, level: 'error' as const, reasonCode: 'qbo_unreachable', reason: 'r' };
    await log.insertMany(account, [{ ...entry, outcome: 'failed', nextAttemptAt: new Date() }, { ...entry, outcome: 'skipped' }], old);
    expect(await new OutboxClaimRepository(world.knex).deleteFinishedBefore(account, new Date(Date.now() - 90 * 86_400_000))).to.equal(1);
    expect(await log.deleteOlderThan(account, new Date(Date.now() - 90 * 86_400_000))).to.equal(1);
    expect(await world.knex('qbo_sync_log').where({ account_id: account })).to.have.length(1);
  });

  it('retry-now makes one failed record due and queues it again; dismiss stops its retries; both are scoped to the account', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world);
    const c = await addClient(world, account.accountId, client('Retry Me'));
    await world.knex('qbo_outbox').where({ account_id: account.accountId }).delete();
    const log = new SyncLogRepository(world.knex);
    const later = new Date(Date.now() + 3_600_000);
    await log.insertMany(account.accountId, [{ runId: null, entity: 'client', workId: c.id, qboId: null, level: 'error', outcome: 'failed', reasonCode: 'qbo_unreachable', reason: 'r', nextAttemptAt: later, attempts: 3 }], new Date());
    const [entry] = await world.knex('qbo_sync_log').where({ account_id: account.accountId });
    const id = String((entry as { id: string }).id);
    expect(await world.work.plugin.sync.retryLogEntry('another-account', id)).to.equal(false);
    expect(await world.work.plugin.sync.retryLogEntry(account.accountId, id)).to.equal(true);
    const due = await world.knex('qbo_sync_log').where({ id }).first();
    expect((due as { next_attempt_at: Date }).next_attempt_at.getTime()).to.be.below(later.getTime());
    expect(await world.knex('qbo_outbox').where({ account_id: account.accountId, record_id: c.id, status: 'pending' })).to.have.length(1);
    expect(await world.work.plugin.sync.dismissLogEntry(account.accountId, id)).to.equal(true);
    expect(await world.knex('qbo_sync_log').where({ id }).first()).to.include({ next_attempt_at: null });
    expect(await world.work.plugin.sync.retryLogEntry(account.accountId, id)).to.equal(false);
    expect(await world.work.plugin.sync.dismissLogEntry(account.accountId, 'not-a-number')).to.equal(false);
    // The queued push goes through on the next run (the client is created in QBO), and nothing is lost.
    const { run } = await syncNow(world, account.accountId, 'continuous');
    expect(run.counts['client']).to.include({ created_in_qbo: 1 });
  });
});
