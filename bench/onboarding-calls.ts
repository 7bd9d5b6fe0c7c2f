/**
 * API calls of an onboarding: 1,000 Work clients and 1,000 QBO customers, 500 of them matching (same company
 * name and email), through the Work stand-in, the plugin's sync engine and the in-process QBO sandbox with its
 * real limits. Prints the calls against the floor Σ ceil(reads/1000) + ceil(writes/30), and the time.
 *
 *   npm run bench:onboarding [-- --clients 1000 --customers 1000 --matching 500 --latency 150]
 *
 * Needs a PostgreSQL (DATABASE_URL, else the embedded one). Asserts nothing about time.
 */
import { parseArgs } from 'node:util';
import { startWorld } from '../test/integration/connect-sandbox-support';
import { addClient, client, customer, loadCustomers, newSyncAccount, qboCustomers, workClients } from '../test/integration/sync-support';
import { closeTestDatabases } from '../test/support/test-database';

const TARGET = 1.1;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '1000' },
      customers: { type: 'string', default: '1000' },
      matching: { type: 'string', default: '500' },
      latency: { type: 'string', default: '150' },
    },
  });
  const nClients = Number(values.clients);
  const nCustomers = Number(values.customers);
  const nMatching = Number(values.matching);
  const latencyMs = Number(values.latency);
  const world = await startWorld({ autoApprove: true });
  try {
    const account = await newSyncAccount(world, 'Onboarding Bench');
    const name = (i: number) => `Bench Company ${String(i).padStart(5, '0')}`;
    for (let i = 0; i < nClients; i += 1) await addClient(world, account.accountId, client(name(i), { email: `c${i}@bench.test`, phone: `555-${String(i).padStart(4, '0')}` }));
    loadCustomers(
      world,
      account.realmId,
      Array.from({ length: nCustomers }, (_, j) => {
        const i = j < nMatching ? j : nClients + j;
        return customer(name(i), { PrimaryEmailAddr: { Address: `c${i}@bench.test` }, PrimaryPhone: { FreeFormNumber: `555-${String(i).padStart(4, '0')}` } });
      }),
    );
    const vendors = world.sandbox.control.objects(account.realmId, 'Vendor').length;
    const employees = world.sandbox.control.objects(account.realmId, 'Employee').length;
    const customersBefore = qboCustomers(world, account.realmId).length;
    world.sandbox.control.setLatency(latencyMs);
    world.sandbox.control.clearRequests();

    const started = Date.now();
    const result = await world.work.plugin.sync.sync(account.accountId, { kind: 'onboarding' });
    const wallMs = Date.now() - started;
    if (result.status !== 'finished') throw new Error(`onboarding did not finish: ${JSON.stringify(result)}`);

    const calls = world.sandbox.control.requests({ realmId: account.realmId });
    const reads = calls.filter((c) => c.method === 'GET');
    const writes = calls.filter((c) => c.method === 'POST');
    const qboWrites = qboCustomers(world, account.realmId).length - customersBefore;
    const floor = Math.ceil(customersBefore / 1000) + Math.ceil(vendors / 1000) + Math.ceil(employees / 1000) + Math.ceil(qboWrites / 30);
    const counts = result.run.counts['client'] ?? {};
    console.log(`Onboarding: ${nClients} Work clients, ${nCustomers} QBO customers (${nMatching} matching), latency ${latencyMs} ms per call\n`);
    console.log(
      [
        `outcomes                   ${JSON.stringify(counts)}`,
        `Work clients after         ${(await workClients(world, account.accountId)).length}`,
        `records read from QBO      ${customersBefore} customers, ${vendors} vendors, ${employees} employees`,
        `records written to QBO     ${qboWrites} creates`,
        `API calls                  ${calls.length} (${reads.length} reads, ${writes.length} batch writes; ${calls.filter((c) => c.status !== 200).length} not 200)`,
        `floor                      ${floor} = Σ ceil(reads/1000) + ceil(writes/30)`,
        `calls / floor              ${(calls.length / floor).toFixed(2)} (target ≤ ${TARGET})`,
        `wall time                  ${(wallMs / 1000).toFixed(2)} s`,
      ].join('\n'),
    );
  } finally {
    await world.close();
    await closeTestDatabases();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
