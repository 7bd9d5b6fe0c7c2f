import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import type { World } from './connect-sandbox-support';
import { addClient, cliEnv, client, lastSeq, newSyncAccount, qboCustomers, syncNow, useSyncWorld, type SyncAccount } from './sync-support';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'work-qbo.js');
const HOST_MODULE = path.join(ROOT, 'test', 'support', 'standin-host-module.ts');

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

/** `work-qbo …` as its own node process against the world's database and sandbox (the stand-in's host module). */
function workQbo(world: World, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...cliEnv(world), WORK_QBO_HOST_MODULE: HOST_MODULE, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

/** Poll until `done` holds; fails with `what` after `ms` (a bound on the test, not a timing claim). */
async function until(what: string, done: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) expect.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopWorker(worker: Proc): Promise<void> {
  worker.child.kill('SIGTERM');
  const code = await worker.exited;
  expect(code, worker.output()).to.equal(0);
}

async function openRows(world: World, accountIds: string[]): Promise<number> {
  const [row] = await world.knex('qbo_outbox').whereIn('account_id', accountIds).whereIn('status', ['pending', 'processing']).count<{ n: string }[]>('* as n');
  return Number(row?.n ?? 0);
}

/** Records written at the sandbox for a realm since `seq`: each batch item, or one per single write. */
function writesAt(world: World, realmId: string, sinceSeq: number): number {
  return world.sandbox.control
    .requests({ realmId, method: 'POST', sinceSeq })
    .filter((r) => !r.path.includes('/query') && r.status === 200)
    .reduce((n, r) => n + (r.batchSize ?? 1), 0);
}

function namesIn(world: World, realmId: string, prefix: string): string[] {
  return qboCustomers(world, realmId).map((c) => String(c['DisplayName'])).filter((n) => n.startsWith(prefix)).sort();
}

async function onboarded(world: World, name: string): Promise<SyncAccount> {
  const account = await newSyncAccount(world, name);
  await syncNow(world, account.accountId, 'onboarding');
  return account;
}

describe('worker processes: many processes, one account and one row at a time (child processes, sandbox, PostgreSQL)', function () {
  this.timeout(180_000);
  const suite = useSyncWorld();

  it('two workers and a manual sync started together write each change once, never run one account twice at once, and do all the work', async () => {
    const { world } = suite;
    const accounts = [await onboarded(world, 'Workers A'), await onboarded(world, 'Workers B'), await onboarded(world, 'Workers C')];
    const ids = accounts.map((a) => a.accountId);
    const [first] = accounts;
    if (!first) throw new Error('no account');
    const CLIENTS = 12;
    const UPDATES = 4;
    for (const a of accounts) for (let i = 0; i < CLIENTS; i += 1) await addClient(world, a.accountId, client(`Workers ${a.accountId}-${String(i).padStart(2, '0')}`, { email: `w${i}@workers.test` }));
    world.sandbox.control.setLatency(20);
    const seq = lastSeq(world);

    const workers = [workQbo(world, ['worker']), workQbo(world, ['worker'])];
    const manual = workQbo(world, ['sync', '--account', first.accountId]);
    try {
      await until('the queue to empty', async () => (await openRows(world, ids)) === 0);
      const manualCode = await manual.exited;
      const manualOut = manual.output();
      // The manual sync either ran or met a worker's run of the account: never both at once.
      expect(manualCode === 0 ? 'finished' : (/"status": "([a-z_]+)"/.exec(manualOut)?.[1] ?? manualOut)).to.be.oneOf(['finished', 'already_running']);

      // Saves made while the workers run reach QuickBooks without anyone pressing anything.
      for (const a of accounts) {
        const clients = await world.work.models.clients.list(a.accountId);
        for (const c of clients.slice(0, UPDATES)) await world.work.models.clients.update(a.accountId, c.id, { phone: `555-01${c.id.padStart(2, '0').slice(-2)}` });
      }
      await until('the updates to be sent', async () => (await openRows(world, ids)) === 0);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
      world.sandbox.control.setLatency(0);
    }

    for (const a of accounts) {
      const names = namesIn(world, a.realmId, `Workers ${a.accountId}-`);
      expect(names, `customers of ${a.accountId}`).to.have.length(CLIENTS);
      expect(new Set(names).size).to.equal(CLIENTS);
      // Writes at QuickBooks equal the work: one create per client, one update per edited client.
      expect(writesAt(world, a.realmId, seq), `writes for ${a.accountId}`).to.equal(CLIENTS + UPDATES);
      const phones = qboCustomers(world, a.realmId).filter((c) => c['PrimaryPhone']).length;
      expect(phones).to.equal(UPDATES);
      // Each queued row was claimed once.
      const rows = await world.knex('qbo_outbox').where({ account_id: a.accountId }).select('status', 'attempts');
      expect(rows.every((r: { status: string; attempts: number }) => r.status === 'done' && r.attempts === 1), JSON.stringify(rows)).to.equal(true);
      // Runs of one account never overlapped, whichever process ran them.
      const runs = await world.knex('qbo_sync_runs').where({ account_id: a.accountId }).orderBy('started_at').select('started_at', 'finished_at', 'status');
      for (let i = 1; i < runs.length; i += 1) {
        expect(runs[i].started_at.getTime(), `run ${i} of ${a.accountId}`).to.be.at.least(runs[i - 1].finished_at.getTime());
      }
      expect(runs.every((r: { status: string }) => r.status === 'succeeded')).to.equal(true);
    }
    expect(world.sandbox.control.requests({ method: 'POST', status: 429 })).to.have.length(0);
    if (process.env.SCHED_DEBUG) {
      const by = await world.knex('qbo_outbox').whereIn('account_id', ids).groupBy('claimed_by').select('claimed_by').count('* as n');
      const runs = await world.knex('qbo_sync_runs').whereIn('account_id', ids).groupBy('kind').select('kind').count('* as n');
      process.stderr.write(`rows by worker ${JSON.stringify(by)}; runs ${JSON.stringify(runs)}\n`);
    }
  });

  it('a worker killed with SIGKILL while holding rows hands them back after the lease; nothing is written twice', async () => {
    const { world } = suite;
    const account = await onboarded(world, 'Killed Worker');
    const CLIENTS = 40;
    for (let i = 0; i < CLIENTS; i += 1) await addClient(world, account.accountId, client(`Killed ${String(i).padStart(2, '0')}`));
    world.sandbox.control.setLatency(1500);
    const victim = workQbo(world, ['worker']);
    let held: { id: string; claimed_by: string }[] = [];
    try {
      await until('the worker to hold rows', async () => {
        held = await world.knex('qbo_outbox').where({ account_id: account.accountId, status: 'processing' }).select('id', 'claimed_by');
        return held.length > 0;
      });
      victim.child.kill('SIGKILL');
      await victim.exited;
    } finally {
      world.sandbox.control.setLatency(0);
    }
    const holder = held[0]?.claimed_by;
    expect(holder).to.match(new RegExp(`:${victim.child.pid}$`));

    // Before the lease runs out nobody takes them: a drain now sends the rest and leaves the held rows alone.
    const drain = workQbo(world, ['drain', '--account', account.accountId]);
    expect(await drain.exited, drain.output()).to.equal(0);
    const stillHeld = await world.knex('qbo_outbox').whereIn('id', held.map((h) => h.id)).select('status', 'claimed_by');
    expect(stillHeld.every((r: { status: string; claimed_by: string }) => r.status === 'processing' && r.claimed_by === holder)).to.equal(true);

    // A worker whose clock is past the lease (5 minutes) takes them back and finishes the work.
    const heir = workQbo(world, ['worker'], { WORK_QBO_TEST_CLOCK_OFFSET_MS: String(6 * 60_000) });
    try {
      await until('the held rows to be done', async () => (await openRows(world, [account.accountId])) === 0);
    } finally {
      await stopWorker(heir);
    }
    const names = namesIn(world, account.realmId, 'Killed ');
    expect(names).to.have.length(CLIENTS);
    expect(new Set(names).size).to.equal(CLIENTS);
    const mappings = await world.knex('qbo_mappings').where({ account_id: account.accountId, entity: 'client' }).count<{ n: string }[]>('* as n');
    expect(Number(mappings[0]?.n)).to.equal(CLIENTS);
  });
  it('a worker stopped with SIGTERM mid-run exits promptly and leaves no row claimed; the next worker sends each change once', async () => {
    const { world } = suite;
    const account = await onboarded(world, 'Stopped Worker');
    const CLIENTS = 10;
    for (let i = 0; i < CLIENTS; i += 1) await addClient(world, account.accountId, client(`Stopped ${String(i).padStart(2, '0')}`));
    world.sandbox.control.setLatency(4000);
    const worker = workQbo(world, ['worker'], { WORK_QBO_TEST_STOP_GRACE_SECONDS: '0', LOG_LEVEL: 'info' });
    let code: number | null;
    try {
      await until('the worker to hold rows', async () => (await world.knex('qbo_outbox').where({ account_id: account.accountId, status: 'processing' }).first('id')) !== undefined);
      worker.child.kill('SIGTERM');
      code = await worker.exited;
    } finally {
      world.sandbox.control.setLatency(0);
    }
    expect(code, worker.output()).to.equal(0);
    expect(worker.output()).to.include('runs still going after the grace period are cut off');
    expect(await world.knex('qbo_outbox').where({ account_id: account.accountId, status: 'processing' }).first('id')).to.equal(undefined);

    // Rows it failed wait out their back-off (a minute): the next worker's clock is past it.
    const next = workQbo(world, ['worker'], { WORK_QBO_TEST_CLOCK_OFFSET_MS: String(2 * 60_000) });
    try {
      await until('the rows to be done', async () => (await openRows(world, [account.accountId])) === 0);
    } finally {
      await stopWorker(next);
    }
    const names = namesIn(world, account.realmId, 'Stopped ');
    if (process.env.SCHED_DEBUG) {
      process.stderr.write(`${worker.output()}\n${next.output()}\n`);
      process.stderr.write(`${JSON.stringify(await world.knex('qbo_outbox').where({ account_id: account.accountId }).select('record_id', 'status', 'attempts', 'last_error'))}\n`);
      process.stderr.write(`${JSON.stringify(await world.knex('qbo_sync_log').where({ account_id: account.accountId }).select('work_id', 'outcome', 'reason_code', 'reason'))}\n`);
      process.stderr.write(`${JSON.stringify(qboCustomers(world, account.realmId).map((c) => c['DisplayName']))}\n`);
      process.stderr.write(`REQ ${JSON.stringify(world.sandbox.control.requests({ realmId: account.realmId }).map((r) => [r.seq, r.method, r.path, r.status, r.faultCode, r.requestid, r.batchSize, r.durationMs]))}\n`);
    }
    expect(names).to.have.length(CLIENTS);
    expect(new Set(names).size).to.equal(CLIENTS);
  });
});
