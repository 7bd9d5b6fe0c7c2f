/**
 * `npm run bench:push [-- --invoices 2000 --payments 1500 --latency 150]`: pushes Work invoices and payments to
 * the QBO sandbox through the plugin (the stand-in, the engine's continuous run, real HTTP, Intuit's real
 * limits in real time: 500 calls and 40 batch calls a minute per realm, 10 at once) and prints the calls and
 * the time against the floor. Asserts nothing.
 *
 * Floor: Σ over layers ceil(reads/1000) + ceil(writes/30), with reads per entity read (accounts, preferences,
 * payment methods, the item names looked up), writes per layer (items, invoices, payments). Target ≤ 1.1 × floor.
 * Time floor: the batch calls at 40 a minute (the binding QBO limit), after the first minute's 40.
 * Needs a PostgreSQL (DATABASE_URL, else the embedded one).
 */
import { parseArgs } from 'node:util';
import { startWorld, type World } from '../test/integration/connect-sandbox-support';
import { closeTestDatabases } from '../test/support/test-database';
import { addClient, client, newSyncAccount } from '../test/integration/sync-support';

export interface PushFigures {
  invoices: number;
  payments: number;
  items: number;
  calls: { total: number; batch: number; query: number; other: number };
  floor: { calls: number; layers: Record<string, number> };
  ratio: number;
  wallSeconds: number;
  /** Time inside QBO calls as the sandbox measured them (latency included). */
  inCallsSeconds: number;
  timeFloorSeconds: number;
  pushedInvoices: number;
  pushedPayments: number;
}

const CLIENTS = 40;
const ITEMS = 20;

async function seed(world: World, accountId: string, invoices: number, payments: number): Promise<void> {
  const clients = [];
  for (let i = 0; i < CLIENTS; i += 1) clients.push(await addClient(world, accountId, client(`Bench Client ${i}`)));
  const items: { id: string }[] = [];
  for (let i = 0; i < ITEMS; i += 1) items.push(await world.work.models.items.create(accountId, { name: `Bench Service ${i}`, description: null, sku: null, kind: 'service', unitPrice: '10.0000', taxable: true, active: true }));
  await world.work.plugin.sync.sync(accountId, { kind: 'onboarding' });
  const saved = await world.work.plugin.sync.updateInvoiceSettings(accountId, { invoicesEnabled: true, paymentsEnabled: true, incomeAccountId: '1', depositAccountId: '2' });
  if (saved.status !== 'saved') throw new Error(`settings: ${JSON.stringify(saved)}`);
  await new Promise((r) => setTimeout(r, 5));
  const ids: { id: string; clientId: string }[] = [];
  for (let i = 0; i < invoices; i += 1) {
    const c = clients[i % CLIENTS];
    if (!c) throw new Error('no client');
    const lines = [0, 1, 2].map((k) => ({ itemId: items[(i + k) % ITEMS]?.id ?? null, description: `Work ${k}`, quantity: `${1 + k}.25`, unitPrice: `${20 + (i % 50)}.3333`, taxable: k !== 1 }));
    const inv = await world.work.models.invoices.create(accountId, { clientId: c.id, siteId: null, number: `B-${i}`, issueDate: '2026-11-20', dueDate: null, notes: null, taxRate: '8.25', lines });
    ids.push({ id: inv.id, clientId: c.id });
  }
  for (let j = 0; j < payments; j += 1) {
    const inv = ids[j % ids.length];
    if (!inv) throw new Error('no invoice');
    await world.work.models.payments.create(accountId, { clientId: inv.clientId, invoiceId: inv.id, amount: '25.00', paidOn: '2026-11-25', method: 'Check', reference: `P-${j}` });
  }
}

