import { expect } from 'chai';
import type { Knex } from 'knex';
import { testKnex, truncateAll } from '../support/test-database';
import { insertConnection, MOUNT, startPlugin, type RunningPlugin } from './ops-support';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const OPS_TOKEN = 'ops-token-for-monitoring-0123456789';

interface HealthJson {
  state: string;
  accounts: {
    accountId: string;
    state: string;
    problems: { code: string; severity: string; message: string }[];
    connection: { status: string } | null;
    queue: { pending: number; processing: number; failed: number; failedSince: number; oldestPendingAgeSeconds: number | null };
    lastRun: { status: string; kind: string; error: string | null } | null;
    failures: { failedOutboxRows: number; logErrors: number };
    webhooks: { receivedSince: number };
    pull: { requestCount: number } | null;
  }[];
}

async function seedAccounts(knex: Knex): Promise<void> {
  await insertConnection(knex, 'acct-a', '111');
  await insertConnection(knex, 'acct-b', '222', 'needs_reconnect');
  await insertConnection(knex, 'acct-c', '333');
  const outbox = (account: string, record: string, status: string, createdMinutesAgo: number, updatedMinutesAgo = createdMinutesAgo) => ({
    account_id: account,
    entity: 'client',
    record_id: record,
    action: 'updated',
    status,
    created_at: ago(createdMinutesAgo),
    updated_at: ago(updatedMinutesAgo),
  });
  await knex('qbo_outbox').insert([
    outbox('acct-a', 'c1', 'pending', 20),
    outbox('acct-a', 'c2', 'pending', 5),
    outbox('acct-a', 'c3', 'failed', 60 * 30, 60),
    outbox('acct-a', 'c4', 'failed', 60 * 48, 60 * 30),
    outbox('acct-a', 'c5', 'done', 60),
    outbox('acct-b', 'c1', 'pending', 600),
    outbox('acct-b', 'c2', 'pending', 700),
  ]);
  await knex('qbo_sync_runs').insert([
    { account_id: 'acct-a', kind: 'onboarding', status: 'succeeded', started_at: ago(60 * 26), finished_at: ago(60 * 26 - 5) },
    { account_id: 'acct-a', kind: 'continuous', status: 'succeeded', started_at: ago(60 * 25), finished_at: ago(60 * 25 - 5) },
    { account_id: 'acct-a', kind: 'continuous', status: 'failed', error: 'QuickBooks answered 500', started_at: ago(60), finished_at: ago(55) },
    { account_id: 'acct-b', kind: 'continuous', status: 'succeeded', started_at: ago(30), finished_at: ago(29) },
  ]);
  await knex('qbo_sync_log').insert([
    { account_id: 'acct-a', level: 'error', outcome: 'failed', reason: 'x', entity: 'client', created_at: ago(30) },
    { account_id: 'acct-a', level: 'error', outcome: 'failed', reason: 'x', entity: 'client', created_at: ago(60 * 30) },
    { account_id: 'acct-b', level: 'error', outcome: 'failed', reason: 'x', entity: 'client', created_at: ago(10) },
  ]);
  await knex('qbo_pull_requests').insert({ account_id: 'acct-c', reason: 'webhook', requested_at: ago(40), last_requested_at: ago(35), request_count: 3, due_at: ago(39) });
}

describe('health (status call and the operators\' route)', () => {
  let knex: Knex;
  let plugin: RunningPlugin;

  beforeEach(async () => {
    knex = await testKnex();
    await truncateAll();
    await seedAccounts(knex);
    plugin = await startPlugin(knex, { opsToken: OPS_TOKEN }, () => NOW);
  });
  afterEach(async () => {
    await plugin.close();
  });

  const get = async (path: string, token: string | null = OPS_TOKEN) => {
    const response = await fetch(`${plugin.baseUrl}${MOUNT}/ops${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.status, header: response.headers.get('x-qbo-health'), json: (await response.json()) as HealthJson };
  };

  it('reports per account the connection, queue depth and age, last run and recent failures, each scoped to its account', async () => {
    const report = (await plugin.handle.health()) as unknown as HealthJson;
    const [a, b, c] = report.accounts;
    expect(report.accounts.map((x) => x.accountId)).to.deep.equal(['acct-a', 'acct-b', 'acct-c']);
    expect(a?.connection?.status).to.equal('connected');
    expect(a?.queue).to.deep.include({ pending: 2, processing: 0, failed: 2, failedSince: 1, oldestPendingAgeSeconds: 20 * 60 });
    expect(a?.lastRun).to.include({ status: 'failed', kind: 'continuous', error: 'QuickBooks answered 500' });
    expect(a?.failures).to.deep.include({ failedOutboxRows: 1, logErrors: 1 });
    expect(a?.problems.map((p) => p.code)).to.deep.equal(['queue_stalled', 'failures', 'last_run_failed']);
    expect(a?.state).to.equal('warning');

    expect(b?.queue).to.deep.include({ pending: 2, oldestPendingAgeSeconds: 700 * 60 });
    expect(b?.problems.map((p) => [p.code, p.severity])).to.deep.equal([['needs_reconnect', 'critical'], ['failures', 'warning']]);
    expect(b?.state).to.equal('critical');

    expect(c?.queue).to.deep.include({ pending: 0, oldestPendingAgeSeconds: null });
    expect(c?.lastRun).to.equal(null);
    expect(c?.pull?.requestCount).to.equal(3);
    expect(c?.problems.map((p) => p.code)).to.deep.equal(['pulls_waiting']);
    expect(report.state).to.equal('critical');
  });

  it('serves the report as JSON to a bearer of the ops token, one account or all', async () => {
    const all = await get('/health');
    expect(all.status).to.equal(200);
    expect(all.header).to.equal('critical');
    expect(all.json.accounts).to.have.length(3);
    const one = await get('/health?account=acct-a');
    expect(one.json.accounts.map((x) => x.accountId)).to.deep.equal(['acct-a']);
    expect(one.header).to.equal('warning');
    const unknown = await get('/health?account=acct-nobody');
    expect(unknown.json.accounts[0]).to.deep.include({ accountId: 'acct-nobody', state: 'ok', connection: null });
  });

  it('refuses a missing or wrong token (401), and is off (404) without the opsToken option', async () => {
    expect((await get('/health', null)).status).to.equal(401);
    expect((await get('/health', 'wrong-token')).status).to.equal(401);
    expect(plugin.logs.filter((l) => l.msg.includes('health route refused'))).to.have.length(2);
    await plugin.close();
    plugin = await startPlugin(knex, {}, () => NOW);
    expect((await get('/health')).status).to.equal(404);
  });
});
