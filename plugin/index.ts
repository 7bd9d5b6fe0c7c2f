import type { Logger } from 'pino';
import type { WorkHost } from './host/work-host';
import { createLifecycleTranslator } from './host/lifecycle-translator';
import { loadConfig, type PluginOptions } from './config';
import { deriveSecret } from './crypto/derive-secret';
import { TokenCipher } from './crypto/token-cipher';
import { TokenKeepAliveJob } from './jobs/token-keepalive';
import { RetentionJob } from './jobs/retention';
import { HealthService, type HealthReport } from './ops/health';
import type { EnginePort } from './ops/engine-port';
import { DebouncedPullRequests, type PullQueue, type PullRequester } from './ops/pull-requests';
import { HealthRepository } from './persistence/health-repository';
import { PullRequestRepository } from './persistence/pull-request-repository';
import { RetentionRepository } from './persistence/retention-repository';
import { WebhookEventRepository } from './persistence/webhook-event-repository';
import { createOpsRouter } from './web/ops-router';
import { createWebhookRouter } from './web/webhook-router';
import { WebhookIntake } from './webhooks/webhook-intake';
import { createLogger } from './logger';
import { ConnectionRepository } from './persistence/connection-repository';
import { migratePlugin } from './persistence/migrate';
import { OAuthStateRepository } from './persistence/oauth-state-repository';
import { OutboxRepository } from './persistence/outbox-repository';
import { AxiosCompanyReader } from './qbo/company-reader';
import { ConnectionCheck, httpCompanyProbe } from './qbo/oauth/connection-check';
import { ConnectionService } from './qbo/oauth/connection-service';
import { IntuitOAuthGateway } from './qbo/oauth/intuit-oauth-gateway';
import { TokenStore } from './qbo/token-store';
import { ConnectionController } from './web/connection-controller';
import { CsrfTokens } from './web/csrf';
import { createSettingsRouter } from './web/settings-router';
import { SettingsRepository } from './persistence/settings-repository';
import { CompanyListReader } from './qbo/company-lists';
import { createQboHttpClient } from './qbo/create-client';
import { SyncSettingsService } from './sync/sync-settings';
import { PageRenderer } from './web/page-renderer';
import { SettingsController } from './web/settings-controller';
import { ProductImportRepository } from './persistence/product-import-repository';
import { ProductImportService } from './sync/import/product-import-service';
import { ImportController } from './web/import-controller';
import { createSyncEngine, type SyncHandle } from './sync/engine/create-sync-engine';
import { engineFromSyncHandle } from './ops/engine-adapter';
import { DrainScheduler } from './jobs/drain-scheduler';
import { NightlySyncJob } from './jobs/nightly-sync';
import { PullScheduler } from './jobs/pull-scheduler';
import { RunsInHand } from './jobs/runs-in-hand';
import { AccountLockRepository } from './persistence/account-lock-repository';
import { NightlyRunRepository } from './persistence/nightly-run-repository';
import { OpsQueueRepository } from './persistence/ops-queue-repository';
import { SyncAdminQueries } from './persistence/sync-admin-queries';
import { ReviewRepository } from './persistence/review-repository';
import { recordStatuses, type RecordSyncStatus } from './sync/record-status';
import type { SyncEntity } from './persistence/sync-log-repository';
import { SyncRunStarter } from './web/sync-run-starter';
import { SyncPagesController } from './web/sync-pages-controller';
import { LogController } from './web/log-controller';
import { ReviewController } from './web/review-controller';
import { ReconciliationController } from './web/reconciliation-controller';

export type { EnginePort } from './ops/engine-port';
export type { HealthReport } from './ops/health';
export type { PullQueue, PullRequester } from './ops/pull-requests';
export type { WorkHost } from './host/work-host';
export type { PluginOptions } from './config';
export type { AccessTokenProvider } from './qbo/access-token-provider';
export type { SyncHandle } from './sync/engine/create-sync-engine';
export type { RecordSyncStatus } from './sync/record-status';

export interface PluginHandle {
  /** Migrate the plugin's tables, start listening to Work's model events and start the schedules. */
  start(): Promise<void>;
  /** Stop listening and stop every schedule. Safe to call twice. */
  stop(): Promise<void>;
  /** Access tokens for the QuickBooks HTTP client (single-flight refresh, encrypted at rest). */
  tokens: TokenStore;
  /** Health per account (connection, queue depth and age, last run, recent failures) for monitoring. */
  health(opts?: { accountId?: string }): Promise<HealthReport>;
  /** CDC pulls asked for by webhooks: the engine's scheduler claims due ones (SKIP LOCKED, leased). */
  pulls: PullQueue & PullRequester;
  /** The sync engine's commands for the operator CLI and the schedules (sync, drain, retry, pull). */
  engine: EnginePort;
  /** Whether an account's queue must wait: its connection needs a reconnect or is not connected. */
  isPaused(accountId: string): Promise<boolean>;
  /** The sync engine: preview, sync, status, retry/dismiss a log entry, resolve a review entry. */
  sync: SyncHandle;
  /**
   * The QuickBooks status of Work records for Work's own pages: linked (QBO id), waiting, failed (reason) or
   * not synced, each with a link to the plugin's log filtered for that record. Scoped to the account.
   */
  recordStatus(accountId: string, entity: SyncEntity, workIds: readonly string[]): Promise<Map<string, RecordSyncStatus>>;
  /** Wait for the runs the admin pages started in the background to settle (tests, a graceful stop). */
  settled(): Promise<void>;
}