/** The benchmark; `log` gets progress. Returns its figures (for a runner) and prints nothing itself. */
export async function run(options: { invoices: number; payments: number; latencyMs: number; log: (line: string) => void }): Promise<PushFigures> {
  const world = await startWorld({ autoApprove: true });
  try {
    const account = await newSyncAccount(world, 'Bench Push');
    options.log(`seeding ${options.invoices} invoices and ${options.payments} payments in Work…`);
    await seed(world, account.accountId, options.invoices, options.payments);
    world.sandbox.control.setLatency(options.latencyMs);
    const since = Math.max(0, ...world.sandbox.control.requests({ realmId: account.realmId }).map((r) => r.seq));
    options.log('pushing…');
    const started = Date.now();
    const result = await world.work.plugin.sync.sync(account.accountId, { kind: 'continuous' });
    const wallSeconds = (Date.now() - started) / 1000;
    if (result.status !== 'finished') throw new Error(`the push did not finish: ${JSON.stringify(result).slice(0, 500)}`);
    // The CDC pull of customers belongs to the clients flow, not to this push.
    const calls = world.sandbox.control.requests({ realmId: account.realmId, sinceSeq: since }).filter((r) => r.seq > since && !r.path.includes('/cdc'));
    const batch = calls.filter((r) => r.path.endsWith('/batch')).length;
    const query = calls.filter((r) => r.path.endsWith('/query')).length;
    const items = world.sandbox.control.objects(account.realmId, 'Item').filter((i) => String(i['Name']).startsWith('Bench Service')).length;
    const writes = { items: Math.ceil(items / 30), invoices: Math.ceil(options.invoices / 30), payments: Math.ceil(options.payments / 30) };
    const layers: Record<string, number> = {
      'reads: accounts, preferences, payment methods': 3,
      'reads: item names': Math.ceil((ITEMS * 2) / 1000),
      'writes: items': writes.items,
      'writes: invoices': writes.invoices,
      'writes: payments': writes.payments,
    };
    const floorCalls = Object.values(layers).reduce((a, b) => a + b, 0);
    const batchFloor = writes.items + writes.invoices + writes.payments;
    const mappings = await world.knex('qbo_mappings').where({ account_id: account.accountId }).select('entity');
    return {
      invoices: options.invoices,
      payments: options.payments,
      items,
      calls: { total: calls.length, batch, query, other: calls.length - batch - query },
      floor: { calls: floorCalls, layers },
      ratio: calls.length / floorCalls,
      wallSeconds,
      inCallsSeconds: calls.reduce((sum, r) => sum + r.durationMs, 0) / 1000,
      timeFloorSeconds: (Math.max(0, batchFloor - 40) / 40) * 60,
      pushedInvoices: mappings.filter((m: { entity: string }) => m.entity === 'invoice').length,
      pushedPayments: mappings.filter((m: { entity: string }) => m.entity === 'payment').length,
    };
  } finally {
    await world.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { invoices: { type: 'string', default: '2000' }, payments: { type: 'string', default: '1500' }, latency: { type: 'string', default: '150' } } });
  const figures = await run({ invoices: Number(values.invoices), payments: Number(values.payments), latencyMs: Number(values.latency), log: (l) => process.stderr.write(`${l}\n`) });
  const out = process.stdout;
  out.write(`pushed ${figures.pushedInvoices}/${figures.invoices} invoices, ${figures.pushedPayments}/${figures.payments} payments, ${figures.items} items created\n`);
  out.write(`calls: ${figures.calls.total} (batch ${figures.calls.batch}, query ${figures.calls.query}, other ${figures.calls.other})\n`);
  out.write(`floor: ${figures.floor.calls} calls = ${Object.entries(figures.floor.layers).map(([k, v]) => `${k} ${v}`).join(' + ')}\n`);
  out.write(`calls / floor: ${figures.ratio.toFixed(3)} (target ≤ 1.1)\n`);
  out.write(`time: ${figures.wallSeconds.toFixed(1)} s (${figures.inCallsSeconds.toFixed(1)} s inside QBO calls); floor at 40 batch calls a minute: ${figures.timeFloorSeconds.toFixed(1)} s (+ latency ${values.latency} ms a call)\n`);
  out.write(`${JSON.stringify(figures)}\n`);
}

if (require.main === module) {
  main()
    .then(() => closeTestDatabases())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}
