/**
 * Onboarding: the plugin's sync engine (in a child process, bench/engine/engine-process.ts) onboards a Work
 * account against a QBO sandbox company over HTTP with QBO's limits and latency per call. Figures: API calls
 * against the floor Σ over dependency layers of ceil(reads/1000) + ceil(writes/30) (target ≤ 1.1×), time,
 * the engine process's CPU per record (target ≤ 0.5 ms; the sandbox runs in this process, so its CPU is not
 * counted) and its peak RSS.
 *
 * As a run-all module (`npm run bench -- --only onboarding`): the generator's data of the chosen size, and
 * for the memory figures also every smaller size (S and M always, L only at --size L), so the RSS per size
 * shows whether memory stays flat as the data grows. Standalone, with its own synthetic data:
 *
 *   npm run bench:onboarding [-- --clients 1000 --customers 1000 --matching 500 --latency 150]
 *
 * Needs a PostgreSQL (DATABASE_URL, else the embedded one). Asserts nothing about time.
 */
import { parseArgs } from 'node:util';
import type { QboObject } from '../dev/qbo-sandbox/contracts';
import { closeTestDatabases } from '../test/support/test-database';
import { generate } from './data/generator';
import { loadQbo } from './data/load-qbo';
import { loadWork } from './data/load-work';
import { startEngineWorld, type EngineWorld } from './engine/engine-world';
import type { Benchmark } from './lib/benchmark';
import { figure, type Figure, type Size } from './lib/figures';
import { callFloor, type Layer } from './lib/floor';

const TARGET_RATIO = 1.1;
const TARGET_CPU_MS = 0.5;
const LATENCY_MS = 150;

export interface OnboardingMeasure {
  calls: number;
  reads: number;
  batchWrites: number;
  otherWrites: number;
  not200: number;
  layers: Layer[];
  floor: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /** Records the run handled: Work clients and sites, QBO customers (every status) read. */
  records: number;
  counts: Record<string, Record<string, number>>;
}

const isSub = (c: QboObject): boolean => c['ParentRef'] !== undefined && c['ParentRef'] !== null;

/**
 * Onboard `accountId` in a child engine process and count the realm's API calls. The floor's layers come
 * from the sandbox's state, not from the engine's word: customers read (every status, one query), vendor and
 * employee names read, top-level customers created or changed, then sub-customers created or changed.
 */
export async function measureOnboarding(world: EngineWorld, accountId: string, realmId: string, workRecords: number): Promise<OnboardingMeasure> {
  const control = world.sandbox.control;
  const before = new Map(control.objects(realmId, 'Customer').map((c) => [String(c['Id']), String(c['SyncToken'])]));
  const vendors = control.objects(realmId, 'Vendor').length;
  const employees = control.objects(realmId, 'Employee').length;
  control.clearRequests();
  const report = await world.runSync(accountId, 'onboarding');
  if (report.status !== 'finished') throw new Error(`onboarding did not finish: ${report.status} ${report.error ?? ''}`);
  const written = control.objects(realmId, 'Customer').filter((c) => before.get(String(c['Id'])) !== String(c['SyncToken']));
  const layers: Layer[] = [
    { name: 'customers', reads: before.size, writes: written.filter((c) => !isSub(c)).length },
    { name: 'vendors', reads: vendors, writes: 0 },
    { name: 'employees', reads: employees, writes: 0 },
    { name: 'sub-customers', reads: 0, writes: written.filter(isSub).length },
  ];
  const calls = control.requests({ realmId });
  const batchWrites = calls.filter((c) => c.method === 'POST' && c.path.includes('/batch')).length;
  return {
    calls: calls.length,
    reads: calls.filter((c) => c.method === 'GET').length,
    batchWrites,
    otherWrites: calls.filter((c) => c.method === 'POST').length - batchWrites,
    not200: calls.filter((c) => c.status !== 200).length,
    layers,
    floor: callFloor(layers),
    wallMs: report.wallMs,
    cpuMs: report.cpuMs,
    peakRssMb: report.peakRssMb,
    records: workRecords + before.size,
    counts: report.counts,
  };
}

/** Records whose outcome was "failed", over every entity of the run's counts. */
export function failedRecords(m: Pick<OnboardingMeasure, 'counts'>): number {
  return Object.values(m.counts).reduce((sum, outcomes) => sum + (outcomes['failed'] ?? 0), 0);
}

function describe(m: OnboardingMeasure): string {
  const layers = m.layers.map((l) => `${l.name} ${l.reads}r/${l.writes}w`).join(', ');
  return `${m.calls} calls (${m.reads} reads, ${m.batchWrites} batch + ${m.otherWrites} other writes, ${m.not200} not 200) vs floor ${m.floor} [${layers}]; ${(m.wallMs / 1000).toFixed(1)} s; CPU ${m.cpuMs.toFixed(0)} ms for ${m.records} records; peak RSS ${m.peakRssMb.toFixed(0)} MB; outcomes ${JSON.stringify(m.counts)}`;
}

/** The generator's data of one size, loaded into a fresh world, onboarded. */
async function onboardGenerated(size: Size, seed: number, log: (line: string) => void): Promise<OnboardingMeasure> {
  const world = await startEngineWorld({ latencyMs: LATENCY_MS });
  try {
    const data = generate(size, seed);
    const work = await loadWork(world.knex, data);
    const { realmId } = await world.connectAccount(data.work.accountName, work.accountId);
    loadQbo(world.sandbox.control, realmId, data);
    const m = await measureOnboarding(world, work.accountId, realmId, work.rows.clients + work.rows.sites);
    log(`  ${size}: ${describe(m)}`);
    // Why records failed, so a failure is a lead, not just a count.
    const reasons = await world.knex('qbo_sync_log')
      .where({ account_id: work.accountId, outcome: 'failed' })
      .groupBy('entity', 'reason_code', 'fault_code')
      .select('entity', 'reason_code', 'fault_code')
      .count<{ entity: string; reason_code: string | null; fault_code: string | null; n: string }[]>({ n: '*' });
    for (const r of reasons) log(`    failed: ${r.n} ${r.entity} (${r.reason_code ?? '-'}, QBO fault ${r.fault_code ?? '-'})`);
    return m;
  } finally {
    await world.close();
  }
}

