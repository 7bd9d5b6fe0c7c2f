import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { WorkPort } from '../../host/work-host';
import type { AccountLockRepository } from '../../persistence/account-lock-repository';
import type { AnsweredWriteRepository } from '../../persistence/answered-write-repository';
import type { CdcBookmarkRepository } from '../../persistence/cdc-bookmark-repository';
import type { ConnectionRepository } from '../../persistence/connection-repository';
import type { MappingRepository } from '../../persistence/mapping-repository';
import type { OutboxClaimRepository } from '../../persistence/outbox-claim-repository';
import type { ReviewRepository } from '../../persistence/review-repository';
import type { SyncLogRepository } from '../../persistence/sync-log-repository';
import type { SyncRunRepository } from '../../persistence/sync-run-repository';
import type { SyncSettingsReader } from '../../persistence/sync-settings-reader';
import type { DurableBatchWriter } from '../../qbo/durable-batch';
import type { QboHttpClient } from '../../qbo/http-client';
import type { SyncRules } from './sync-rules';

/** Everything the engine and its flows use; built once per process in plugin/index.ts. */
export interface EngineDeps {
  knex: Knex;
  work: WorkPort;
  /** One client per process: its limiter counts each realm's calls. */
  qbo: QboHttpClient;
  writer: DurableBatchWriter;
  /** Creates the writer committed as answered whose mapping is missing (a crash in between). */
  answered: AnsweredWriteRepository;
  connections: ConnectionRepository;
  runs: SyncRunRepository;
  log: SyncLogRepository;
  mappings: MappingRepository;
  reviews: ReviewRepository;
  outbox: OutboxClaimRepository;
  bookmarks: CdcBookmarkRepository;
  locks: AccountLockRepository;
  settings: SyncSettingsReader;
  rules: SyncRules;
  logger: Logger;
  clock: () => Date;
  /** Names this process in claimed outbox rows. */
  workerId: string;
}
