import { execFile } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { addClient, cliEnv, client, customer, loadCustomers, newSyncAccount, useSyncWorld } from './sync-support';
import type { World } from './connect-sandbox-support';

const ROOT = path.resolve(__dirname, '..', '..');

function cli(world: World, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'dev', 'cli', 'work-cli.ts'), ...args], { cwd: ROOT, env: cliEnv(world) }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('developer CLI (npm run work): accounts, preview, sync, status against the stand-in database and the sandbox', function () {
  this.timeout(60_000);
  const suite = useSyncWorld();

  it('lists accounts, previews, syncs and reports status as JSON; refuses bad usage clearly', async () => {
    const { world } = suite;
    const account = await newSyncAccount(world, 'CLI Account');
    await addClient(world, account.accountId, client('CLI Client', { email: 'cli@x.test' }));
    loadCustomers(world, account.realmId, [customer('CLI Customer')]);

    const accounts = await cli(world, ['accounts']);
    expect(accounts.code).to.equal(0);
    expect((JSON.parse(accounts.stdout) as { id: string; name: string }[]).map((a) => a.name)).to.include('CLI Account');

    const preview = await cli(world, ['preview', '--account', account.accountId]);
    expect(preview.code, preview.stderr).to.equal(0);
    const plan = (JSON.parse(preview.stdout) as { plan: { summary: { byAction: Record<string, number> } } }).plan;
    expect(plan.summary.byAction).to.include({ create_in_qbo: 1, create_in_work: 1 });

    const dry = await cli(world, ['sync', '--account', account.accountId, '--onboarding', '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect((JSON.parse(dry.stdout) as { run: { dry_run: boolean } }).run.dry_run).to.equal(true);

    const sync = await cli(world, ['sync', '--account', account.accountId, '--onboarding']);
    expect(sync.code, sync.stderr).to.equal(0);
    const status = await cli(world, ['status', '--account', account.accountId]);
    const parsed = JSON.parse(status.stdout) as { running: boolean; run: { kind: string; status: string; counts: { client: Record<string, number> } } };
    expect(parsed).to.include({ running: false });
    expect(parsed.run).to.include({ kind: 'onboarding', status: 'succeeded' });
    expect(parsed.run.counts.client).to.include({ created_in_qbo: 1, created_in_work: 1 });

    const unknown = await cli(world, ['frobnicate']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.contain('unknown command: frobnicate').and.contain('usage:');
    const missing = await cli(world, ['sync']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('--account <value> is required');
    const notConnected = await cli(world, ['sync', '--account', '999999']);
    expect(notConnected.code).to.equal(3);
    expect(JSON.parse(notConnected.stdout)).to.include({ status: 'not_connected' });
  });
});
