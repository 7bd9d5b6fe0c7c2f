/**
 * Time from a save in Work to its create in QuickBooks, with an idle queue and nobody pressing anything:
 * the Work stand-in with the plugin's schedules on (the drain every 2 s, as shipped), the in-process QBO
 * sandbox with its limits and a latency per call, a real PostgreSQL. Each save is a new Work invoice of a
 * linked client (`--entity invoice`, the default here) or a new Work client (`--entity client`, what `npm run
 * bench` measures). The
 * clock starts just before the model's save (its transaction queues the row) and stops when the customer is
 * in the sandbox's store (polled every 5 ms). Before each save the queue is idle and a random pause (0–2 s,
 * seeded) puts the save at a random point of the drain's cycle.
 *
 *   npm run bench:latency [-- --saves 200 --latency 150 --seed 7 --entity invoice|client]
 *
 * `npm run bench` runs `benchmark` below (200 saves at sizes M and L, 50 at S). Asserts nothing about time.
 */
import { parseArgs } from 'node:util';
import { startWorld, type World } from '../test/integration/connect-sandbox-support';
import { client, newSyncAccount, syncNow, type QboObject } from '../test/integration/sync-support';
import { addInvoice, invoiceAccount, line } from '../test/integration/sync-invoices-support';
import { closeTestDatabases } from '../test/support/test-database';
import { Prng } from './data/prng';
import type { Benchmark } from './lib/benchmark';
import { figure, type Figure } from './lib/figures';

/** "Within seconds": a save should be in QuickBooks within this many ms at the 95th percentile. */
const TARGET_P95_MS = 5_000;
const POLL_MS = 5;
const GIVE_UP_MS = 60_000;

/** What each save is: a new Work client (→ QBO Customer) or a new invoice of a linked client (→ QBO Invoice). */
export type SavedEntity = 'client' | 'invoice';

export interface LatencyResult {
  entity: SavedEntity;
  saves: number;
  latencyPerCallMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  minMs: number;
  wallSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

async function queueIdle(world: World, accountId: string): Promise<boolean> {
  return (await world.knex('qbo_outbox').where({ account_id: accountId }).whereIn('status', ['pending', 'processing']).first('id')) === undefined;
}

export async function measureSaveLatency(opts: { saves: number; latencyMs: number; seed: number; entity?: SavedEntity; log?: (line: string) => void }): Promise<LatencyResult> {
  const entity = opts.entity ?? 'client';
  const log = opts.log ?? (() => undefined);
  const prng = new Prng(opts.seed);
  const started = Date.now();
  const world = await startWorld({ autoApprove: true, pluginOptions: { syncJobs: true, logLevel: 'warn' } });
  try {
    // Invoices: custom transaction numbers on, so each QBO invoice carries the Work number it came from.
    const invoices = entity === 'invoice' ? await invoiceAccount(world, { customTxnNumbers: true, payments: false }) : null;
    const account = invoices ?? (await newSyncAccount(world, 'Latency Bench'));
    if (entity === 'client') await syncNow(world, account.accountId, 'onboarding');
    world.sandbox.control.setLatency(opts.latencyMs);
    const qboType = entity === 'invoice' ? 'Invoice' : 'Customer';
    const seen = new Set(world.sandbox.control.objects(account.realmId, qboType).map((c) => String(c['Id'])));
    const nameField = entity === 'invoice' ? 'DocNumber' : 'DisplayName';
    const save = async (i: number, name: string): Promise<void> => {
      if (invoices) await addInvoice(world, invoices, [line('2', '45.5000')], { number: name });
      else await world.work.models.clients.create(account.accountId, client(name, { email: `l${i}@latency.test` }));
    };
    const samples: number[] = [];
    for (let i = 0; i < opts.saves; i += 1) {
      while (!(await queueIdle(world, account.accountId))) await sleep(20);
      await sleep(prng.int(0, 2000));
      const name = entity === 'invoice' ? `LAT-${String(i).padStart(4, '0')}` : `Latency Client ${String(i).padStart(4, '0')}`;
      const t0 = performance.now();
      await save(i, name);
      for (;;) {
        const created = world.sandbox.control.objects(account.realmId, qboType).find((c: QboObject) => !seen.has(String(c['Id'])) && c[nameField] === name);
        if (created) {
          seen.add(String(created['Id']));
          break;
        }
        if (performance.now() - t0 > GIVE_UP_MS) throw new Error(`save ${i} did not reach QuickBooks within ${GIVE_UP_MS / 1000} s`);
        await sleep(POLL_MS);
      }
      samples.push(performance.now() - t0);
      if ((i + 1) % 25 === 0) log(`  ${i + 1}/${opts.saves} saves`);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      entity,
      saves: samples.length,
      latencyPerCallMs: opts.latencyMs,
      medianMs: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: sorted[sorted.length - 1] ?? NaN,
      minMs: sorted[0] ?? NaN,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await world.close();
  }
}

function figuresOf(r: LatencyResult): Figure[] {
  const target = { op: '<=' as const, bound: TARGET_P95_MS / 1000 };
  const what = `${r.entity} save → QBO create, idle queue, ${r.saves} saves, ${r.latencyPerCallMs} ms per call`;
  return [
    figure('latency.save_to_qbo.median_s', `${what}: median`, Number((r.medianMs / 1000).toFixed(3)), 's', null, 'within seconds'),
    figure('latency.save_to_qbo.p95_s', `${what}: 95th percentile`, Number((r.p95Ms / 1000).toFixed(3)), 's', target, 'within seconds'),
  ];
}

export const benchmark: Benchmark = {
  name: 'save to QuickBooks latency',
  async run(ctx) {
    const r = await measureSaveLatency({ saves: ctx.size === 'S' ? 50 : 200, latencyMs: 150, seed: ctx.seed, log: ctx.log });
    return figuresOf(r);
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { saves: { type: 'string', default: '200' }, latency: { type: 'string', default: '150' }, seed: { type: 'string', default: '7' }, entity: { type: 'string', default: 'invoice' } } });
  const entity = values.entity;
  if (entity !== 'client' && entity !== 'invoice') throw new Error('--entity must be client or invoice');
  const saves = Number(values.saves);
  const latencyMs = Number(values.latency);
  const seed = Number(values.seed);
  if (!Number.isInteger(saves) || saves < 1 || !Number.isFinite(latencyMs) || latencyMs < 0 || !Number.isInteger(seed)) {
    throw new Error('--saves must be a whole number ≥ 1, --latency a number of ms ≥ 0, --seed a whole number');
  }
  const r = await measureSaveLatency({ saves, latencyMs, seed, entity, log: (text) => process.stderr.write(`${text}\n`) });
  console.log(`Save in Work → create in QuickBooks, idle queue, nobody pressing anything (drain every 2 s)`);
  console.log(`${r.saves} ${r.entity} saves, sandbox latency ${r.latencyPerCallMs} ms per call, ${r.wallSeconds.toFixed(0)} s wall\n`);
  console.log(`  median            ${(r.medianMs / 1000).toFixed(2)} s`);
  console.log(`  95th percentile   ${(r.p95Ms / 1000).toFixed(2)} s    target: within seconds (≤ ${TARGET_P95_MS / 1000} s) — ${r.p95Ms <= TARGET_P95_MS ? 'met' : 'MISSED'}`);
  console.log(`  min / max         ${(r.minMs / 1000).toFixed(2)} s / ${(r.maxMs / 1000).toFixed(2)} s`);
}

if (require.main === module) {
  main()
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    .finally(() => closeTestDatabases());
}
