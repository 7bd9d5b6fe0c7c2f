/**
 * Read throughput of the plugin's paging iterator (ORDERBY Id, 1000 rows a page) against the in-process
 * QBO sandbox with its real limits, after bulk-loading customers (not counted as API calls). Prints its
 * figures; asserts nothing about time.
 *
 *   npx tsx bench/qbo-query-paging.ts [--records 10000] [--latency 150]
 *
 * --latency is real milliseconds per call (the sandbox runs at time scale 1 here: reading is bound by
 * latency and parsing, not by the 500 a minute, since 10,000 rows are only 10 calls).
 */
import { parseArgs } from 'node:util';
import { customers } from '../plugin/qbo/entities/customer';
import { migratePlugin } from '../plugin/persistence/migrate';
import { startSandboxClient } from '../test/support/sandbox-qbo-client';
import { closeTestDatabases, createScratchDatabase } from '../test/support/test-database';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { records: { type: 'string', default: '10000' }, latency: { type: 'string', default: '150' } } });
  const records = Number(values.records);
  const latencyMs = Number(values.latency);
  const { knex } = await createScratchDatabase();
  try {
    await migratePlugin(knex);
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
      console.log(`QBO query paging: ${records} bulk-loaded customers (+ the company's own), latency ${latencyMs} ms per call\n`);
      console.log(
        [
          `rows read                  ${read} of ${expected} active (${ordered ? 'in Id order' : 'OUT OF ORDER'})`,
          `page calls                 ${calls.length} (${calls.filter((r) => r.status !== 200).length} not 200)`,
          `wall time                  ${(wallMs / 1000).toFixed(2)} s`,
          `rows / s                   ${(read / (wallMs / 1000)).toFixed(0)}`,
          `ms per page                ${(wallMs / Math.max(1, calls.length)).toFixed(0)} (of which latency ${latencyMs})`,
        ].join('\n'),
      );
    } finally {
      await h.close();
    }
  } finally {
    await closeTestDatabases();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
