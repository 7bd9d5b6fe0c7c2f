import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { newSyncAccount, useSyncWorld } from './sync-support';
import { cliEnv } from './sync-invoices-support';

const ROOT = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

/** The developer CLI as a separate process; resolves with its exit code and its stdout parsed as JSON. */
async function cli(env: NodeJS.ProcessEnv, args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'cli', 'work-cli.ts'), ...args], { cwd: ROOT, env });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown> };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number' || !e.stdout) throw new Error(`cli failed: ${e.stderr ?? String(error)}`, { cause: error });
    return { code: e.code, json: JSON.parse(e.stdout) as Record<string, unknown> };
  }
}

describe('sync: invoice and payment settings through the handle and the developer CLI', function () {
  this.timeout(90_000);
  const suite = useSyncWorld();

  it('the handle checks every choice against the company\'s accounts and records when invoices and payments were turned on', async () => {
    const { world } = suite;
    const { accountId } = await newSyncAccount(world);
    const sync = world.work.plugin.sync;
    const refused = await sync.updateInvoiceSettings(accountId, { paymentsEnabled: true, incomeAccountId: '7', depositAccountId: '5' });
    expect(refused.status).to.equal('invalid');
    if (refused.status !== 'invalid') return;
    expect(refused.errors.map((e) => `${e.field}:${e.code}`)).to.deep.equal(['paymentsEnabled:payments_need_invoices', 'incomeAccountId:account_wrong_type', 'depositAccountId:account_wrong_type']);
    expect(refused.errors[1]?.message).to.match(/never Accounts Receivable/);
    expect((await sync.invoiceSettings(accountId)).invoicesEnabled, 'nothing saved').to.equal(false);

    const before = world.pluginClock();
    const saved = await sync.updateInvoiceSettings(accountId, { invoicesEnabled: true, paymentsEnabled: true, incomeAccountId: '1', expenseAccountId: '10', depositAccountId: '4' });
    expect(saved.status).to.equal('saved');
    const settings = await sync.invoiceSettings(accountId);
    expect(settings).to.deep.include({ invoicesEnabled: true, paymentsEnabled: true, incomeAccountId: '1', expenseAccountId: '10', depositAccountId: '4' });
    expect(settings.invoicesEnabledAt?.getTime()).to.be.at.least(before.getTime());
    // Saving again keeps the moment invoices were turned on.
    await sync.updateInvoiceSettings(accountId, { depositAccountId: '2' });
    expect((await sync.invoiceSettings(accountId)).invoicesEnabledAt?.getTime()).to.equal(settings.invoicesEnabledAt?.getTime());
  });

  it('`npm run work -- settings` prints the resulting settings as JSON, and `accounts-in-qbo` lists the accounts with their types', async () => {
    const { world } = suite;
    const { accountId } = await newSyncAccount(world);
    const env = cliEnv(world);
    const accounts = await cli(env, ['accounts-in-qbo', '--account', accountId]);
    expect(accounts.code).to.equal(0);
    const list = accounts.json['accounts'] as { id: string; name: string; type: string; active: boolean }[];
    expect(list.find((a) => a.id === '7')).to.deep.include({ name: 'Accounts Receivable (A/R)', type: 'Accounts Receivable', active: true });
    expect(list.find((a) => a.id === '2')).to.deep.include({ name: 'Checking', type: 'Bank' });

    const on = await cli(env, ['settings', '--account', accountId, '--invoices', 'on', '--payments', 'on', '--income-account', '1', '--deposit-account', '2']);
    expect(on.code).to.equal(0);
    expect(on.json['status']).to.equal('saved');
    expect(on.json['settings']).to.deep.include({ invoicesEnabled: true, paymentsEnabled: true, incomeAccountId: '1', depositAccountId: '2', expenseAccountId: null });
    expect(Number.isNaN(Date.parse(String((on.json['settings'] as Record<string, unknown>)['invoicesEnabledAt'])))).to.equal(false);

    const wrong = await cli(env, ['settings', '--account', accountId, '--deposit-account', '7']);
    expect(wrong.code).to.equal(1);
    expect(wrong.json).to.deep.include({ status: 'invalid' });
    expect((wrong.json['errors'] as { field: string; code: string }[])[0]).to.deep.include({ field: 'depositAccountId', code: 'account_wrong_type' });

    const off = await cli(env, ['settings', '--account', accountId, '--payments', 'off']);
    expect(off.json['settings']).to.deep.include({ invoicesEnabled: true, paymentsEnabled: false });
    const shown = await cli(env, ['settings', '--account', accountId]);
    expect(shown.json['settings']).to.deep.include({ invoicesEnabled: true, paymentsEnabled: false, depositAccountId: '2' });
  });
});