const SIZES_UP_TO: Readonly<Record<Size, readonly Size[]>> = { S: ['S', 'M'], M: ['S', 'M'], L: ['S', 'M', 'L'] };

export const benchmark: Benchmark = {
  name: 'onboarding (engine)',
  async run(ctx): Promise<Figure[]> {
    const bySize = new Map<Size, OnboardingMeasure>();
    for (const size of SIZES_UP_TO[ctx.size]) bySize.set(size, await onboardGenerated(size, ctx.seed, ctx.log));
    const m = bySize.get(ctx.size);
    if (!m) throw new Error(`no onboarding measure for ${ctx.size}`);
    const s = ctx.size;
    const figures: Figure[] = [
      figure('onboarding.calls', `onboarding (${s}): API calls`, m.calls, 'calls'),
      figure('onboarding.floor', `onboarding (${s}): floor Σ layers ceil(reads/1000)+ceil(writes/30)`, m.floor, 'calls'),
      figure('onboarding.calls_vs_floor', `onboarding (${s}): API calls ÷ floor`, m.calls / m.floor, '×', { op: '<=', bound: TARGET_RATIO }),
      figure('onboarding.wall_s', `onboarding (${s}): wall time (${LATENCY_MS} ms per call)`, m.wallMs / 1000, 's'),
      figure('onboarding.failed_records', `onboarding (${s}): records that failed (logged for retry)`, failedRecords(m), 'records', { op: '<=', bound: 0 }),
    ];
    for (const [size, each] of bySize) {
      figures.push(
        figure(`engine.cpu_ms_per_record.${size}`, `plugin CPU per record, onboarding ${size} (${each.records} records)`, each.cpuMs / each.records, 'ms', { op: '<=', bound: TARGET_CPU_MS }),
        figure(`engine.peak_rss_mb.${size}`, `plugin peak RSS, onboarding ${size}`, each.peakRssMb, 'MB'),
      );
    }
    const small = bySize.get('S');
    const large = bySize.get(ctx.size === 'L' ? 'L' : 'M');
    if (small && large) {
      const largest = ctx.size === 'L' ? 'L' : 'M';
      figures.push(figure(`engine.peak_rss_ratio.${largest}_vs_S`, `plugin peak RSS ${largest} ÷ S (data ${(large.records / small.records).toFixed(0)}× larger)`, large.peakRssMb / small.peakRssMb, '×'));
    }
    return figures;
  },
};

/** The standalone command: synthetic clients and customers (a share matching by name and email). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '1000' },
      customers: { type: 'string', default: '1000' },
      matching: { type: 'string', default: '500' },
      latency: { type: 'string', default: String(LATENCY_MS) },
    },
  });
  const nClients = Number(values.clients);
  const nCustomers = Number(values.customers);
  const nMatching = Number(values.matching);
  const latencyMs = Number(values.latency);
  const world = await startEngineWorld({ latencyMs });
  try {
    const name = (i: number) => `Bench Company ${String(i).padStart(5, '0')}`;
    const { accountId, realmId } = await world.connectAccount('Onboarding Bench');
    const rows = Array.from({ length: nClients }, (_, i) => ({ account_id: accountId, company_name: name(i), email: `c${i}@bench.test`, phone: `555-${String(i).padStart(4, '0')}`, active: true }));
    for (let i = 0; i < rows.length; i += 1000) await world.knex('clients').insert(rows.slice(i, i + 1000));
    world.sandbox.control.bulkLoad(
      realmId,
      'Customer',
      Array.from({ length: nCustomers }, (_, j) => {
        const i = j < nMatching ? j : nClients + j;
        return { DisplayName: name(i), CompanyName: name(i), Active: true, PrimaryEmailAddr: { Address: `c${i}@bench.test` }, PrimaryPhone: { FreeFormNumber: `555-${String(i).padStart(4, '0')}` } };
      }),
    );
    const m = await measureOnboarding(world, accountId, realmId, nClients);
    console.log(`Onboarding: ${nClients} Work clients, ${nCustomers} QBO customers (${nMatching} matching), latency ${latencyMs} ms per call\n`);
    console.log(
      [
        `outcomes                   ${JSON.stringify(m.counts)}`,
        `floor layers               ${m.layers.map((l) => `${l.name}: ${l.reads} reads, ${l.writes} writes`).join('; ')}`,
        `API calls                  ${m.calls} (${m.reads} reads, ${m.batchWrites} batch writes, ${m.otherWrites} other writes; ${m.not200} not 200)`,
        `floor                      ${m.floor} = Σ over layers ceil(reads/1000) + ceil(writes/30)`,
        `calls / floor              ${(m.calls / m.floor).toFixed(2)} (target ≤ ${TARGET_RATIO})`,
        `wall time                  ${(m.wallMs / 1000).toFixed(2)} s`,
        `engine CPU per record      ${(m.cpuMs / m.records).toFixed(3)} ms (target ≤ ${TARGET_CPU_MS}; ${m.records} records)`,
        `engine peak RSS            ${m.peakRssMb.toFixed(0)} MB`,
      ].join('\n'),
    );
  } finally {
    await world.close();
    await closeTestDatabases();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
