/**
 * The sandbox must not be what the sync benchmarks measure: a create into a company of 50,000 records
 * should take about as long as into an empty one (names, invoice numbers, a customer's transactions and
 * sub-customers are looked up in the store's indexes, never by scanning a list). This times creates over
 * real HTTP into an empty company and into one bulk-loaded with --records records, and prints both beside
 * the target. Asserts nothing about time.
 *
 *   npm run bench:sandbox [-- --records 50000 --creates 300]
 *
 * `npm run bench` runs `benchmark` below (50,000 records, 300 creates).
 */
import { parseArgs } from 'node:util';
import { startSandbox, type RunningSandbox } from '../dev/qbo-sandbox/server';
import type { QboObject } from '../dev/qbo-sandbox/contracts';
import type { Benchmark } from './lib/benchmark';
import { figure, type Figure } from './lib/figures';

/** "About as long": the large company's median create may take at most this many times the empty one's. */
const TARGET_RATIO = 1.5;

interface Timing {
  medianMs: number;
  p95Ms: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
}

/** Bulk-loads a company like a large field-service customer: customers (some sub-customers), vendors, invoices, payments. */
function fill(sandbox: RunningSandbox, realmId: string, records: number): number {
  const customers = Math.floor(records * 0.5);
  const vendors = Math.floor(records * 0.1);
  const invoices = Math.floor(records * 0.3);
  const payments = records - customers - vendors - invoices;
  const load = (entity: 'Customer' | 'Vendor' | 'Invoice' | 'Payment', objects: QboObject[]) => sandbox.store.bulkLoad(realmId, entity, objects);
  const loadedCustomers = load('Customer', Array.from({ length: customers }, (_, i) => {
    const parent = i % 10 === 9 ? { Job: true, ParentRef: { value: String(i) } } : {};
    return { DisplayName: `Large Customer ${String(i).padStart(6, '0')}`, CompanyName: `Large Customer ${i}`, Active: i % 50 !== 0, Balance: 0, BalanceWithJobs: 0, ...parent };
  }));
  load('Vendor', Array.from({ length: vendors }, (_, i) => ({ DisplayName: `Large Vendor ${String(i).padStart(6, '0')}`, Active: true })));
  const customerId = (i: number) => String(loadedCustomers[i % loadedCustomers.length]?.['Id'] ?? '1');
  const loadedInvoices = load('Invoice', Array.from({ length: invoices }, (_, i) => ({
    DocNumber: String(1001 + i), CustomerRef: { value: customerId(i) }, TxnDate: '2026-11-01', TotalAmt: 100, Balance: 100,
    Line: [{ Amount: 100, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 100 } }],
  })));
  load('Payment', Array.from({ length: payments }, (_, i) => ({
    CustomerRef: { value: customerId(i) }, TotalAmt: 10, UnappliedAmt: 0,
    Line: [{ Amount: 10, LinkedTxn: [{ TxnId: String(loadedInvoices[i]?.['Id'] ?? '1'), TxnType: 'Invoice' }] }],
  })));
  return customers + vendors + invoices + payments;
}

