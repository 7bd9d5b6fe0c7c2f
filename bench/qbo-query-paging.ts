/**
 * Read throughput of the plugin's paging iterator (ORDERBY Id, 1000 rows a page) against the in-process
 * QBO sandbox with its real limits, after bulk-loading customers (not counted as API calls). Prints its
 * figures; asserts nothing about time.
 *
 *   npx tsx bench/qbo-query-paging.ts [--records 10000] [--latency 150]
 *
 * `npm run bench` runs `benchmark` below (10,000 customers, 150 ms).
 *
 * --latency is real milliseconds per call (the sandbox runs at time scale 1 here: reading is bound by
 * latency and parsing, not by the 500 a minute, since 10,000 rows are only 10 calls).
 */
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { customers } from '../plugin/qbo/entities/customer';
import { migratePlugin } from '../plugin/persistence/migrate';
import { startSandboxClient } from '../test/support/sandbox-qbo-client';
import { closeTestDatabases, createScratchDatabase } from '../test/support/test-database';
import type { Benchmark } from './lib/benchmark';
import { figure, type Figure } from './lib/figures';

export interface PagingResult {
  records: number;
  latencyMs: number;
  read: number;
  expected: number;
  ordered: boolean;
  pageCalls: number;
  notOk: number;
  wallMs: number;
}

/** Bulk-loads `records` customers into a fresh sandbox and reads them all back through the pager. */
export async function measurePaging(knex: Knex, records: number, latencyMs: number): Promise<PagingResult> {
  const h = await startSandboxClient(knex, { latencyMs });
  try {
    h.sandbox.store.bulkLoad(
      h.realmId,
      'Customer',
      Array.from({ length: records }, (_, i) => ({ DisplayName: `Paging bench ${String(i).padStart(6, '0')}`, PrimaryEmailAddr: { Address: `c${i}@example.com` } })),
    );
    const expected = h.sandbox.store.all(h.realmId, 'Customer').filter((c) => c['Active'] !== false).length;
    const started = Date.now();
    let read = 0;
    let lastId = 0;
    let ordered = true;
    for await (const customer of customers.queryAll(h.client, h.realmId, customers.select())) {
      read += 1;
      if (Number(customer.Id) <= lastId) ordered = false;
      lastId = Number(customer.Id);
    }
    const wallMs = Date.now() - started;
    const calls = h.requests();
    return { records, latencyMs, read, expected, ordered, pageCalls: calls.length, notOk: calls.filter((r) => r.status !== 200).length, wallMs };
  } finally {
    await h.close();
  }
}

/** For `npm run bench`: 10,000 customers read in ordered pages of 1,000 (the same at every size). */
export const benchmark: Benchmark = {
  name: 'query paging',
  async run(ctx): Promise<Figure[]> {
    const records = 10_000;
    ctx.log(`query paging: ${records} bulk-loaded customers, 150 ms latency per page call`);
    const r = await measurePaging(await ctx.scratchDatabase(), records, 150);
    if (r.read !== r.expected || !r.ordered) throw new Error(`paging read ${r.read} of ${r.expected} rows${r.ordered ? '' : ', out of Id order'}`);
    return [
      figure('paging.page_calls', `read ${records.toLocaleString('en-US')} customers: page calls (1,000 rows each)`, r.pageCalls, 'calls', { op: '<=', bound: Math.ceil(r.expected / 1000) + 1 }),
      figure('paging.rows_per_second', 'ordered paging: rows per second (150 ms latency)', Math.round(r.read / (r.wallMs / 1000)), 'rows/s'),
    ];
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { records: { type: 'string', default: '10000' }, latency: { type: 'string', default: '150' } } });
  const records = Number(values.records);
  const latencyMs = Number(values.latency);
  const { knex } = await createScratchDatabase();
  try {
    await migratePlugin(knex);
    const r = await measurePaging(knex, records, latencyMs);
    console.log(`QBO query paging: ${records} bulk-loaded customers (+ the company's own), latency ${latencyMs} ms per call\n`);
    console.log(
      [
        `rows read                  ${r.read} of ${r.expected} active (${r.ordered ? 'in Id order' : 'OUT OF ORDER'})`,
        `page calls                 ${r.pageCalls} (${r.notOk} not 200)`,
        `wall time                  ${(r.wallMs / 1000).toFixed(2)} s`,
        `rows / s                   ${(r.read / (r.wallMs / 1000)).toFixed(0)}`,
        `ms per page                ${(r.wallMs / Math.max(1, r.pageCalls)).toFixed(0)} (of which latency ${latencyMs})`,
      ].join('\n'),
    );
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
