import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import type { World } from './connect-sandbox-support';
import { addClient, addSite, cliEnv, client, customer, loadCustomers, newSyncAccount, qboCustomers, site, syncNow, useSyncWorld, workClients, workSites, type SyncAccount } from './sync-support';

const ROOT = path.resolve(__dirname, '..', '..');
const WORK_CLIENTS = 160;
const QBO_CUSTOMERS = 160;
const MATCHING = 80;
const KILLS = 5;

/** A small seeded PRNG so a failing run can be replayed (the seed is printed). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The same data in two accounts: 160 Work clients (40 with a site), 160 QBO customers, 80 of them matching. */
async function seed(world: World, account: SyncAccount): Promise<void> {
  for (let i = 0; i < WORK_CLIENTS; i += 1) {
    const c = await addClient(world, account.accountId, client(`Kill Test Client ${String(i).padStart(3, '0')}`, { email: `c${i}@kill.test` }));
    if (i % 4 === 0) await addSite(world, account.accountId, c.id, site(`Site of ${i}`));
  }
  loadCustomers(
    world,
    account.realmId,
    Array.from({ length: QBO_CUSTOMERS }, (_, j) => {
      const i = j < MATCHING ? j : WORK_CLIENTS + j;
      return customer(`Kill Test Client ${String(i).padStart(3, '0')}`, { PrimaryEmailAddr: { Address: `c${i}@kill.test` } });
    }),
  );
}

function startWorker(world: World, accountId: string): { child: ChildProcess; exited: Promise<number | null>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'cli', 'work-cli.ts'), 'sync', '--account', accountId, '--onboarding'], { cwd: ROOT, env: cliEnv(world), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => out };
}

async function progress(world: World, account: SyncAccount): Promise<number> {
  const m = await world.knex('qbo_mappings').where({ account_id: account.accountId }).count<{ n: string }[]>('* as n');
  return Number(m[0]?.n ?? 0);
}

/** The end state that must not depend on kills: names on both sides, links, nothing open. */
async function endState(world: World, account: SyncAccount) {
  const qbo = qboCustomers(world, account.realmId).filter((c) => String(c['DisplayName']).includes('Kill Test') || String(c['DisplayName']).startsWith('Site of'));
  return {
    qboNames: qbo.map((c) => `${String(c['DisplayName'])}${c['Job'] ? ' (job)' : ''}`).sort(),
    workClients: (await workClients(world, account.accountId)).map((c) => c.companyName).sort(),
    workSites: (await workSites(world, account.accountId)).map((s) => s.name).sort(),
    mappings: await progress(world, account),
    openBatches: (await world.knex('qbo_write_batches').where({ account_id: account.accountId, state: 'open' })).length,
  };
}

describe('sync onboarding survives a worker process killed with SIGKILL at random points', function () {
  this.timeout(120_000);
  const suite = useSyncWorld();

  it('ends with zero duplicates and the same end state as an uninterrupted run', async () => {
    const { world } = suite;
    const seedValue = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
    const random = prng(seedValue);
    world.sandbox.control.setLatency(40);
    const calm = await newSyncAccount(world, 'Kill Calm');
    const killed = await newSyncAccount(world, 'Kill Killed');
    await seed(world, calm);
    await seed(world, killed);

    await syncNow(world, calm.accountId, 'onboarding');
    const expected = await endState(world, calm);
    const total = expected.mappings;
    expect(total).to.equal(WORK_CLIENTS + (QBO_CUSTOMERS - MATCHING) + WORK_CLIENTS / 4);

    const killedAt: number[] = [];
    let sawLiveCounts = false;
    for (let k = 0; k < KILLS; k += 1) {
      const worker = startWorker(world, killed.accountId);
      const done = await progress(world, killed);
      // Every other kill lands while a batch is open (committed, maybe sent, answer not yet stored); the others
      // once a random further share of the records is linked (between answers and mappings, or mid-layer).
      const whileOpen = k % 2 === 0;
      const target = done + Math.max(1, Math.floor(random() * Math.max(1, (total - done) * 0.6)));
      let exitCode: number | null | undefined;
      void worker.exited.then((code) => (exitCode = code));
      const due = async (): Promise<boolean> =>
        whileOpen ? (await world.knex('qbo_write_batches').where({ account_id: killed.accountId, state: 'open' })).length > 0 && random() < 0.5 : (await progress(world, killed)) >= target;
      while (exitCode === undefined && !(await due())) {
        // Live progress: a running run's counts are readable while it works (what a page would poll).
        const running = (await world.knex('qbo_sync_runs').where({ account_id: killed.accountId, status: 'running' }).first()) as { counts: Record<string, Record<string, number>> } | undefined;
        if (running && Object.values(running.counts).some((c) => Object.keys(c).length > 0)) sawLiveCounts = true;
        await new Promise((r) => setTimeout(r, 5));
      }
      if (exitCode === undefined) {
        worker.child.kill('SIGKILL');
        await worker.exited;
        killedAt.push(await progress(world, killed));
      }
      if ((await progress(world, killed)) >= total) break;
    }
    // Then one run to the end.
    const last = startWorker(world, killed.accountId);
    const code = await last.exited;
    if (code !== 0 && process.env.KILL_DEBUG) {
      const bad = world.sandbox.control.requests({ realmId: killed.realmId, status: 400 });
      for (const b of bad) process.stderr.write(`${JSON.stringify(b)}\n${JSON.stringify(world.sandbox.control.requests({ realmId: killed.realmId, requestid: b.requestid ?? '' }))}\n`);
    }
    expect(code, `seed ${seedValue}: ${last.stdout()}`).to.equal(0);
    world.sandbox.control.setLatency(0);

    const actual = await endState(world, killed);
    if (process.env.KILL_DEBUG) process.stderr.write(`seed ${seedValue} killed at ${killedAt.join(', ')} of ${total}; recovered ${(await world.knex('qbo_sync_log').where({ account_id: killed.accountId }).whereRaw("details->>'recovered' = 'true'")).length}\n`);
    expect(killedAt.length, `seed ${seedValue}: kills landed`).to.be.greaterThan(0);
    expect(sawLiveCounts, 'counts visible while a run was going').to.equal(true);
    // Every killed run was closed by the next one as cancelled; the last one succeeded.
    const runs = await world.knex('qbo_sync_runs').where({ account_id: killed.accountId }).orderBy('id');
    expect(runs.filter((r: { status: string }) => r.status === 'running')).to.have.length(0);
    expect(runs[runs.length - 1]).to.include({ status: 'succeeded' });
    expect(actual, `seed ${seedValue}, killed at ${killedAt.join(', ')} links`).to.deep.equal(expected);
    // Zero duplicates: every name once in QBO, every client once in Work.
    expect(new Set(actual.qboNames).size).to.equal(actual.qboNames.length);
    expect(new Set(actual.workClients).size).to.equal(actual.workClients.length);
  });
});
