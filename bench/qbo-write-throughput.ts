/**
 * Write throughput of the plugin's QBO client against the in-process QBO sandbox with Intuit's REAL limits
 * (500 requests a minute, 10 at once, 40 batch calls a minute per realm) on a compressed clock, with a
 * per-call latency. Prints its figures; asserts nothing about time.
 *
 *   npm run bench:client -- [--records 3000] [--scale 5] [--latency 150] [--mode singles|mixed|both]
 *
 * --latency is in sandbox milliseconds per call (scaled down to real time like everything else). Keep the
 * scale low enough that the machine can make 500 calls in a sandbox minute (scale 5: 12 real seconds),
 * or the figures measure the CPU instead of the limits ("real calls / s" shows which). The
 * write intents live in a scratch PostgreSQL database (DATABASE_URL, else the embedded server), so every
 * write pays for its requestid as in production.
 *
 * Modes: "singles" creates every customer with its own POST /customer; "mixed" runs batch workers (30
 * creates per POST /batch) and single-call workers side by side, so the limiter can fill 40 batch calls
 * and the rest of the 500 a minute with singles (QBO-FACTS: about 40 × 30 + 460 = 1,660 writes a minute).
 *
 * `npm run bench` (bench/run-all.ts) runs `benchmark` below instead: the mixed strategy for a fixed run of
 * --minutes QBO-minutes (10 by default) with an unlimited supply of records, counting the writes that
 * completed inside that window (see sustainedRun).
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { parseArgs } from 'node:util';
import { runBatch, MAX_BATCH_ITEMS } from '../plugin/qbo/batch';
import { createCustomer } from '../plugin/qbo/entities/customer';
import {
  MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM,
  MAX_CONCURRENT_REQUESTS_PER_REALM,
  MAX_REQUESTS_PER_MINUTE_PER_REALM,
} from '../plugin/qbo/rate-limiter';
import { migratePlugin } from '../plugin/persistence/migrate';
import { busiestMinute, peakConcurrency, startSandboxClient, type SandboxClientHarness } from '../test/support/sandbox-qbo-client';
import { closeTestDatabases, createScratchDatabase } from '../test/support/test-database';
import type { Benchmark } from './lib/benchmark';
import { figure, type Figure } from './lib/figures';

const MINUTE_MS = 60_000;
const SINGLES_CEILING = MAX_REQUESTS_PER_MINUTE_PER_REALM;
export const MIXED_CEILING = MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM * MAX_BATCH_ITEMS + (MAX_REQUESTS_PER_MINUTE_PER_REALM - MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM);

interface Options {
  records: number;
  scale: number;
  latencySandboxMs: number;
  mode: 'singles' | 'mixed' | 'both';
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '3000' },
      scale: { type: 'string', default: '5' },
      latency: { type: 'string', default: '150' },
      mode: { type: 'string', default: 'both' },
    },
  });
  const mode = values.mode;
  if (mode !== 'singles' && mode !== 'mixed' && mode !== 'both') throw new Error('--mode is singles, mixed or both');
  return { records: Number(values.records), scale: Number(values.scale), latencySandboxMs: Number(values.latency), mode };
}

interface Figures {
  mode: string;
  records: number;
  created: number;
  failedRecords: number;
  logicalCalls: number;
  apiCalls: number;
  throttled: number;
  retries: number;
  peakConcurrency: number;
  busiestMinuteCalls: number;
  sandboxMs: number;
  wallMs: number;
  ceiling: number;
}

/** Hands out record numbers to workers: one at a time, or a batch's worth; none once `closed()` says so. */
class RecordQueue {
  private next = 0;
  constructor(
    readonly total: number,
    private readonly closed: () => boolean = () => false,
  ) {}
  take(count: number): number[] {
    if (this.closed()) return [];
    const start = this.next;
    this.next = Math.min(this.total, this.next + count);
    return Array.from({ length: this.next - start }, (_, i) => start + i);
  }
}

interface Drive {
  /** Stop handing out records at this sandbox time (a sustained run); none: when all are out. */
  stopAtSandboxMs?: number;
}

