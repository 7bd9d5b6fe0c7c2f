/**
 * `npm start`: the Work stand-in with the QuickBooks plugin mounted exactly as the real monolith mounts it.
 * DATABASE_URL is used as it is; without it an embedded PostgreSQL serves a database named `work`.
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import knexFactory, { type Knex } from 'knex';
import { startDatabase, withDatabase, type RunningDatabase } from './db/embedded-postgres';
import { createWorkApp, QUICKBOOKS_SETTINGS_PATH } from './host/app';
import { migrateWork } from './host/migrate';
import { devPluginOptions, endpointOverridesFromEnv, type IntuitEndpointOverrides } from './dev-plugin-options';
import { startSandbox } from './qbo-sandbox/server';
import { DEFAULT_STATE_FILE } from './qbo-sandbox/store/state-file';
import type { PluginOptions } from '../plugin/config';
import { SEED_ACCOUNTS } from '../seeds/demo-accounts';
import { seedWork } from '../seeds/work-seed';

const WORK_DATABASE = 'work';
const DEFAULT_PORT = 3000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The embedded server starts with only `postgres`; Work gets a database of its own on it. */
async function ensureWorkDatabase(db: RunningDatabase): Promise<string> {
  if (!db.embedded) return db.serverUrl;
  const admin = knexFactory({ client: 'pg', connection: db.serverUrl, pool: { min: 0, max: 1 } });
  try {
    const exists = await admin('pg_database').where({ datname: WORK_DATABASE }).first('datname');
    if (!exists) await admin.raw('CREATE DATABASE ??', [WORK_DATABASE]);
  } finally {
    await admin.destroy();
  }
  return withDatabase(db.serverUrl, WORK_DATABASE);
}

const DEFAULT_SANDBOX_PORT = 4010;

interface SandboxBeside {
  baseUrl: string;
  endpoints: IntuitEndpointOverrides;
  stop(): Promise<void>;
}

/**
 * The QBO sandbox beside the stand-in, so "Connect to QuickBooks" works with no Intuit account: it enforces
 * the same client id, secret and redirect URI the plugin is configured with, as Intuit does.
 * QBO_SANDBOX=off leaves it out and the plugin talks to Intuit's own hosts (set QBO_CLIENT_ID/SECRET then).
 */
async function startSandboxBeside(options: PluginOptions): Promise<SandboxBeside | null> {
  if (process.env.QBO_SANDBOX === 'off') return null;
  const sandbox = await startSandbox({
    port: Number(process.env.QBO_SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    // Companies, data and connections survive a restart; QBO_SANDBOX_RESET=1 (or npm run sandbox:reset) forgets them.
    stateFile: DEFAULT_STATE_FILE,
    resetState: process.env.QBO_SANDBOX_RESET === '1',
    demoData: true,
  });
  return {
    baseUrl: sandbox.baseUrl,
    endpoints: {
      authorizeUrl: `${sandbox.baseUrl}/connect/oauth2`,
      tokenUrl: `${sandbox.baseUrl}/oauth2/v1/tokens/bearer`,
      revokeUrl: `${sandbox.baseUrl}/v2/oauth2/tokens/revoke`,
      apiBaseUrl: sandbox.baseUrl,
    },
    stop: () => sandbox.close(),
  };
}

function printWelcome(port: number, seeded: boolean, sandbox: SandboxBeside | null): void {
  log(`\nWork stand-in with the QuickBooks plugin: http://localhost:${port}`);
  log(`QuickBooks settings (admins only):       http://localhost:${port}${QUICKBOOKS_SETTINGS_PATH}`);
  log(sandbox ? `QBO sandbox ("QuickBooks"):              ${sandbox.baseUrl}` : 'QBO sandbox: off (QBO_SANDBOX=off); the plugin talks to Intuit.');
  log(seeded ? 'Seeded the demo data.' : 'The database already has accounts; seeding skipped.');
  log('Demo users (created by the seed):');
  for (const account of SEED_ACCOUNTS) {
    for (const u of account.users) log(`  ${account.name.padEnd(26)} ${(u.isAdmin ? 'admin' : 'staff').padEnd(6)} ${u.email.padEnd(24)} password: ${u.password}`);
  }
  log('Press Ctrl+C to stop.\n');
}

async function main(): Promise<void> {
  const db = await startDatabase('pg', log);
  let knex: Knex | null = null;
  let server: Server | null = null;
  let sandbox: SandboxBeside | null = null;
  let stopPlugin: (() => Promise<void>) | null = null;

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping…`);
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    await stopPlugin?.();
    await sandbox?.stop();
    await knex?.destroy();
    await db.stop();
    log('stopped.');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    knex = knexFactory({ client: 'pg', connection: await ensureWorkDatabase(db), pool: { min: 0, max: 10 } });
    await migrateWork(knex);
    const { seeded } = await seedWork(knex);
    // Sessions live in memory, so a random secret per run is enough; set SESSION_SECRET to keep one.
    const sessionSecret = process.env.SESSION_SECRET ?? crypto.randomBytes(32).toString('hex');
    const port = Number(process.env.PORT ?? DEFAULT_PORT);
    const baseOptions = devPluginOptions(`http://localhost:${port}`, {});
    sandbox = await startSandboxBeside(baseOptions);
    // QBO_API_BASE_URL / QBO_AUTHORIZE_URL / QBO_TOKEN_URL / QBO_REVOKE_URL win over the sandbox beside us.
    const pluginOptions = { ...baseOptions, ...(sandbox ? sandbox.endpoints : {}), ...endpointOverridesFromEnv() };
    const { app, plugin } = await createWorkApp({ knex, sessionSecret, pluginOptions });
    stopPlugin = () => plugin.stop();
    const listening = app.listen(port);
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
    printWelcome(port, seeded, sandbox);
  } catch (err) {
    console.error(err);
    await shutdown('startup failed');
    process.exit(1);
  }
}

void main();
