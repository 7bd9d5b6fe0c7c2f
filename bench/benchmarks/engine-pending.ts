/**
 * The sync engine's figures (issue 11), which need the engine on main. Until then each is a row that says
 * so, never a number. When the engine lands, replace a row by a module of its own (bench/benchmarks/
 * onboarding-calls.ts, …) exporting `benchmark`, add it to BENCHMARKS in bench/run-all.ts, and drop the row
 * here. What each one measures is written beside it. Ready for them: bench/lib/floor.ts (callFloor over
 * dependency layers), bench/lib/process-usage.ts (CPU ms and sampled peak RSS around a run), the generated
 * data and its loaders (ctx.data(), bench/data/load-work.ts, bench/data/load-qbo.ts).
 */
import type { Benchmark } from '../lib/benchmark';
import { notMeasured, type Figure } from '../lib/figures';

const WHY = 'not measured yet (engine not on main)';

export const benchmark: Benchmark = {
  name: 'sync engine (pending)',
  run(ctx): Promise<Figure[]> {
    const size = ctx.size;
    return Promise.resolve([
      // Onboarding of the generated clients/sites against the generated QBO company: API calls ÷ floor, where
      // floor = Σ over dependency layers of ceil(reads / 1000) + ceil(writes / 30).
      notMeasured('onboarding.calls_vs_floor', `onboarding (${size}): API calls ÷ floor`, '×', { op: '<=', bound: 1.1 }, WHY),
      notMeasured('push.invoices.calls_vs_floor', `invoice push (${size}): API calls ÷ floor`, '×', { op: '<=', bound: 1.1 }, WHY),
      notMeasured('push.payments.calls_vs_floor', `payment push (${size}): API calls ÷ floor`, '×', { op: '<=', bound: 1.1 }, WHY),
      // process.cpuUsage() of the plugin's process over the run ÷ records synced.
      notMeasured('engine.cpu_ms_per_record', `plugin CPU per record (${size})`, 'ms', { op: '<=', bound: 0.5 }, WHY),
      // Peak RSS during the run; the S/M/L rows together show whether memory stays flat as data grows.
      notMeasured('engine.peak_rss_mb', `peak RSS during the sync (${size})`, 'MB', null, WHY),
      // Nightly sync of 500 accounts with 1, 2 and 4 worker processes against the sandbox with latency.
      notMeasured('fleet.speedup_4_workers', 'fleet: nightly sync of 500 accounts, speed-up at 4 workers', '×', { op: '>=', bound: 3.2 }, WHY),
    ]);
  },
};