async function runMode(mode: 'singles' | 'mixed', opts: Options, h: SandboxClientHarness, drive: Drive = {}): Promise<Figures & { completedAt: number[] }> {
  const run = crypto.randomUUID().slice(0, 8);
  const stopAt = drive.stopAtSandboxMs;
  const queue = new RecordQueue(opts.records, () => stopAt !== undefined && h.sandbox.clock.nowMs() >= stopAt);
  const name = (i: number): string => `Bench ${run} ${mode} ${i}`;
  let logicalCalls = 0;
  let failedRecords = 0;
  /** Sandbox time at which each record's write came back created. */
  const completedAt: number[] = [];

  const singleWorker = async (): Promise<void> => {
    for (let [i] = queue.take(1); i !== undefined; [i] = queue.take(1)) {
      logicalCalls += 1;
      try {
        await createCustomer(h.client, h.realmId, { DisplayName: name(i) }, `bench:${run}:customer:${i}`);
        completedAt.push(h.sandbox.clock.nowMs());
      } catch {
        failedRecords += 1;
      }
    }
  };
  const batchWorker = async (): Promise<void> => {
    for (let part = queue.take(MAX_BATCH_ITEMS); part.length > 0; part = queue.take(MAX_BATCH_ITEMS)) {
      logicalCalls += 1;
      try {
        const results = await runBatch(
          h.client,
          h.realmId,
          part.map((i) => ({ bId: `c${i}`, operation: 'create' as const, entity: 'Customer', payload: { DisplayName: name(i) } })),
          `bench:${run}:batch:${part[0] ?? 0}`,
        );
        const now = h.sandbox.clock.nowMs();
        for (const result of results.values()) {
          if (result.ok) completedAt.push(now);
          else failedRecords += 1;
        }
      } catch {
        failedRecords += part.length;
      }
    }
  };

  // More workers than slots, so the limiter (not the driver) sets the pace.
  const workers: Promise<void>[] = [];
  if (mode === 'mixed') for (let w = 0; w < 4; w += 1) workers.push(batchWorker());
  for (let w = 0; w < MAX_CONCURRENT_REQUESTS_PER_REALM * 2; w += 1) workers.push(singleWorker());

  h.sandbox.control.clearRequests();
  const startedReal = Date.now();
  const startedSandbox = h.sandbox.clock.nowMs();
  await Promise.all(workers);
  const wallMs = Date.now() - startedReal;
  const sandboxMs = h.sandbox.clock.nowMs() - startedSandbox;

  const log = h.requests();
  const created = h.sandbox.store.all(h.realmId, 'Customer').filter((c) => String(c['DisplayName']).startsWith(`Bench ${run} ${mode} `)).length;
  return {
    mode,
    records: opts.records,
    created,
    failedRecords,
    logicalCalls,
    apiCalls: log.length,
    throttled: log.filter((r) => r.status === 429).length,
    retries: log.length - logicalCalls,
    peakConcurrency: peakConcurrency(log),
    busiestMinuteCalls: busiestMinute(log.map((r) => Date.parse(r.at))),
    sandboxMs,
    wallMs,
    ceiling: mode === 'singles' ? SINGLES_CEILING : MIXED_CEILING,
    completedAt,
  };
}

function print(f: Figures, opts: Options): void {
  const minutes = f.sandboxMs / MINUTE_MS;
  // A sliding window lets a full minute's budget go at once, so N records need (ceil(N / ceiling) - 1)
  // minutes at best, plus the last calls' latency.
  const idealMinutes = Math.max(0, Math.ceil(f.records / f.ceiling) - 1);
  const lines = [
    `mode                       ${f.mode === 'singles' ? 'one POST /customer per record' : `batch (${MAX_BATCH_ITEMS}/call) + singles, mixed`}`,
    `records                    ${f.records} (created in the sandbox: ${f.created}, failed: ${f.failedRecords})`,
    `records / sandbox-minute   ${(f.created / minutes).toFixed(0)}   (ceiling from QBO-FACTS: ${f.ceiling}; a run's average can top it: the first minute's budget goes at once)`,
    `API calls / sandbox-minute ${(f.apiCalls / minutes).toFixed(0)}   (limit ${MAX_REQUESTS_PER_MINUTE_PER_REALM})`,
    `API calls                  ${f.apiCalls} (${f.logicalCalls} calls, ${f.retries} retries)`,
    `429s received              ${f.throttled}`,
    `peak concurrency           ${f.peakConcurrency}   (limit ${MAX_CONCURRENT_REQUESTS_PER_REALM})`,
    `busiest sliding minute     ${f.busiestMinuteCalls} API calls`,
    `sandbox time               ${minutes.toFixed(2)} min   (best possible under the limits: ${idealMinutes} min + latency; ${idealMinutes > 0 ? `${((idealMinutes / minutes) * 100).toFixed(0)}% of it` : 'one window'})`,
    `wall time                  ${(f.wallMs / 1000).toFixed(1)} s (time scale ${opts.scale}; ${(f.apiCalls / (f.wallMs / 1000)).toFixed(0)} real calls / s)`,
  ];
  console.log(lines.join('\n'));
  console.log('');
}

