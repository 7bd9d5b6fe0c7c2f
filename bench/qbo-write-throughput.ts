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
 */
import crypto from 'node:crypto';
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

const MINUTE_MS = 60_000;
const SINGLES_CEILING = MAX_REQUESTS_PER_MINUTE_PER_REALM;
const MIXED_CEILING = MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM * MAX_BATCH_ITEMS + (MAX_REQUESTS_PER_MINUTE_PER_REALM - MAX_BATCH_REQUESTS_PER_MINUTE_PER_REALM);

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

/** Hands out record numbers to workers: one at a time, or a batch's worth. */
class RecordQueue {
  private next = 0;
  constructor(readonly total: number) {}
  take(count: number): number[] {
    const start = this.next;
    this.next = Math.min(this.total, this.next + count);
    return Array.from({ length: this.next - start }, (_, i) => start + i);
  }
}

async function runMode(mode: 'singles' | 'mixed', opts: Options, h: SandboxClientHarness): Promise<Figures> {
  const run = crypto.randomUUID().slice(0, 8);
  const queue = new RecordQueue(opts.records);
  const name = (i: number): string => `Bench ${run} ${mode} ${i}`;
  let logicalCalls = 0;
  let failedRecords = 0;

  const singleWorker = async (): Promise<void> => {
    for (let [i] = queue.take(1); i !== undefined; [i] = queue.take(1)) {
      logicalCalls += 1;
      try {
        await createCustomer(h.client, h.realmId, { DisplayName: name(i) }, `bench:${run}:customer:${i}`);
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
        for (const result of results.values()) if (!result.ok) failedRecords += 1;
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

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
