/**
 * Invoice and payment push (issue 12) as a run-all module: bench/invoice-push.ts's `run` (the stand-in, the
 * engine's continuous run, real HTTP, QBO's real limits, 150 ms per call) at the size's scale: M is issue
 * 12's 2,000 invoices and 1,500 payments, S a quarter of it and L five times it (the generator's S:M:L).
 * Calls against its floor (Σ over layers ceil(reads/1000) + ceil(writes/30)), target ≤ 1.1×, and the time.
 */
import { run } from '../invoice-push';
import type { Benchmark } from '../lib/benchmark';
import { figure, type Figure, type Size } from '../lib/figures';

const COUNTS: Readonly<Record<Size, { invoices: number; payments: number }>> = {
  S: { invoices: 500, payments: 375 },
  M: { invoices: 2000, payments: 1500 },
  L: { invoices: 10_000, payments: 7500 },
};

export const benchmark: Benchmark = {
  name: 'invoice/payment push (engine)',
  async run(ctx): Promise<Figure[]> {
    const { invoices, payments } = COUNTS[ctx.size];
    const f = await run({ invoices, payments, latencyMs: 150, log: (line) => ctx.log(`  ${line}`) });
    ctx.log(`  calls ${f.calls.total} (batch ${f.calls.batch}, query ${f.calls.query}, other ${f.calls.other}) vs floor ${f.floor.calls}; pushed ${f.pushedInvoices}/${invoices} invoices, ${f.pushedPayments}/${payments} payments`);
    if (f.pushedInvoices !== invoices || f.pushedPayments !== payments) throw new Error(`pushed ${f.pushedInvoices}/${invoices} invoices and ${f.pushedPayments}/${payments} payments`);
    const label = `push ${invoices.toLocaleString('en-US')} invoices + ${payments.toLocaleString('en-US')} payments`;
    return [
      figure('push.calls', `${label}: API calls`, f.calls.total, 'calls'),
      figure('push.floor', `${label}: floor Σ layers ceil(reads/1000)+ceil(writes/30)`, f.floor.calls, 'calls'),
      figure('push.calls_vs_floor', `${label}: API calls ÷ floor`, f.ratio, '×', { op: '<=', bound: 1.1 }),
      figure('push.wall_s', `${label}: wall time (150 ms per call)`, f.wallSeconds, 's'),
      figure('push.time_floor_s', `${label}: time floor at 40 batch calls a minute`, f.timeFloorSeconds, 's'),
    ];
  },
};
