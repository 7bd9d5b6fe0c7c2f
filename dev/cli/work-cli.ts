/**
 * The developer CLI: drives the plugin's sync engine against the Work stand-in's database.
 *
 *   npm run work -- accounts                                        ids and names (JSON)
 *   npm run work -- preview --account <id>                          the readiness preview (JSON)
 *   npm run work -- sync --account <id> [--onboarding|--manual] [--dry-run]
 *   npm run work -- status --account <id>                           the current or last run (JSON)
 *   npm run work -- settings --account <id> [--invoices on|off] [--payments on|off] [--income-account <QBO id>]
 *                      [--expense-account <QBO id>] [--deposit-account <QBO id>]   invoice/payment settings (JSON)
 *   npm run work -- accounts-in-qbo --account <id>                  the company's accounts and their types (JSON)
 *   npm run work -- invoice-differences --account <id>              pushed invoices whose QBO total differs (JSON)
 *
 * Reads DATABASE_URL (else the embedded PostgreSQL of `npm start`, database `work`) and the Intuit endpoints
 * QBO_API_BASE_URL, QBO_AUTHORIZE_URL, QBO_TOKEN_URL, QBO_REVOKE_URL (else Intuit's own hosts), plus
 * QBO_CLIENT_ID/QBO_CLIENT_SECRET and QBO_TOKEN_KEY/QBO_TOKEN_KEY_ID as `npm start` does.
 * Exit codes: 0 done, 1 failed or bad usage, 2 already running, 3 not connected.
 */
import express from 'express';
import knexFactory, { type Knex } from 'knex';
import pino from 'pino';
import { startDatabase, withDatabase, type RunningDatabase } from '../db/embedded-postgres';
import { devPluginOptions, endpointOverridesFromEnv } from '../dev-plugin-options';
import { LifecycleBus } from '../host/lifecycle-bus';
import { migrateWork } from '../host/migrate';
import { createWorkModels } from '../host/models/work-models';
import { createWorkHost } from '../host/work-host-adapter';
import { register } from '../../plugin/index';
import type { SyncRunKind } from '../../plugin/persistence/sync-run-repository';
import type { SettingsChange } from '../../plugin/sync/plan/settings-rules';

const USAGE = `usage: npm run work -- <accounts | preview --account <id> | sync --account <id> [--onboarding|--manual] [--dry-run] | status --account <id> | settings --account <id> [--invoices on|off] [--payments on|off] [--income-account <QBO id>] [--expense-account <QBO id>] [--deposit-account <QBO id>] | accounts-in-qbo --account <id> | invoice-differences --account <id>>`;

class UsageError extends Error {}

function flag(args: readonly string[], name: string): boolean {
  return args.includes(name);
}

function option(args: readonly string[], name: string): string {
  const at = args.indexOf(name);
  const value = at >= 0 ? args[at + 1] : undefined;
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} <value> is required\n${USAGE}`);
  return value;
}

function onOff(args: readonly string[], name: string): boolean | undefined {
  if (!args.includes(name)) return undefined;
  const value = option(args, name);
  if (value !== 'on' && value !== 'off') throw new UsageError(`${name} takes on or off\n${USAGE}`);
  return value === 'on';
}

/** The settings flags given, as a change (absent flags leave a setting as it is). */
function settingsChange(args: readonly string[]): SettingsChange {
  const change: SettingsChange = {};
  const invoices = onOff(args, '--invoices');
  const payments = onOff(args, '--payments');
  if (invoices !== undefined) change.invoicesEnabled = invoices;
  if (payments !== undefined) change.paymentsEnabled = payments;
  if (args.includes('--income-account')) change.incomeAccountId = option(args, '--income-account');
  if (args.includes('--expense-account')) change.expenseAccountId = option(args, '--expense-account');
  if (args.includes('--deposit-account')) change.depositAccountId = option(args, '--deposit-account');
  return change;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

async function openDatabase(): Promise<{ knex: Knex; db: RunningDatabase }> {
  const db = await startDatabase('pg', (line) => process.stderr.write(`${line}\n`));
  const url = db.embedded ? withDatabase(db.serverUrl, 'work') : db.serverUrl;
  return { knex: knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 5 } }), db };
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 1;
  }
  if (!['accounts', 'preview', 'sync', 'status', 'settings', 'accounts-in-qbo', 'invoice-differences'].includes(command)) throw new UsageError(`unknown command: ${command}\n${USAGE}`);
  const accountArg = command === 'accounts' ? null : option(args, '--account');
  const { knex, db } = await openDatabase();
  const bus = new LifecycleBus();
  // Logs go to stderr so stdout stays one JSON document.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const host = createWorkHost({ knex, bus, models: createWorkModels(knex, bus), pluginMounts: express.Router() });
  // One command, then exit: the schedules (drain, nightly) belong to `npm start` and `work-qbo worker`.
  const plugin = register(host, { ...devPluginOptions(`http://localhost:${process.env.PORT ?? 3000}`, endpointOverridesFromEnv()), syncJobs: false }, { logger });
  try {
    await migrateWork(knex);
    await plugin.start();
    if (command === 'accounts') {
      print(await knex('accounts').orderBy('id').select('id', 'name'));
      return 0;
    }
    const accountId = accountArg ?? '';
    if (command === 'status') {
      print(await plugin.sync.status(accountId));
      return 0;
    }
    if (command === 'settings') {
      const change = settingsChange(args);
      if (Object.keys(change).length === 0) {
        print({ status: 'ok', settings: await plugin.sync.invoiceSettings(accountId) });
        return 0;
      }
      const result = await plugin.sync.updateInvoiceSettings(accountId, change);
      print(result);
      return result.status === 'saved' ? 0 : result.status === 'invalid' ? 1 : 3;
    }
    if (command === 'accounts-in-qbo') {
      const result = await plugin.sync.accountsInQbo(accountId);
      print(result);
      return result.status === 'ok' ? 0 : 3;
    }
    if (command === 'invoice-differences') {
      print(await plugin.sync.invoiceDifferences(accountId));
      return 0;
    }
    if (command === 'preview') {
      const preview = await plugin.sync.preview(accountId);
      print(preview);
      return preview.status === 'ok' ? 0 : 3;
    }
    if (flag(args, '--onboarding') && flag(args, '--manual')) throw new UsageError(`--onboarding and --manual exclude each other\n${USAGE}`);
    const kind: SyncRunKind = flag(args, '--onboarding') ? 'onboarding' : flag(args, '--manual') ? 'manual' : 'continuous';
    const result = await plugin.sync.sync(accountId, { kind, dryRun: flag(args, '--dry-run') });
    if (result.status === 'finished') {
      print({ status: result.status, run: result.run, plan: result.result.plan?.summary ?? null, pull: result.result.pull, drain: result.result.drain, push: result.result.push ?? null });
      return 0;
    }
    print(result);
    if (result.status === 'already_running') return 2;
    if (result.status === 'failed') return 1;
    return 3;
  } finally {
    await plugin.stop();
    await knex.destroy();
    if (db.embedded) await db.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
