/**
 * What the engine's benchmarks stand on: a scratch database migrated for Work and the plugin, the QBO
 * sandbox in this process (over real HTTP, QBO's limits, latency per call), Work accounts connected to
 * sandbox companies by a stored connection (the connect flow is tested elsewhere), and the engine run in
 * child processes (bench/engine/engine-process.ts) so its CPU and memory are measured apart from the sandbox.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import type { Knex } from 'knex';
import { migrateWork } from '../../dev/host/migrate';
import { startSandbox, type RunningSandbox } from '../../dev/qbo-sandbox/server';
import { TokenCipher } from '../../plugin/crypto/token-cipher';
import { migratePlugin } from '../../plugin/persistence/migrate';
import { tokenContext } from '../../plugin/qbo/token-store';
import { createScratchDatabase } from '../../test/support/test-database';
import type { SyncChildReport, WorkerChildReport } from './engine-process';

const ROOT = path.resolve(__dirname, '..', '..');
const CHILD = path.join(ROOT, 'bench', 'engine', 'engine-process.ts');
const CLIENT_ID = 'work-bench-client';
const KEY_ID = 'bench1';

export interface EngineWorld {
  knex: Knex;
  sandbox: RunningSandbox;
  /** A Work account connected to a new (seeded: vendors, employees) sandbox company. */
  connectAccount(name: string, accountId?: string): Promise<{ accountId: string; realmId: string }>;
  /** One engine run in a child process. */
  runSync(accountId: string, kind: 'onboarding' | 'continuous' | 'manual'): Promise<SyncChildReport>;
  /** Start a bench worker process; it waits for `go()`. */
  startWorker(accounts: readonly string[], kind: 'onboarding' | 'continuous' | 'manual', since: Date, offset: number): Promise<BenchWorker>;
  close(): Promise<void>;
}

export interface BenchWorker {
  go(): void;
  done: Promise<WorkerChildReport>;
}

function collect(child: ChildProcessWithoutNullStreams): { lines: string[]; exited: Promise<{ code: number | null; stderr: string }> } {
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let at = buffer.indexOf('\n');
    while (at >= 0) {
      lines.push(buffer.slice(0, at));
      buffer = buffer.slice(at + 1);
      at = buffer.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { lines, exited };
}

export async function startEngineWorld(options: { latencyMs: number; timeScale?: number }): Promise<EngineWorld> {
  const { knex, url } = await createScratchDatabase();
  await migrateWork(knex);
  await migratePlugin(knex);
  const clientSecret = crypto.randomBytes(18).toString('base64url');
  const key = crypto.randomBytes(32).toString('base64');
  const redirectUri = 'http://localhost:3000/settings/integrations/quickbooks/callback';
  const sandbox = await startSandbox({ clientId: CLIENT_ID, clientSecret, redirectUri, autoApprove: true, latencyMs: options.latencyMs, timeScale: options.timeScale ?? 1 });
  const cipher = TokenCipher.fromBase64({ [KEY_ID]: key }, KEY_ID);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    QBO_API_BASE_URL: sandbox.baseUrl,
    QBO_AUTHORIZE_URL: `${sandbox.baseUrl}/connect/oauth2`,
    QBO_TOKEN_URL: `${sandbox.baseUrl}/oauth2/v1/tokens/bearer`,
    QBO_REVOKE_URL: `${sandbox.baseUrl}/v2/oauth2/tokens/revoke`,
    QBO_CLIENT_ID: CLIENT_ID,
    QBO_CLIENT_SECRET: clientSecret,
    QBO_TOKEN_KEY_ID: KEY_ID,
    QBO_TOKEN_KEY: key,
    LOG_LEVEL: 'error',
  };
  // BENCH_ENGINE_NODE_ARGS adds node flags to the engine processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
  const nodeArgs = (process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const spawnChild = (args: string[]): ChildProcessWithoutNullStreams => spawn(process.execPath, [...nodeArgs, '--import', 'tsx', CHILD, ...args], { cwd: ROOT, env });

  return {
    knex,
    sandbox,
    async connectAccount(name, existing) {
      const accountId = existing ?? String(((await knex('accounts').insert({ name }).returning('id')) as { id: string | number }[])[0]?.id);
      const realmId = sandbox.control.createCompany({ companyName: `${name} Books`, country: 'US', offeringSku: 'QuickBooks Online Plus', customTxnNumbers: false, seed: true }).realmId;
      const now = new Date();
      await knex('qbo_connections').insert({
        account_id: accountId,
        realm_id: realmId,
        status: 'connected',
        company_name: `${name} Books`,
        country: 'US',
        offering_sku: 'QuickBooks Online Plus',
        key_id: KEY_ID,
        access_token_enc: cipher.encrypt(sandbox.issueAccessToken(realmId), tokenContext(realmId, 'access')),
        refresh_token_enc: cipher.encrypt(crypto.randomBytes(24).toString('base64url'), tokenContext(realmId, 'refresh')),
        access_token_expires_at: new Date(now.getTime() + 3_600_000),
        refresh_token_expires_at: new Date(now.getTime() + 100 * 86_400_000),
        connected_at: now,
      });
      return { accountId, realmId };
    },
    async runSync(accountId, kind) {
      const child = spawnChild(['sync', '--account', accountId, '--kind', kind]);
      child.stdin.end();
      const { lines, exited } = collect(child);
      const { code, stderr } = await exited;
      const last = lines.at(-1);
      if (code !== 0 || last === undefined) throw new Error(`engine process exited ${code}: ${stderr.trim()}`);
      return JSON.parse(last) as SyncChildReport;
    },
    async startWorker(accounts, kind, since, offset) {
      const child = spawnChild(['worker', '--accounts', accounts.join(','), '--kind', kind, '--since', since.toISOString(), '--offset', String(offset)]);
      const { lines, exited } = collect(child);
      // Ready once started (tsx, the plugin's start): the fleet's clock starts at "go", not at process start.
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (lines.includes('ready')) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
        void exited.then(({ code, stderr }) => {
          clearInterval(timer);
          reject(new Error(`worker exited ${code} before it was ready: ${stderr.trim()}`));
        });
      });
      return {
        go: () => child.stdin.end('go\n'),
        done: exited.then(({ code, stderr }) => {
          const last = lines.at(-1);
          if (code !== 0 || last === undefined || last === 'ready') throw new Error(`worker exited ${code}: ${stderr.trim()}`);
          return JSON.parse(last) as WorkerChildReport;
        }),
      };
    },
    async close() {
      await sandbox.close();
    },
  };
}
