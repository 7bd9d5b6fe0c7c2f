import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const REPO_ROOT = new URL('../../', `file://${__filename}`).pathname;

/** Starts `npm run sandbox -- …` in its own process group and resolves with the URL it prints. */
function startCli(args: string[]): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn('npm', ['run', '--silent', 'sandbox', '--', ...args], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`no URL printed within 15 s: ${output} ${errors}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, baseUrl: url });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}: ${errors}`));
    });
  });
}

function stopCli(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid, 'SIGTERM');
  });
}

describe('sandbox CLI', function () {
  this.timeout(30_000);
  let child: ChildProcess | null = null;
  afterEach(async () => {
    if (child) await stopCli(child);
    child = null;
  });

  it('starts on a free port, prints its URL and serves OAuth, the API and the control API', async () => {
    const started = await startCli(['--port', '0', '--auto-approve', '--client-id', 'cli-app', '--client-secret', 'cli-secret', '--redirect-uri', 'http://127.0.0.1:9/cb', '--time-scale', '1', '--latency-ms', '0']);
    child = started.child;
    const companies = (await (await fetch(`${started.baseUrl}/_control/companies`)).json()) as Array<{ realmId: string; offeringSku: string }>;
    expect(companies.map((company) => company.offeringSku)).to.include('QuickBooks Self-Employed');
    const realmId = companies[0]?.realmId ?? '';

    const params = new URLSearchParams({ client_id: 'cli-app', response_type: 'code', scope: 'com.intuit.quickbooks.accounting', redirect_uri: 'http://127.0.0.1:9/cb', state: 'cli' });
    const authorize = await fetch(`${started.baseUrl}/connect/oauth2?${params.toString()}`, { redirect: 'manual' });
    const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await fetch(`${started.baseUrl}/oauth2/v1/tokens/bearer`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('cli-app:cli-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/cb' }).toString(),
    });
    expect(tokens.status).to.equal(200);
    const { access_token: accessToken } = (await tokens.json()) as { access_token: string };
    const info = await fetch(`${started.baseUrl}/v3/company/${realmId}/companyinfo/${realmId}?minorversion=75`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    expect(info.status).to.equal(200);
    expect(await info.json()).to.have.nested.property('CompanyInfo.Country', 'US');
  });

  it('refuses unknown options with a usage line', async () => {
    let failure: unknown = null;
    await startCli(['--no-such-option']).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.match(/exited with 2/);
  });

  it('keeps its companies in --state-file across restarts, with --demo-data, until npm run sandbox:reset', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbo-sandbox-cli-'));
    const file = path.join(dir, 'state.json');
    const realmIds = async (baseUrl: string) => ((await (await fetch(`${baseUrl}/_control/companies`)).json()) as Array<{ realmId: string }>).map((c) => c.realmId);
    try {
      let started = await startCli(['--state-file', file, '--demo-data']);
      child = started.child;
      const first = await realmIds(started.baseUrl);
      const customers = (await (await fetch(`${started.baseUrl}/_control/companies/${first[0] ?? ''}/objects/Customer`)).json()) as unknown[];
      expect(customers.length).to.be.greaterThan(20);
      await stopCli(started.child);
      started = await startCli(['--state-file', file]);
      child = started.child;
      expect(await realmIds(started.baseUrl)).to.deep.equal(first);
      await stopCli(started.child);
      const said = execFileSync('npm', ['run', '--silent', 'sandbox:reset', '--', file], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(said).to.contain(`Removed the QBO sandbox state ${file}`);
      expect(fs.existsSync(file)).to.equal(false);
      started = await startCli(['--state-file', file]);
      child = started.child;
      expect((await realmIds(started.baseUrl)).filter((id) => first.includes(id))).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
