/**
 * The sync engine in a process of its own, for the benchmarks: the plugin registered on the Work host over
 * the benchmark's database (as the developer CLI does), talking HTTP to the sandbox that runs in the parent.
 * So this process's CPU and memory are the plugin's (and Work's host adapter's) alone, never the sandbox's.
 *
 *   sync --account <id> --kind onboarding|continuous|manual
 *       one run; prints one JSON line: the run's status and counts, CPU ms and peak RSS around the run.
 *   worker --accounts <id,id,…> --kind <kind> --since <ISO> --offset <n>
 *       a minimal bench-only worker loop (the real `work-qbo worker` is issue 10's): prints "ready", waits
 *       for "go" on stdin, then walks the accounts from `offset` round the list: an account whose last run
 *       started at or after `since` is done (or running elsewhere) and skipped; otherwise it syncs it, and
 *       the engine's per-account advisory lock (try-lock inside `sync`) turns a race with another worker
 *       into "already running", skipped too. Prints one JSON line with what it did.
 *
 * Reads DATABASE_URL and the QBO_* variables of `npm run work` (dev/cli/work-cli.ts).
 */
import express from 'express';
import knexFactory from 'knex';
import pino from 'pino';
import { parseArgs } from 'node:util';
import { devPluginOptions, endpointOverridesFromEnv } from '../../dev/dev-plugin-options';
import { LifecycleBus } from '../../dev/host/lifecycle-bus';
import { createWorkModels } from '../../dev/host/models/work-models';
import { createWorkHost } from '../../dev/host/work-host-adapter';
import { register } from '../../plugin/index';
import type { SyncRunKind } from '../../plugin/persistence/sync-run-repository';
import { measureProcess } from '../lib/process-usage';

export interface SyncChildReport {
  status: string;
  counts: Record<string, Record<string, number>>;
  cpuMs: number;
  peakRssMb: number;
  wallMs: number;
  error?: string;
}

export interface WorkerChildReport {
  synced: number;
  skippedDone: number;
  skippedLocked: number;
  failed: number;
  cpuMs: number;
  peakRssMb: number;
  wallMs: number;
  errors: string[];
}

const KINDS: readonly SyncRunKind[] = ['onboarding', 'continuous', 'manual'];

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes('go')) {
        process.stdin.pause();
        resolve();
      }
    });
  });
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { account: { type: 'string' }, accounts: { type: 'string' }, kind: { type: 'string', default: 'onboarding' }, since: { type: 'string' }, offset: { type: 'string', default: '0' } },
  });
  const kind = values.kind as SyncRunKind;
  if (!KINDS.includes(kind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 5 } });
  const bus = new LifecycleBus();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'error' }, pino.destination(2));
  const host = createWorkHost({ knex, bus, models: createWorkModels(knex, bus), pluginMounts: express.Router() });
  // The plugin's own schedules (drain every 2 s, nightly, webhook pulls) stay off: this process runs only
  // what the benchmark asks, so its figures are that work's and no schedule races the bench loop.
  const plugin = register(host, { ...devPluginOptions('http://localhost:3000', endpointOverridesFromEnv()), syncJobs: false }, { logger });
  await plugin.start();
  try {
    if (mode === 'sync') {
      const accountId = values.account;
      if (!accountId) throw new Error('--account is required');
      const usage = await measureProcess(() => plugin.sync.sync(accountId, { kind }));
      const r = usage.result;
      const report: SyncChildReport = {
        status: r.status,
        counts: r.status === 'finished' || r.status === 'failed' ? (r.run.counts as Record<string, Record<string, number>>) : {},
        cpuMs: usage.cpuMs,
        peakRssMb: usage.peakRssMb,
        wallMs: usage.wallMs,
        ...(r.status === 'failed' ? { error: r.error } : r.status === 'finished' ? {} : { error: r.message }),
      };
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    if (mode === 'worker') {
      const accounts = (values.accounts ?? '').split(',').filter((a) => a !== '');
      const since = new Date(values.since ?? '');
      if (accounts.length === 0 || Number.isNaN(since.getTime())) throw new Error('--accounts and --since are required');
      const offset = Number(values.offset) % accounts.length;
      process.stdout.write('ready\n');
      await waitForGo();
      const usage = await measureProcess(async () => {
        const report = { synced: 0, skippedDone: 0, skippedLocked: 0, failed: 0, errors: [] as string[] };
        for (let i = 0; i < accounts.length; i += 1) {
          const accountId = accounts[(offset + i) % accounts.length] ?? '';
          const last = (await plugin.sync.status(accountId)).run;
          if (last && last.started_at.getTime() >= since.getTime()) {
            report.skippedDone += 1;
            continue;
          }
          const result = await plugin.sync.sync(accountId, { kind });
          if (result.status === 'finished') report.synced += 1;
          else if (result.status === 'already_running') report.skippedLocked += 1;
          else {
            report.failed += 1;
            if (report.errors.length < 5) report.errors.push(`${accountId}: ${'error' in result ? result.error : result.message}`);
          }
        }
        return report;
      });
      const out: WorkerChildReport = { ...usage.result, cpuMs: usage.cpuMs, peakRssMb: usage.peakRssMb, wallMs: usage.wallMs };
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return;
    }
    throw new Error(`unknown mode ${JSON.stringify(mode)}: sync or worker`);
  } finally {
    await plugin.stop();
    await knex.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
