/**
 * The contract every benchmark module meets, so bench/run-all.ts can run them all and the sync engine's
 * benchmarks plug in as more modules: `export const benchmark: Benchmark = { name, run(ctx) }`.
 */
import type { Knex } from 'knex';
import type { GeneratedData } from '../data/generator';
import type { Figure, Size } from './figures';

export interface BenchContext {
  size: Size;
  seed: number;
  /** The generated data for this size and seed (generated once per run, shared read-only). */
  data(): GeneratedData;
  /** A new scratch database on the test server (DATABASE_URL, else embedded), migrated for Work and the plugin. */
  scratchDatabase(): Promise<Knex>;
  /** A progress line (stderr), so the table on stdout stays clean. */
  log(line: string): void;
}

export interface Benchmark {
  /** Short name, printed while it runs. */
  name: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}
