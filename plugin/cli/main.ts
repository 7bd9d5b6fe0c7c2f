/**
 * The operator's CLI, `npx work-qbo <command>` (package.json "bin" → bin/work-qbo.js). It opens its own
 * connection to the host's database (DATABASE_URL or --database-url) and writes JSON to stdout, logs to
 * stderr. Commands that run the sync need the host's Work models, so they load a host module (see usage).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import type { WorkHost } from '../host/work-host';
import { register, type PluginOptions } from '../index';
import { createLogger } from '../logger';
import type { EngineOutcome, EnginePort } from '../ops/engine-port';
import { HealthService } from '../ops/health';
import { DebouncedPullRequests } from '../ops/pull-requests';
import { WebhookReplay } from '../ops/webhook-replay';
import { ConnectionRepository } from '../persistence/connection-repository';
import { HealthRepository } from '../persistence/health-repository';
import { migratePlugin } from '../persistence/migrate';
import { PullRequestRepository } from '../persistence/pull-request-repository';
import { WebhookEventRepository } from '../persistence/webhook-event-repository';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `Usage: work-qbo <command> [options]

Commands:
  migrate                                  bring the plugin's qbo_* tables up to date
  status [--account ID]                    health per account as JSON (state ok|warning|critical)
  webhooks replay [--account ID] [--since ISO-TIME|Nd|Nh]
                                           ask again for a pull of every account with stored webhook
                                           events since then (default: the last 24 hours)
  sync --account ID [--onboarding] [--dry-run]   run one sync now          (needs --host-module)
  drain [--account ID]                     send the queue's due changes now  (needs --host-module)
  retry --account ID [--failed]            put failed records back in line  (needs --host-module)
  worker                                   run the plugin's schedules without the web app (needs --host-module)

Options:
  --database-url URL   PostgreSQL of the host (default: DATABASE_URL)
  --host-module PATH   module exporting createPluginHost({ knex }) → { host, options } (default: WORK_QBO_HOST_MODULE)
  --log-level LEVEL    log level on stderr (default: warn; worker: info)

Exit codes: 0 done, 1 failed (a run that failed, is already running elsewhere, or an account not connected), 2 usage error.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** Resolves when the worker should stop (SIGTERM/SIGINT by default). */
  stopSignal?: () => Promise<void>;
}

/** What a host module gives the CLI: its WorkHost (Work's models, lifecycle events) and the plugin options. */
export interface CliPluginHost {
  host: WorkHost;
  options: PluginOptions;
  /** The plugin's clock (tests move it; a real host leaves it out). */
  clock?: () => Date;
}

class UsageError extends Error {}

const OPTIONS = {
  'database-url': { type: 'string' },
  'host-module': { type: 'string' },
  'log-level': { type: 'string' },
  account: { type: 'string' },
  since: { type: 'string' },
  onboarding: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  failed: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** `--since`: an ISO time, or a span back from now such as 7d or 12h. */
export function parseSince(value: string | undefined, now: Date): Date {
  if (value === undefined) return new Date(now.getTime() - 24 * 3_600_000);
  const span = /^(\d+)([dh])$/.exec(value);
  if (span) return new Date(now.getTime() - Number(span[1]) * (span[2] === 'd' ? 86_400_000 : 3_600_000));
  const at = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(at)) return new Date(at);
  throw new UsageError(`--since must be an ISO date and time (2026-12-01T00:00:00Z) or a span like 7d or 12h, not "${value}"`);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`work-qbo: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const command = positionals.join(' ');
  if (values.help || command === '' || command === 'help') {
    io.stdout(`${USAGE}\n`);
    return command === '' && !values.help ? EXIT.usage : EXIT.ok;
  }
  const clock = io.clock ?? (() => new Date());
  const logger = createLogger(values['log-level'] ?? (command === 'worker' ? 'info' : 'warn'), { write: (line: string) => io.stderr(line) });
  let knex: Knex | null = null;
  try {
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    const url = values['database-url'] ?? io.env['DATABASE_URL'];
    if (!url) throw new UsageError('no database: set DATABASE_URL or pass --database-url');
    knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 4 } });
    return await run({ knex, values, io, clock, logger });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`work-qbo: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    const message = (error as Error).message;
    const hint = /relation "qbo_[a-z_]+" does not exist/.test(message) ? ' (the plugin\'s tables are missing: run `work-qbo migrate` first)' : '';
    io.stderr(`work-qbo ${command} failed: ${message}${hint}\n`);
    return EXIT.failed;
  } finally {
    await knex?.destroy();
  }
}

interface Context {
  knex: Knex;
  values: Values;
  io: CliIo;
  clock: () => Date;
  logger: Logger;
}

