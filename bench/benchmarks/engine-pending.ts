/**
 * The engine's figures whose flows are not on main yet (the invoice and payment pushes, issue 12): a row that
 * says so, never a number. Onboarding, CPU per record, RSS per size (bench/onboarding-calls.ts) and the fleet
 * (bench/benchmarks/fleet.ts) are measured. When a flow lands, replace its row by a module of its own
 * exporting `benchmark`, add it to BENCHMARKS in bench/run-all.ts, and drop the row here. Ready for them:
 * bench/lib/floor.ts (callFloor over dependency layers), bench/engine/engine-world.ts (sandbox, database,
 * connected accounts, the engine in a child process), the generated data and its loaders.
 */
import type { Benchmark } from '../lib/benchmark';
import { notMeasured, type Figure } from '../lib/figures';

const WHY = 'not measured yet (invoice/payment flows not on main)';

export const benchmark: Benchmark = {
  name: 'invoice/payment push (pending)',
  run(ctx): Promise<Figure[]> {
    const size = ctx.size;
    return Promise.resolve([
      // Invoice and payment pushes (issue 12's flows, branch flows12): API calls ÷ floor over the layers
      // customers → items → invoices → payments, floor = Σ ceil(reads / 1000) + ceil(writes / 30).
      notMeasured('push.invoices.calls_vs_floor', `invoice push (${size}): API calls ÷ floor`, '×', { op: '<=', bound: 1.1 }, WHY),
      notMeasured('push.payments.calls_vs_floor', `payment push (${size}): API calls ÷ floor`, '×', { op: '<=', bound: 1.1 }, WHY),
    ]);
  },
};
