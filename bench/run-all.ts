/**
 * `npm run bench [-- --size S|M|L] [--json FILE] [--seed N] [--only NAME] [--markdown]`: runs every benchmark
 * and prints ONE table (figure, value, unit, target, verdict); --markdown prints it as the README's table. Progress goes to stderr, the table to stdout. With
 * --json, every figure is also written to FILE with its name, value, unit and target.
 *
 * A benchmark is a module exporting `benchmark: Benchmark` (bench/lib/benchmark.ts): add it to BENCHMARKS.
 * Figures whose code is not on main yet (the sync engine's) are rows with no value that say so.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { migrateWork } from '../dev/host/migrate';
import { migratePlugin } from '../plugin/persistence/migrate';
import { closeTestDatabases, createScratchDatabase } from '../test/support/test-database';
import { DEFAULT_SEED, generate, parseSize, type GeneratedData } from './data/generator';
import { benchmark as invoicePush } from './benchmarks/invoice-push';
import { benchmark as fleet } from './benchmarks/fleet';
import { benchmark as hookOverhead } from './benchmarks/hook-overhead';
import { benchmark as peerPush } from './benchmarks/peer-invoice-push';
import type { Benchmark, BenchContext } from './lib/benchmark';
import { notMeasured, renderMarkdown, renderTable, toJson, type Figure } from './lib/figures';
import { benchmark as onboarding } from './onboarding-calls';
import { benchmark as paging } from './qbo-query-paging';
import { benchmark as writeThroughput } from './qbo-write-throughput';
import { benchmark as sandboxLarge } from './sandbox-large-company';
import { benchmark as saveLatency } from './save-to-qbo-latency';

export const BENCHMARKS: readonly Benchmark[] = [writeThroughput, peerPush, hookOverhead, paging, sandboxLarge, onboarding, fleet, invoicePush, saveLatency];

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: 'S' },
      json: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      only: { type: 'string' },
      markdown: { type: 'boolean', default: false },
    },
  });
  const size = parseSize(values.size);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${JSON.stringify(values.seed)}`);
  const selected = values.only === undefined ? BENCHMARKS : BENCHMARKS.filter((b) => b.name.includes(values.only ?? ''));
  if (selected.length === 0) throw new Error(`--only ${JSON.stringify(values.only)} matches none of: ${BENCHMARKS.map((b) => b.name).join('; ')}`);

  let data: GeneratedData | null = null;
  const ctx: BenchContext = {
    size,
    seed,
    data: () => (data ??= generate(size, seed)),
    async scratchDatabase(): Promise<Knex> {
      const { knex } = await createScratchDatabase();
      await migrateWork(knex);
      await migratePlugin(knex);
      return knex;
    },
    log,
  };

  const started = Date.now();
  const figures: Figure[] = [];
  log(`npm run bench: size ${size}, seed ${seed}, ${selected.length} benchmarks, ${os.cpus().length} CPUs`);
  try {
    for (const bench of selected) {
      const t = Date.now();
      log(`\n▶ ${bench.name}`);
      try {
        figures.push(...(await bench.run(ctx)));
      } catch (error: unknown) {
        // One broken benchmark must not hide the others' figures; its row says it failed.
        log(`  FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        figures.push(notMeasured(`${bench.name}.failed`, `${bench.name}`, '', null, `FAILED: ${error instanceof Error ? error.message : String(error)}`));
      }
      log(`  (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await closeTestDatabases();
  }
  const wallSeconds = (Date.now() - started) / 1000;
  console.log(`\nBenchmarks, size ${size} (seed ${seed}), ${new Date().toISOString().slice(0, 10)}, ${wallSeconds.toFixed(0)} s\n`);
  console.log(values.markdown ? renderMarkdown(figures) : renderTable(figures));
  if (values.json !== undefined) {
    fs.writeFileSync(values.json, toJson(figures, { size, seed, measuredAt: new Date().toISOString(), wallSeconds, cpus: os.cpus().length }));
    log(`\nfigures written to ${values.json}`);
  }
  if (figures.some((f) => f.note?.startsWith('FAILED'))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
