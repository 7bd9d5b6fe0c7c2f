/**
 * Fleet: the nightly sync of 500 small accounts by 1, 2 and 4 worker PROCESSES against the sandbox with
 * latency per call; the speed-up at 4 workers (target ≥ 3.2). The nightly sync is the `continuous` kind
 * (issue 10: CDC pull, then the outbox drain) of accounts already onboarded.
 *
 * Setup (not timed, no latency): 500 connected accounts (4 Work clients, one with a site; 3 QBO customers,
 * 2 of them matching), onboarded by 4 workers. Before each timed run, every account gets one change on each
 * side, so each nightly has the same work: a client edited in Work (its outbox row queued, as the host's
 * hook does) to push, and a customer edited in QBO (a sparse update over the API) for CDC to bring back.
 *
 * The workers are bench/engine/engine-process.ts in `worker` mode: a minimal bench-only loop (the real
 * worker with its schedules is issue 10's), claiming accounts with the engine's per-account advisory lock
 * (try-lock; "already running" is skipped) and skipping accounts whose last run started at or after the
 * run's start. Time runs from "go", sent once every worker has started (tsx and the plugin's start are not
 * counted), to the last worker's end. The sandbox runs in this process. Every account must end each night
 * with exactly one new run, its Work edit pushed (client updated_in_qbo) and its QBO edit pulled (client
 * updated_in_work), and nothing left pending in the outbox.
 *
 * BENCH_FLEET_ACCOUNTS overrides the 500 (for a quick look); the labels say how many were used.
 */
import type { Knex } from 'knex';
import { OutboxRepository } from '../../plugin/persistence/outbox-repository';
import { startEngineWorld, type EngineWorld } from '../engine/engine-world';
import type { WorkerChildReport } from '../engine/engine-process';
import type { Benchmark } from '../lib/benchmark';
import { figure, type Figure } from '../lib/figures';

const WORKER_COUNTS = [1, 2, 4] as const;
const LATENCY_MS = 100;
const TARGET_SPEEDUP = 3.2;

const NO_ADDRESS = { address_line1: null, city: null, state: null, postal_code: null, country: null };

interface FleetAccount {
  accountId: string;
  realmId: string;
  name: string;
  /** The Work client edited before each run, and the QBO customer edited (the unmatched one). */
  clientId: string;
  customerId: string;
}

/** How many accounts the fleet syncs: 500, or BENCH_FLEET_ACCOUNTS (a whole number ≥ 1, else a clear error). */
export function accountCount(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.BENCH_FLEET_ACCOUNTS;
  const n = fromEnv === undefined || fromEnv === '' ? 500 : Number(fromEnv);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_FLEET_ACCOUNTS must be a whole number ≥ 1, got ${JSON.stringify(fromEnv)}`);
  return n;
}

/** `n` small connected accounts, their Work side bulk-inserted and their QBO side bulk-loaded. */
async function smallAccounts(world: EngineWorld, n: number): Promise<FleetAccount[]> {
  const accounts: FleetAccount[] = [];
  for (let a = 0; a < n; a += 1) {
    const name = `Fleet ${String(a).padStart(3, '0')}`;
    const { accountId, realmId } = await world.connectAccount(name);
    const clients = await world.knex('clients')
      .insert(Array.from({ length: 4 }, (_, i) => ({ account_id: accountId, company_name: `${name} Client ${i}`, email: `c${i}.${a}@fleet.test`, active: true, ...NO_ADDRESS })))
      .returning<{ id: string | number }[]>('id');
    await world.knex('sites').insert({ account_id: accountId, client_id: clients[0]?.id, name: `${name} Yard`, ...NO_ADDRESS });
    const customers = world.sandbox.control.bulkLoad(realmId, 'Customer', [0, 1, 9].map((i) => ({ DisplayName: `${name} Client ${i}`, CompanyName: `${name} Client ${i}`, Active: true })));
    accounts.push({ accountId, realmId, name, clientId: String(clients[1]?.id), customerId: String(customers[2]?.['Id']) });
  }
  return accounts;
}

/** One change on each side of every account: a Work client edit (queued as the hook does) and a QBO edit. */
async function nightsChanges(world: EngineWorld, accounts: readonly FleetAccount[], night: number): Promise<void> {
  const outbox = new OutboxRepository(world.knex);
  for (const account of accounts) {
    await world.knex.transaction(async (trx) => {
      await trx('clients').where({ id: account.clientId, account_id: account.accountId }).update({ phone: `555-01${String(night).padStart(2, '0')}` });
      await outbox.enqueue({ accountId: account.accountId, entity: 'client', recordId: account.clientId, action: 'updated' }, trx);
    });
    const current = world.sandbox.control.objects(account.realmId, 'Customer').find((c) => c['Id'] === account.customerId);
    const response = await fetch(`${world.sandbox.baseUrl}/v3/company/${account.realmId}/customer?minorversion=75`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.sandbox.issueAccessToken(account.realmId)}`, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ Id: account.customerId, SyncToken: current?.['SyncToken'], sparse: true, Notes: `night ${night}` }),
    });
    if (response.status !== 200) throw new Error(`QBO edit for ${account.name} answered ${response.status}: ${await response.text()}`);
  }
}

