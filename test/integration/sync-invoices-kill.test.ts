import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import type { World } from './connect-sandbox-support';
import { syncNow, useSyncWorld } from './sync-support';
import { addInvoice, addPayment, cliEnv, invoiceAccount, line, qboInvoices, qboPayments, type InvoiceAccount } from './sync-invoices-support';

const ROOT = path.resolve(__dirname, '..', '..');
const INVOICES = 150;
const PAYMENTS = 120;
const KILLS = 6;

/** A small seeded PRNG so a failing run can be replayed (the seed is printed). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The same invoices and payments in two accounts: some paid in full, some in part, some twice. */
async function seed(world: World, account: InvoiceAccount): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < INVOICES; i += 1) {
    const inv = await addInvoice(world, account, [line(String(1 + (i % 3)), `${10 + i}.3333`, { taxable: i % 2 === 0 }), line('0.5', '7.0000')], { number: `K-${i}` });
    ids.push(inv.id);
  }
  for (let j = 0; j < PAYMENTS; j += 1) await addPayment(world, account, ids[j % INVOICES] ?? null, `${5 + (j % 7)}.00`, { reference: `R-${j}` });
}

function startWorker(world: World, accountId: string): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'cli', 'work-cli.ts'), 'sync', '--account', accountId], { cwd: ROOT, env: cliEnv(world), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

async function pushed(world: World, account: InvoiceAccount): Promise<number> {
  const rows = await world.knex('qbo_mappings').where({ account_id: account.accountId }).whereIn('entity', ['invoice', 'payment']).count<{ n: string }[]>('* as n');
  return Number(rows[0]?.n ?? 0);
}

const noteKey = (o: Record<string, unknown>) => String(o['PrivateNote'] ?? '').split('\n')[0] ?? '';

/** What must not depend on kills: each invoice once with its totals and balance, each payment once with what it applied. */
function endState(world: World, account: InvoiceAccount) {
  const invoices = qboInvoices(world, account.realmId);
  const numberOf = new Map(invoices.map((i) => [String(i['Id']), noteKey(i)]));
  const payments = qboPayments(world, account.realmId);
  return {
    invoices: invoices.map((i) => `${noteKey(i)} total ${String(i['TotalAmt'])} balance ${String(i['Balance'])} lines ${(i['Line'] as unknown[]).length}`).sort(),
    payments: payments
      .map((p) => {
        const l = (p['Line'] as { Amount: number; LinkedTxn: { TxnId: string }[] }[] | undefined) ?? [];
        return `${String(p['PaymentRefNum'])} ${String(p['TotalAmt'])} → ${l.map((x) => `${numberOf.get(x.LinkedTxn[0]?.TxnId ?? '') ?? '?'}:${x.Amount}`).join(',')}`;
      })
      .sort(),
  };
}

describe('sync: an invoice and payment push survives a worker killed with SIGKILL at random points', function () {
  this.timeout(180_000);
  const suite = useSyncWorld();

  it('leaves zero duplicate invoices or payments and the same end state as an uninterrupted run', async () => {
    const { world } = suite;
    const seedValue = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
    const random = prng(seedValue);
    const calm = await invoiceAccount(world);
    const killed = await invoiceAccount(world);
    await seed(world, calm);
    await seed(world, killed);
    world.sandbox.control.setLatency(30);

    await syncNow(world, calm.accountId, 'continuous');
    const expected = endState(world, calm);
    expect(expected.invoices).to.have.length(INVOICES);
    expect(expected.payments).to.have.length(PAYMENTS);
    const total = INVOICES + PAYMENTS;

    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k += 1) {
      const worker = startWorker(world, killed.accountId);
      const done = await pushed(world, killed);
      // Every other kill lands while a batch is open (committed, maybe sent, answer not stored); the others once
      // a random further share of the records is pushed (between an answer and its mapping, or mid-layer).
      const whileOpen = k % 2 === 0;
      const target = done + Math.max(1, Math.floor(random() * Math.max(1, (total - done) * 0.5)));
      let exitCode: number | null | undefined;
      void worker.exited.then((code) => (exitCode = code));
      const due = async (): Promise<boolean> =>
        whileOpen ? (await world.knex('qbo_write_batches').where({ account_id: killed.accountId, state: 'open' })).length > 0 && random() < 0.5 : (await pushed(world, killed)) >= target;
      while (exitCode === undefined && !(await due())) await new Promise((r) => setTimeout(r, 3));
      if (exitCode === undefined) {
        worker.child.kill('SIGKILL');
        await worker.exited;
        killedAt.push(await pushed(world, killed));
      }
      if ((await pushed(world, killed)) >= total) break;
    }
    const last = startWorker(world, killed.accountId);
    const code = await last.exited;
    expect(code, `seed ${seedValue}: ${last.output()}`).to.equal(0);
    world.sandbox.control.setLatency(0);

    const actual = endState(world, killed);
    if (process.env.KILL_DEBUG) {
      const recovered = await world.knex('qbo_sync_log').where({ account_id: killed.accountId, reason_code: 'recovered' }).count<{ n: string }[]>('* as n');
      process.stderr.write(`seed ${seedValue}: killed at ${killedAt.join(', ')} of ${total}; ${String(recovered[0]?.n)} answered creates adopted\n`);
    }
    expect(killedAt.length, `seed ${seedValue}: kills landed`).to.be.greaterThan(0);
    // Zero duplicates: every Work invoice and payment once in QBO.
    expect(new Set(qboInvoices(world, killed.realmId).map(noteKey)).size, `seed ${seedValue}`).to.equal(INVOICES);
    expect(new Set(qboPayments(world, killed.realmId).map(noteKey)).size, `seed ${seedValue}`).to.equal(PAYMENTS);
    expect(actual, `seed ${seedValue}, killed at ${killedAt.join(', ')}`).to.deep.equal(expected);
    expect(await world.knex('qbo_outbox').where({ account_id: killed.accountId }).whereIn('status', ['pending', 'processing']).whereIn('entity', ['invoice', 'payment'])).to.have.length(0);
  });
});