export interface SustainedResult {
  minutes: number;
  /** Records created whose write came back inside the window [first call, first call + minutes). */
  writesInWindow: number;
  writesPerMinute: number;
  figures: Figures;
}

/**
 * The mixed strategy (batch workers and single workers side by side) for a fixed `minutes` of sandbox time
 * with more records than it can write. Only writes that came back inside the window count: workers still
 * waiting in the limiter when it closes carry records into the next minute's budget, which a run cut at a
 * record count would count as if they belonged to this one.
 */
export async function sustainedRun(knex: Knex, minutes: number, scale: number, latencySandboxMs: number): Promise<SustainedResult> {
  const h = await startSandboxClient(knex, { timeScale: scale, latencyMs: latencySandboxMs / scale });
  try {
    const windowMs = minutes * MINUTE_MS;
    const startedAt = h.sandbox.clock.nowMs();
    const opts: Options = { records: Math.ceil(minutes * MIXED_CEILING * 1.5), scale, latencySandboxMs, mode: 'mixed' };
    const figures = await runMode('mixed', opts, h, { stopAtSandboxMs: startedAt + windowMs });
    const writesInWindow = figures.completedAt.filter((at) => at < startedAt + windowMs).length;
    return { minutes, writesInWindow, writesPerMinute: writesInWindow / minutes, figures };
  } finally {
    await h.close();
  }
}

/** For `npm run bench`: writes per QBO-minute over a sustained run, beside 0.9 × the ceiling. */
export const benchmark: Benchmark = {
  name: 'write throughput (batches + singles, sustained)',
  async run(ctx): Promise<Figure[]> {
    const minutes = 10;
    const scale = 10;
    const latency = 150;
    ctx.log(`write throughput: ${minutes} QBO-minutes of customer creates, time scale ${scale} (≈ ${Math.round((minutes * 60) / scale)} s), ${latency} ms latency`);
    const knex = await ctx.scratchDatabase();
    const r = await sustainedRun(knex, minutes, scale, latency);
    const f = r.figures;
    const realCallsPerSecond = f.apiCalls / (f.wallMs / 1000);
    return [
      figure('throughput.writes_per_qbo_minute', `writes per QBO-minute over ${minutes} QBO-minutes (ceiling ~${MIXED_CEILING.toLocaleString('en-US')})`, Math.round(r.writesPerMinute), 'writes/min', { op: '>=', bound: 0.9 * MIXED_CEILING }),
      figure('throughput.writes_in_window', `customers created inside the ${minutes}-minute window (batch items + singles)`, r.writesInWindow, 'writes'),
      figure('throughput.share_of_ceiling', 'write throughput ÷ ceiling', r.writesPerMinute / MIXED_CEILING, '×', { op: '>=', bound: 0.9 }),
      figure('throughput.busiest_minute_calls', 'busiest sliding minute (API calls)', f.busiestMinuteCalls, 'calls', { op: '<=', bound: MAX_REQUESTS_PER_MINUTE_PER_REALM }),
      figure('throughput.failed_writes', 'writes that failed in the throughput run', f.failedRecords, 'writes', { op: '<=', bound: 0 }),
      figure('throughput.throttled', '429s received in the throughput run', f.throttled, 'responses', { op: '<=', bound: 0 }),
      figure('throughput.peak_concurrency', 'peak concurrent requests', f.peakConcurrency, 'requests', { op: '<=', bound: MAX_CONCURRENT_REQUESTS_PER_REALM }),
      figure('throughput.real_calls_per_second', 'throughput run: real calls per second (machine load check)', Math.round(realCallsPerSecond), 'calls/s', null, `time scale ${scale}`),
    ];
  },
};

async function main(): Promise<void> {
  const opts = options();
  const { knex } = await createScratchDatabase();
  try {
    await migratePlugin(knex);
    console.log(
      `QBO write throughput: ${opts.records} customer creates, sandbox limits 500/min, 10 concurrent, 40 batch/min; ` +
        `time scale ${opts.scale}; latency ${opts.latencySandboxMs} sandbox ms per call\n`,
    );
    const modes: ('singles' | 'mixed')[] = opts.mode === 'both' ? ['singles', 'mixed'] : [opts.mode];
    for (const mode of modes) {
      // A fresh sandbox per mode: empty windows, empty log.
      const h = await startSandboxClient(knex, { timeScale: opts.scale, latencyMs: opts.latencySandboxMs / opts.scale });
      try {
        print(await runMode(mode, opts, h), opts);
      } finally {
        await h.close();
      }
    }
  } finally {
    await closeTestDatabases();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
