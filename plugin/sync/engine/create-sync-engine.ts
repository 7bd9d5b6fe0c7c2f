import os from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { WorkPort } from '../../host/work-host';
import { AccountLockRepository } from '../../persistence/account-lock-repository';
import { AnsweredWriteRepository } from '../../persistence/answered-write-repository';
import { CdcBookmarkRepository } from '../../persistence/cdc-bookmark-repository';
import type { ConnectionRepository } from '../../persistence/connection-repository';
import { MappingRepository } from '../../persistence/mapping-repository';
import { OutboxClaimRepository } from '../../persistence/outbox-claim-repository';
import { ReviewRepository } from '../../persistence/review-repository';
import { SyncLogRepository } from '../../persistence/sync-log-repository';
import { SyncRunRepository } from '../../persistence/sync-run-repository';
import { SyncSettingsReader } from '../../persistence/sync-settings-reader';
import { WriteBatchRepository } from '../../persistence/write-batch-repository';
import type { AccessTokenProvider } from '../../qbo/access-token-provider';
import { createQboHttpClient } from '../../qbo/create-client';
import { DurableBatchWriter } from '../../qbo/durable-batch';
import { DEFAULT_SYNC_RULES } from './default-rules';
import type { EngineDeps } from './engine-deps';
import { SyncEngine } from './sync-engine';
import type { SyncRules } from './sync-rules';

/** What the host gets on the plugin handle. */
export type SyncHandle = Pick<SyncEngine, 'preview' | 'sync' | 'status' | 'retryLogEntry' | 'dismissLogEntry' | 'resolveReview' | 'invoiceSettings' | 'updateInvoiceSettings' | 'accountsInQbo' | 'invoiceDifferences' | 'cancel'>;

export interface CreateSyncEngineOptions {
  knex: Knex;
  work: WorkPort;
  connections: ConnectionRepository;
  tokens: AccessTokenProvider;
  logger: Logger;
  clock: () => Date;
  apiBaseUrl: string;
  rules?: SyncRules;
  timeoutMs?: number;
}

/** Wiring: one QBO client (one limiter) and one durable writer per process, every repository on the host's knex. */
export function createEngineDeps(options: CreateSyncEngineOptions): EngineDeps {
  const { knex, logger, clock } = options;
  const qbo = createQboHttpClient({ knex, tokens: options.tokens, logger, apiBaseUrl: options.apiBaseUrl, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  return {
    knex,
    work: options.work,
    qbo,
    writer: new DurableBatchWriter({ client: qbo, batches: new WriteBatchRepository(knex), logger, clock }),
    answered: new AnsweredWriteRepository(knex),
    connections: options.connections,
    runs: new SyncRunRepository(knex),
    log: new SyncLogRepository(knex),
    mappings: new MappingRepository(knex),
    reviews: new ReviewRepository(knex),
    outbox: new OutboxClaimRepository(knex),
    bookmarks: new CdcBookmarkRepository(knex),
    locks: new AccountLockRepository(knex),
    settings: new SyncSettingsReader(knex),
    rules: options.rules ?? DEFAULT_SYNC_RULES,
    logger,
    clock,
    workerId: `${os.hostname()}:${process.pid}`,
  };
}

export function createSyncEngine(options: CreateSyncEngineOptions): SyncEngine {
  return new SyncEngine(createEngineDeps(options));
}