async function timeCreates(sandbox: RunningSandbox, realmId: string, label: string, creates: number): Promise<{ customer: Timing; invoice: Timing }> {
  const token = sandbox.issueAccessToken(realmId);
  const post = async (path: string, body: unknown): Promise<QboObject> => {
    const res = await fetch(`${sandbox.baseUrl}/v3/company/${realmId}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as QboObject;
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    return answer;
  };
  const customerTimes: number[] = [];
  const invoiceTimes: number[] = [];
  const warmUp = 30;
  for (let i = 0; i < creates + warmUp; i += 1) {
    let started = performance.now();
    const created = await post('/customer', { DisplayName: `${label} bench ${i}`, CompanyName: `${label} bench ${i}`, PrimaryEmailAddr: { Address: `b${i}@example.com` } });
    const customerMs = performance.now() - started;
    const customer = created['Customer'] as QboObject;
    started = performance.now();
    await post('/invoice', { CustomerRef: { value: customer['Id'] }, Line: [{ Amount: 25, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 25, TaxCodeRef: { value: 'NON' } } }] });
    const invoiceMs = performance.now() - started;
    if (i >= warmUp) {
      customerTimes.push(customerMs);
      invoiceTimes.push(invoiceMs);
    }
  }
  return { customer: timing(customerTimes), invoice: timing(invoiceTimes) };
}

export interface LargeCompanyResult {
  loaded: number;
  loadMs: number;
  small: { customer: Timing; invoice: Timing };
  big: { customer: Timing; invoice: Timing };
  counts: { calls: number; writes: number; throttled: number; peakConcurrency: number };
}

export async function measureLargeCompany(records: number, creates: number): Promise<LargeCompanyResult> {
  const sandbox = await startSandbox({ limits: { perMinute: 1_000_000, batchPerMinute: 1_000_000, concurrent: 1000 } });
  try {
    const empty = sandbox.store.createCompany({ companyName: 'Bench Empty', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false });
    const large = sandbox.store.createCompany({ companyName: 'Bench Large', country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false });
    const loadStarted = performance.now();
    const loaded = fill(sandbox, large.realmId, records);
    const loadMs = performance.now() - loadStarted;
    const small = await timeCreates(sandbox, empty.realmId, 'Empty', creates);
    const big = await timeCreates(sandbox, large.realmId, 'Large', creates);
    return { loaded, loadMs, small, big, counts: sandbox.control.requestCounts(large.realmId) };
  } finally {
    await sandbox.close();
  }
}

const ratio = (a: Timing, b: Timing): number => b.medianMs / Math.max(a.medianMs, 0.001);

/** For `npm run bench`: the sandbox is not what the sync benchmarks measure (same at every size). */
export const benchmark: Benchmark = {
  name: 'sandbox large company',
  async run(ctx): Promise<Figure[]> {
    const records = 50_000;
    const creates = 300;
    ctx.log(`sandbox large company: ${records} bulk-loaded records, ${creates} timed creates each`);
    const r = await measureLargeCompany(records, creates);
    return [
      figure('sandbox.customer_create_large_vs_empty', `sandbox: customer create, ${records.toLocaleString('en-US')}-record company ÷ empty (median)`, ratio(r.small.customer, r.big.customer), '×', { op: '<=', bound: TARGET_RATIO }),
      figure('sandbox.invoice_create_large_vs_empty', 'sandbox: invoice create, large ÷ empty (median)', ratio(r.small.invoice, r.big.invoice), '×', { op: '<=', bound: TARGET_RATIO }),
    ];
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { records: { type: 'string', default: '50000' }, creates: { type: 'string', default: '300' } } });
  const records = Number(values.records);
  const creates = Number(values.creates);
  const r = await measureLargeCompany(records, creates);
  const row = (what: string, a: Timing, b: Timing) => {
    const x = ratio(a, b);
    return `${what.padEnd(18)} ${a.medianMs.toFixed(2).padStart(7)} / ${a.p95Ms.toFixed(2).padStart(7)}   ${b.medianMs.toFixed(2).padStart(7)} / ${b.p95Ms.toFixed(2).padStart(7)}   ${x.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${x <= TARGET_RATIO ? 'met' : 'MISSED'})`;
  };
  console.log(`QBO sandbox, large company: ${r.loaded.toLocaleString('en-US')} bulk-loaded records (loaded in ${(r.loadMs / 1000).toFixed(1)} s), ${creates} timed creates each after 30 warm-up\n`);
  console.log(
    [
      `create over HTTP   empty: median / p95 ms   large: median / p95 ms   large ÷ empty`,
      row('customer', r.small.customer, r.big.customer),
      row('invoice', r.small.invoice, r.big.invoice),
      '',
      `request totals in the large company: ${r.counts.calls} calls, ${r.counts.writes} writes, ${r.counts.throttled} × 429, peak ${r.counts.peakConcurrency} concurrent`,
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
