import type { Logger } from 'pino';
import type { WorkHost } from './host/work-host';
import { createLifecycleTranslator } from './host/lifecycle-translator';
import { loadConfig, type PluginOptions } from './config';
import { deriveSecret } from './crypto/derive-secret';
import { TokenCipher } from './crypto/token-cipher';
import { TokenKeepAliveJob } from './jobs/token-keepalive';
import { createLogger } from './logger';
import { ConnectionRepository } from './persistence/connection-repository';
import { migratePlugin } from './persistence/migrate';
import { OAuthStateRepository } from './persistence/oauth-state-repository';
import { OutboxRepository } from './persistence/outbox-repository';
import { AxiosCompanyReader } from './qbo/company-reader';
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
import { SyncAdminQueries } from './persistence/sync-admin-queries';
import { ReviewRepository } from './persistence/review-repository';
import { recordStatuses, type RecordSyncStatus } from './sync/record-status';
import type { SyncEntity } from './persistence/sync-log-repository';
import { SyncRunStarter } from './web/sync-run-starter';
import { SyncPagesController } from './web/sync-pages-controller';
import { LogController } from './web/log-controller';
import { ReviewController } from './web/review-controller';
import { ReconciliationController } from './web/reconciliation-controller';

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
  });
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

  let unsubscribe: (() => void) | null = null;
  return {
    tokens,
    sync,
    isPaused: (accountId) => connections.isPaused(accountId),
    recordStatus: (accountId, entity, workIds) => recordStatuses(queries, config.mountPath, accountId, entity, workIds),
    settled: () => starter.settled(),
    async start() {
      await migratePlugin(knex);
      unsubscribe ??= host.onLifecycle(translator);
      keepAlive.start();
      logger.info('QuickBooks plugin started');
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await keepAlive.stop();
      // A run the admin started stops at its next checkpoint when the client closes.
      sync.close();
      await starter.settled();
    },
  };
}