/** What the host may inject besides options (tests capture logs and move time with these). */
export interface PluginRuntime {
  logger?: Logger;
  clock?: () => Date;
}

const DAY_MS = 86_400_000;
const COMPANY_READ_TIMEOUT_MS = 30_000;
/** After the engine's calls are cut off, how long its runs get to record their state before stop() goes on. */
const STOP_CUT_OFF_WAIT_MS = 10_000;
/** Intuit's webhook bodies are small (a few KB); anything near this is not Intuit. */
const WEBHOOK_MAX_BODY_BYTES = 256 * 1024;

/** Wiring only: build the plugin's objects from what the host gives and hand back start/stop. */
export function register(host: WorkHost, options: PluginOptions, runtime: PluginRuntime = {}): PluginHandle {
  const config = loadConfig(options);
  const logger = runtime.logger ?? createLogger(config.logLevel);
  const clock = runtime.clock ?? (() => new Date());
  const knex = host.knex;

  const outbox = new OutboxRepository(knex);
  const translator = createLifecycleTranslator({ outbox });
  const connections = new ConnectionRepository(knex);
  const cipher = TokenCipher.fromBase64(config.tokenEncryptionKeys, config.tokenEncryptionKeyId);
  const oauth = new IntuitOAuthGateway({
    environment: config.environment,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    endpoints: config.endpoints,
    clock,
  });
  const tokens = new TokenStore({ knex, connections, cipher, oauth, logger, clock, refreshAheadMs: config.refreshAheadSeconds * 1000 });
  const service = new ConnectionService({
    knex,
    connections,
    states: new OAuthStateRepository(knex),
    oauth,
    companies: new AxiosCompanyReader({ apiBaseUrl: config.endpoints.apiBaseUrl, timeoutMs: COMPANY_READ_TIMEOUT_MS }),
    cipher,
    logger,
    clock,
    stateTtlMs: config.oauthStateTtlSeconds * 1000,
  });
  const currentKey = config.tokenEncryptionKeys[config.tokenEncryptionKeyId] ?? '';
  const csrf = new CsrfTokens(deriveSecret(currentKey, 'settings-csrf-v1'));
  const pages = new PageRenderer(host);
  const connection = new ConnectionController({
    currentAccount: (req) => host.currentAccount(req),
    connections,
    service,
    csrf,
    pages,
    clock,
    hardExpiryWarningDays: config.hardExpiryWarningDays,
    cookiePath: config.mountPath,
    redirectUri: config.redirectUri,
    check: new ConnectionCheck({
      tokens,
      probe: httpCompanyProbe(config.endpoints.apiBaseUrl),
      markNeedsReconnect: (realmId, reason) => knex.transaction((trx) => connections.markNeedsReconnect(trx, realmId, reason, clock())),
      clock,
      logger,
    }),
  });
  const pulls = new DebouncedPullRequests({ repository: new PullRequestRepository(knex), clock, debounceMs: config.webhookDebounceSeconds * 1000 });
  const healthService = new HealthService({ repository: new HealthRepository(knex), clock });
  const retention = new RetentionJob({ repository: new RetentionRepository(knex), logger, clock, retentionDays: config.retentionDays, schedule: config.retentionCron });
  const intake = new WebhookIntake({ knex, events: new WebhookEventRepository(knex), connections, pulls, logger, clock });

  // Mounted before the settings router (below), which puts everything under the mount path behind the admin login.
  host.mountRouter(`${config.mountPath.replace(/\/+$/, '')}/webhooks`, createWebhookRouter({ verifierToken: config.webhookVerifierToken ?? null, intake, logger, maxBodyBytes: WEBHOOK_MAX_BODY_BYTES }));
  host.mountRouter(`${config.mountPath.replace(/\/+$/, '')}/ops`, createOpsRouter({ opsToken: config.opsToken ?? null, health: healthService, logger }));

  const keepAlive = new TokenKeepAliveJob({
    connections,
    tokens,
    logger,
    clock,
    idleMs: config.keepAliveIdleDays * DAY_MS,
    schedule: config.keepAliveCron,
  });

  // The plugin's one QuickBooks HTTP client (one limiter per process); the sync engine shares it.
  const qbo = createQboHttpClient({ knex, tokens, logger, apiBaseUrl: config.endpoints.apiBaseUrl });
  const syncSettings = new SyncSettingsService(knex, new SettingsRepository(knex), clock);
  const settings = new SettingsController({
    currentAccount: (req) => host.currentAccount(req),
    connections,
    lists: new CompanyListReader(qbo),
    settings: syncSettings,
    csrf,
    pages,
    logger,
    cookiePath: config.mountPath,
  });

  const productImport = new ImportController({
    currentAccount: (req) => host.currentAccount(req),
    imports: new ProductImportService(knex, new ProductImportRepository(knex), () => host.work.items, clock),
    csrf,
    pages,
    cookiePath: config.mountPath,
  });

  const sync = createSyncEngine({ knex, work: host.work, connections, tokens, logger, clock, apiBaseUrl: config.endpoints.apiBaseUrl });
  const queries = new SyncAdminQueries(knex);
  const starter = new SyncRunStarter({ sync, queries, logger });
  const pageDeps = { currentAccount: (req: Parameters<WorkHost['currentAccount']>[0]) => host.currentAccount(req), csrf, pages, cookiePath: config.mountPath };
  const syncPages = new SyncPagesController({ ...pageDeps, sync, starter, queries, work: () => host.work, logger, clock });
  const log = new LogController({ ...pageDeps, sync, queries });
  const review = new ReviewController({ ...pageDeps, sync, reviews: new ReviewRepository(knex), queries });
  const reconciliation = new ReconciliationController({ currentAccount: pageDeps.currentAccount, sync, work: () => host.work, pages });
  host.mountRouter(config.mountPath, createSettingsRouter({ host, connection, settings, productImport, syncPages, log, review, reconciliation }));

  // The schedules (issue 10): every process may run them; advisory locks and leased SKIP LOCKED claims keep
  // one process per account and per record. `runs` knows the runs in hand, so stop() can finish or hand them back.
  const opsQueue = new OpsQueueRepository(knex);
  const engine = engineFromSyncHandle({ sync, accounts: () => new HealthRepository(knex).listAccountIds(), failedLogIds: (id, onlyGivenUp) => opsQueue.failedLogIds(id, onlyGivenUp) });
  const runs = new RunsInHand();
  const drain = new DrainScheduler({ queue: opsQueue, engine, runs, logger, clock, schedule: config.drainCron });
  const nightly = new NightlySyncJob({ nights: new NightlyRunRepository(knex), engine, runs, logger, clock, schedule: config.nightlyCron, jitterMinutes: config.nightlyJitterMinutes, catchUpHours: config.nightlyCatchUpHours });
  // A webhook for an account whose first sync has not run yet is left to that sync (it reads everything).
  const pullOnboarded: EnginePort['pull'] = async (claim) => ((await opsQueue.isOnboarded(claim.accountId)) ? engine.pull(claim) : { status: 'skipped' });
  const pullScheduler = new PullScheduler({ pulls, engine: { pull: (claim) => runs.track(claim.accountId, () => pullOnboarded(claim)) }, logger, schedule: config.pullCron });
  const locks = new AccountLockRepository(knex);
  /** Records of runs cut off by stop() go back to the queue at once, under the account's lock (no live run has them). */
  const handBack = async (accountIds: string[]): Promise<void> => {
    for (const accountId of accountIds) {
      const lock = await locks.tryLock(accountId).catch(() => null);
      if (!lock) continue;
      try {
        const n = await opsQueue.handBackProcessing(accountId, clock());
        if (n > 0) logger.warn({ accountId, rows: n }, 'QuickBooks worker stopping: records in hand handed back to the queue');
      } finally {
        await lock.release();
      }
    }
  };

  let unsubscribe: (() => void) | null = null;
  return {
    tokens,
    sync,
    isPaused: (accountId) => connections.isPaused(accountId),
    health: (opts) => healthService.health(opts),
    pulls,
    engine,
    recordStatus: (accountId, entity, workIds) => recordStatuses(queries, config.mountPath, accountId, entity, workIds),
    settled: () => starter.settled(),
    async start() {
      await migratePlugin(knex);
      unsubscribe ??= host.onLifecycle(translator);
      keepAlive.start();
      retention.start();
      if (config.syncJobs) {
        drain.start();
        nightly.start();
        pullScheduler.start();
      }
      logger.info({ syncJobs: config.syncJobs }, 'QuickBooks plugin started');
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      runs.beginStop();
      await Promise.all([drain.stop(), nightly.stop(), pullScheduler.stop(), keepAlive.stop(), retention.stop()]);
      // Finish what is in hand; past the grace period end its QuickBooks calls and give its records back.
      const inHand = runs.accounts();
      if (!(await runs.settled(config.stopGraceSeconds * 1000))) {
        logger.warn({ accounts: inHand }, 'QuickBooks worker stopping: runs still going after the grace period are cut off');
        sync.close();
        await runs.settled(STOP_CUT_OFF_WAIT_MS);
        await handBack(inHand);
      }
      sync.close();
      await starter.settled();
    },
  };
}
