import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createScratchDatabase } from '../support/test-database';
import { insertConnection } from './ops-support';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'work-qbo.js');
const HOST_MODULE = path.join(ROOT, 'test', 'support', 'cli-host-module.ts');
const STANDIN_HOST_MODULE = path.join(ROOT, 'test', 'support', 'standin-host-module.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as an operator runs it: a child process, its own database connection, JSON on stdout. */
function cli(args: string[], env: Record<string, string | undefined>, opts: { command?: string[]; onStdout?: (text: string, kill: () => void) => void } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
    const child = spawn(cmd ?? process.execPath, [...pre, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      opts.onStdout?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('work-qbo CLI (child process, real PostgreSQL)', function () {
  this.timeout(60_000);
  let knex: Knex;
  let url: string;

  before(async () => {
    ({ knex, url } = await createScratchDatabase());
  });

  it('says what it needs: no database, unknown command, bad option (exit 2)', async () => {
    const noDb = await cli(['status'], {});
    expect(noDb.code).to.equal(2);
    expect(noDb.stderr).to.match(/no database: set DATABASE_URL or pass --database-url/);
    const unknown = await cli(['explode'], { DATABASE_URL: url });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/unknown command "explode"/);
    const badOption = await cli(['status', '--acount', 'x'], { DATABASE_URL: url });
    expect(badOption.code).to.equal(2);
    expect(badOption.stderr).to.match(/Unknown option '--acount'/);
  });

  it('status before migrate fails with a hint (exit 1); migrate applies the tables once, through npx', async () => {
    const early = await cli(['status', '--database-url', url], {});
    expect(early.code).to.equal(1);
    expect(early.stderr).to.match(/run `work-qbo migrate` first/);
    const first = await cli(['migrate'], { DATABASE_URL: url }, { command: ['npx', '--no-install', 'work-qbo'] });
    expect(first.code, first.stderr).to.equal(0);
    expect((JSON.parse(first.stdout) as { applied: string[] }).applied).to.include('2026120100501_qbo_webhooks_and_pulls.ts');
    const again = await cli(['migrate', '--database-url', url], {});
    expect(JSON.parse(again.stdout)).to.deep.equal({ applied: [] });
  });

  it('status prints the health report as JSON, for all accounts or one', async () => {
    await insertConnection(knex, 'cli-a', '5001');
    await insertConnection(knex, 'cli-b', '5002', 'needs_reconnect');
    await knex('qbo_outbox').insert({ account_id: 'cli-a', entity: 'client', record_id: '1', action: 'created' });
    await knex('qbo_sync_runs').insert({ account_id: 'cli-a', kind: 'onboarding', status: 'succeeded', started_at: new Date(), finished_at: new Date() });
    const all = await cli(['status'], { DATABASE_URL: url });
    expect(all.code, all.stderr).to.equal(0);
    const report = JSON.parse(all.stdout) as { state: string; accounts: { accountId: string; state: string; queue: { pending: number } }[] };
    expect(report.state).to.equal('critical');
    expect(report.accounts.map((a) => [a.accountId, a.state, a.queue.pending])).to.deep.equal([['cli-a', 'ok', 1], ['cli-b', 'critical', 0]]);
    const one = JSON.parse((await cli(['status', '--account', 'cli-a'], { DATABASE_URL: url })).stdout) as { accounts: unknown[] };
    expect(one.accounts).to.have.length(1);
  });

  it('webhooks replay re-queues a due pull per account with stored events, adopting events that arrived before the company was connected', async () => {
    const event = (key: string, realm: string, account: string | null, hoursAgo: number) => ({
      dedupe_key: key, format: 'legacy', realm_id: realm, account_id: account, status: account ? 'accepted' : 'unknown_realm',
      entity: 'Customer', entity_id: key, operation: 'Update', occurred_at: new Date(), payload: '{}',
      received_at: new Date(Date.now() - hoursAgo * 3_600_000),
    });
    await knex('qbo_webhook_events').insert([event('e1', '5001', 'cli-a', 1), event('e2', '5001', 'cli-a', 50), event('e3', '5003', null, 2)]);
    await insertConnection(knex, 'cli-c', '5003');

    const replay = await cli(['webhooks', 'replay'], { DATABASE_URL: url });
    expect(replay.code, replay.stderr).to.equal(0);
    const out = JSON.parse(replay.stdout) as { accounts: { accountId: string; events: number; adopted: number; pullDueAt: string | null }[] };
    expect(out.accounts.map((a) => [a.accountId, a.events, a.adopted, a.pullDueAt !== null])).to.deep.equal([
      ['cli-a', 1, 0, true],
      ['cli-b', 0, 0, false],
      ['cli-c', 1, 1, true],
    ]);
    const pulls = await knex('qbo_pull_requests').orderBy('account_id');
    expect(pulls.map((p: { account_id: string; reason: string }) => [p.account_id, p.reason])).to.deep.equal([['cli-a', 'replay'], ['cli-c', 'replay']]);
    expect((await knex('qbo_webhook_events').where({ dedupe_key: 'e3' }).first()).account_id).to.equal('cli-c');

    const wider = JSON.parse((await cli(['webhooks', 'replay', '--account', 'cli-a', '--since', '3d'], { DATABASE_URL: url })).stdout) as typeof out;
    expect(wider.accounts).to.have.length(1);
    expect(wider.accounts[0]?.events).to.equal(2);
    const bad = await cli(['webhooks', 'replay', '--since', 'last tuesday'], { DATABASE_URL: url });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--since must be an ISO date/);
  });

  it('sync, drain and retry need the host module and an account (exit 2); through the host module they run the engine (exit 1 when a run did not finish)', async () => {
    const noHost = await cli(['sync', '--account', 'cli-a'], { DATABASE_URL: url });
    expect(noHost.code).to.equal(2);
    expect(noHost.stderr).to.match(/needs the host: pass --host-module/);
    const noAccount = await cli(['retry'], { DATABASE_URL: url });
    expect(noAccount.code).to.equal(2);

    const env = { DATABASE_URL: url, QBO_TOKEN_KEY: crypto.randomBytes(32).toString('base64'), QBO_TOKEN_KEY_ID: 'cli', QBO_API_BASE_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'error' };
    const sync = await cli(['sync', '--account', 'cli-none', '--dry-run', '--host-module', STANDIN_HOST_MODULE], env);
    expect(sync.code, sync.stderr).to.equal(1);
    expect(JSON.parse(sync.stdout)).to.include({ ok: false, status: 'not_connected' });
    const drain = await cli(['drain', '--account', 'cli-b', '--host-module', STANDIN_HOST_MODULE], env);
    expect(drain.code, drain.stderr).to.equal(1);
    expect(JSON.parse(drain.stdout)).to.deep.equal({ ok: false, accounts: { 'cli-b': 'needs_reconnect' } });

    // One failure given up on, one still waiting for its retry, one dismissed: --failed takes the first only.
    const failure = (workId: string, extra: Record<string, unknown>) => ({ account_id: 'cli-a', entity: 'client', work_id: workId, level: 'error', outcome: 'failed', reason_code: 'qbo_refused', reason: 'refused', ...extra });
    await knex('qbo_sync_log').insert([failure('7', {}), failure('8', { next_attempt_at: new Date(Date.now() + 3_600_000) }), failure('9', { dismissed_at: new Date() })]);
    const retry = await cli(['retry', '--account', 'cli-a', '--failed', '--host-module', STANDIN_HOST_MODULE], env);
    expect(retry.code, retry.stderr).to.equal(0);
    expect(JSON.parse(retry.stdout)).to.deep.equal({ ok: true, accountId: 'cli-a', failedOnly: true, failed: 1, retried: 1 });
    const all = JSON.parse((await cli(['retry', '--account', 'cli-a', '--host-module', STANDIN_HOST_MODULE], env)).stdout) as { failed: number; retried: number };
    expect([all.failed, all.retried]).to.deep.equal([2, 2]);
    const queued = await knex('qbo_outbox').where({ account_id: 'cli-a', entity: 'client', status: 'pending' }).whereIn('record_id', ['7', '8', '9']).orderBy('record_id').pluck('record_id');
    expect(queued).to.deep.equal(['7', '8']);
  });

  it('worker runs the plugin\'s schedules until SIGTERM, then stops cleanly', async () => {
    let signalled = false;
    const run = await cli(['worker'], { DATABASE_URL: url, WORK_QBO_HOST_MODULE: HOST_MODULE }, {
      onStdout: (text, kill) => {
        if (!signalled && text.includes('"worker": "started"')) {
          signalled = true;
          kill();
        }
      },
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('"worker": "stopped"');
    expect(run.stderr).to.include('QuickBooks worker started').and.include('QuickBooks worker stopped');
  });
});