async function runsSince(knex: Knex, accounts: readonly FleetAccount[], since: Date): Promise<number[]> {
  const rows = await knex('qbo_sync_runs')
    .whereIn('account_id', accounts.map((a) => a.accountId))
    .where('started_at', '>=', since)
    .groupBy('account_id')
    .select('account_id')
    .count<{ account_id: string | number; n: string }[]>({ n: '*' });
  const byAccount = new Map(rows.map((r) => [String(r.account_id), Number(r.n)]));
  return accounts.map((a) => byAccount.get(a.accountId) ?? 0);
}

/** Outbox rows still pending: a Work edit the nightly did not push. */
async function pendingPushes(knex: Knex, accounts: readonly FleetAccount[]): Promise<number> {
  const row = await knex('qbo_outbox').whereIn('account_id', accounts.map((a) => a.accountId)).where({ status: 'pending' }).count<{ n: string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** The night's outcomes summed over its runs (entity × outcome), to show each nightly did its work. */
async function outcomesSince(knex: Knex, accounts: readonly FleetAccount[], since: Date): Promise<Record<string, number>> {
  const rows = await knex('qbo_sync_runs').whereIn('account_id', accounts.map((a) => a.accountId)).where('started_at', '>=', since).select<{ counts: unknown }[]>('counts');
  const sum: Record<string, number> = {};
  for (const { counts } of rows) {
    const parsed = (typeof counts === 'string' ? JSON.parse(counts) : counts) as Record<string, Record<string, number>> | null;
    for (const [entity, outcomes] of Object.entries(parsed ?? {})) {
      for (const [outcome, n] of Object.entries(outcomes)) sum[`${entity}.${outcome}`] = (sum[`${entity}.${outcome}`] ?? 0) + n;
    }
  }
  return sum;
}

interface FleetRun {
  workers: number;
  wallMs: number;
  reports: WorkerChildReport[];
  accountsWithOneRun: number;
  duplicates: number;
  failed: number;
  outcomes: Record<string, number>;
}

async function runFleet(world: EngineWorld, accounts: readonly FleetAccount[], workers: number, kind: 'onboarding' | 'continuous'): Promise<FleetRun> {
  const since = new Date();
  const ids = accounts.map((a) => a.accountId);
  const started = await Promise.all(Array.from({ length: workers }, (_, w) => world.startWorker(ids, kind, since, Math.floor((w * ids.length) / workers))));
  const t0 = performance.now();
  for (const w of started) w.go();
  const reports = await Promise.all(started.map((w) => w.done));
  const wallMs = performance.now() - t0;
  const runs = await runsSince(world.knex, accounts, since);
  return {
    workers,
    wallMs,
    reports,
    accountsWithOneRun: runs.filter((n) => n === 1).length,
    duplicates: runs.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    failed: reports.reduce((sum, r) => sum + r.failed, 0),
    outcomes: await outcomesSince(world.knex, accounts, since),
  };
}

function describe(run: FleetRun, n: number): string {
  const sum = (f: (r: WorkerChildReport) => number): number => run.reports.reduce((s, r) => s + f(r), 0);
  return (
    `${run.workers} worker(s): ${n} accounts in ${(run.wallMs / 1000).toFixed(1)} s; synced ${run.reports.map((r) => r.synced).join('+')}, failed ${run.failed}, ` +
    `skipped ${sum((r) => r.skippedDone)} done + ${sum((r) => r.skippedLocked)} locked; accounts with exactly one run ${run.accountsWithOneRun}/${n}, duplicates ${run.duplicates}; ` +
    `worker CPU ${run.reports.map((r) => (r.cpuMs / 1000).toFixed(1)).join('/')} s, peak RSS ${run.reports.map((r) => r.peakRssMb.toFixed(0)).join('/')} MB; ` +
    `outcomes ${JSON.stringify(run.outcomes)}`
  );
}

export const benchmark: Benchmark = {
  name: 'fleet (engine, worker processes)',
  async run(ctx): Promise<Figure[]> {
    const n = accountCount();
    const world = await startEngineWorld({ latencyMs: 0 });
    const runs: FleetRun[] = [];
    try {
      const accounts = await smallAccounts(world, n);
      const setup = await runFleet(world, accounts, 4, 'onboarding');
      ctx.log(`  setup, onboarding (no latency): ${describe(setup, n)}`);
      if (setup.accountsWithOneRun !== n || setup.failed > 0) throw new Error(`setup: ${n - setup.accountsWithOneRun} accounts not onboarded once, ${setup.failed} failed`);
      for (const [night, workers] of WORKER_COUNTS.entries()) {
        world.sandbox.control.setLatency(0);
        await nightsChanges(world, accounts, night + 1);
        world.sandbox.control.setLatency(LATENCY_MS);
        const run = await runFleet(world, accounts, workers, 'continuous');
        const left = await pendingPushes(world.knex, accounts);
        ctx.log(`  ${describe(run, n)}; pushes left pending ${left}`);
        for (const error of run.reports.flatMap((r) => r.errors)) ctx.log(`    failed: ${error}`);
        const pushed = run.outcomes['client.updated_in_qbo'] ?? 0;
        const pulled = run.outcomes['client.updated_in_work'] ?? 0;
        if (run.accountsWithOneRun !== n || run.failed > 0 || left > 0 || pushed !== n || pulled !== n) {
          throw new Error(`${workers} workers: ${n - run.accountsWithOneRun} accounts without exactly one run, ${run.failed} failed runs, ${left} pushes pending, ${pushed}/${n} edits pushed, ${pulled}/${n} pulled`);
        }
        runs.push(run);
      }
    } finally {
      await world.close();
    }
    const time = (w: number): number => runs.find((r) => r.workers === w)?.wallMs ?? Number.NaN;
    const label = `fleet: nightly (continuous) sync of ${n} accounts, ${LATENCY_MS} ms per call`;
    return [
      ...runs.map((r) => figure(`fleet.wall_s.${r.workers}`, `${label}, ${r.workers} worker process${r.workers === 1 ? '' : 'es'}`, r.wallMs / 1000, 's')),
      figure('fleet.speedup_2_workers', 'fleet: speed-up at 2 workers', time(1) / time(2), '×'),
      figure('fleet.speedup_4_workers', `fleet: nightly sync of ${n} accounts, speed-up at 4 workers`, time(1) / time(4), '×', { op: '>=', bound: TARGET_SPEEDUP }, '2 cores shared'),
      figure('fleet.duplicate_runs', 'fleet: accounts synced twice in one night (all runs)', runs.reduce((s, r) => s + r.duplicates, 0), 'runs', { op: '<=', bound: 0 }),
    ];
  },
};