type Command = (ctx: Context) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  async migrate({ knex, io }) {
    const applied = await migratePlugin(knex);
    io.stdout(json({ applied }));
    return EXIT.ok;
  },

  async status({ knex, values, io, clock }) {
    const report = await new HealthService({ repository: new HealthRepository(knex), clock }).health(values.account === undefined ? {} : { accountId: values.account });
    io.stdout(json(report));
    return EXIT.ok;
  },

  async 'webhooks replay'({ knex, values, io, clock, logger }) {
    const since = parseSince(values.since, clock());
    const replay = new WebhookReplay({
      events: new WebhookEventRepository(knex),
      connections: new ConnectionRepository(knex),
      accounts: new HealthRepository(knex),
      // The window does not matter here: replayed pulls are due at once.
      pulls: new DebouncedPullRequests({ repository: new PullRequestRepository(knex), clock, debounceMs: 0 }),
    });
    const accounts = await replay.replay(values.account === undefined ? { since } : { since, accountId: values.account });
    logger.info({ since: since.toISOString(), accounts: accounts.length }, 'QuickBooks webhook replay queued pulls');
    io.stdout(json({ since, accounts }));
    return EXIT.ok;
  },

  async sync(ctx) {
    const accountId = requireAccount(ctx.values, 'sync');
    return withEngine(ctx, 'sync', async (engine) => report(ctx, await engine.sync(accountId, { onboarding: ctx.values.onboarding ?? false, dryRun: ctx.values['dry-run'] ?? false })));
  },

  async drain(ctx) {
    return withEngine(ctx, 'drain', async (engine) => report(ctx, await engine.drain(ctx.values.account === undefined ? {} : { accountId: ctx.values.account })));
  },

  /** Failures due at once and their records queued again; a worker's drain (or `drain`) sends them. */
  async retry(ctx) {
    const accountId = requireAccount(ctx.values, 'retry');
    return withEngine(ctx, 'retry', async (engine) => report(ctx, await engine.retry(accountId, { failedOnly: ctx.values.failed ?? false })));
  },

  /** The plugin's schedules (keep-alive, retention, and the engine's once it is wired) in a process of its own. */
  async worker(ctx) {
    // Listen first: a SIGTERM that arrives while starting must still stop the worker cleanly, not kill it.
    const stopRequested = (ctx.io.stopSignal ?? untilSignalled)();
    const { host, options, clock } = await loadHost(ctx, 'worker');
    // A worker exists to run the schedules, whatever the host's web processes were told.
    const handle = register(host, { ...options, syncJobs: true }, { logger: ctx.logger, clock: clock ?? ctx.clock });
    await handle.start();
    ctx.logger.info({ pid: process.pid }, 'QuickBooks worker started');
    ctx.io.stdout(json({ worker: 'started', engine: true, pid: process.pid }));
    await stopRequested;
    await handle.stop();
    ctx.logger.info('QuickBooks worker stopped');
    ctx.io.stdout(json({ worker: 'stopped' }));
    return EXIT.ok;
  },
};

/** Print what the engine did; a run that did not finish (failed, already running, not connected) exits 1. */
function report(ctx: Context, outcome: EngineOutcome): number {
  ctx.io.stdout(json(outcome));
  return outcome.ok ? EXIT.ok : EXIT.failed;
}

function requireAccount(values: Values, command: string): string {
  if (!values.account) throw new UsageError(`${command} needs --account ID`);
  return values.account;
}

function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}

async function loadHost(ctx: Context, command: string): Promise<CliPluginHost> {
  const modulePath = ctx.values['host-module'] ?? ctx.io.env['WORK_QBO_HOST_MODULE'];
  if (!modulePath) {
    throw new UsageError(`${command} runs Work's side of the sync, so it needs the host: pass --host-module PATH (a module exporting createPluginHost({ knex }) → { host, options }) or set WORK_QBO_HOST_MODULE`);
  }
  const loaded = (await loadModule(path.resolve(modulePath))) as { createPluginHost?: unknown; default?: { createPluginHost?: unknown } };
  const factory = loaded.createPluginHost ?? loaded.default?.createPluginHost;
  if (typeof factory !== 'function') throw new UsageError(`${modulePath} does not export createPluginHost({ knex })`);
  return (await (factory as (args: { knex: Knex }) => Promise<CliPluginHost> | CliPluginHost)({ knex: ctx.knex }));
}

/** CommonJS first (a host's compiled module, or TypeScript under tsx), then ES modules. */
async function loadModule(file: string): Promise<unknown> {
  try {
    return createRequire(__filename)(file) as unknown;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw error;
    return (await import(pathToFileURL(file).href)) as unknown;
  }
}

/** The plugin built on the host's side, without its schedules (this command is the only work), stopped after. */
async function withEngine(ctx: Context, command: string, work: (engine: EnginePort) => Promise<number>): Promise<number> {
  const { host, options, clock } = await loadHost(ctx, command);
  const handle = register(host, { ...options, syncJobs: false }, { logger: ctx.logger, clock: clock ?? ctx.clock });
  try {
    return await work(handle.engine);
  } finally {
    await handle.stop();
  }
}
