import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { WriteIntentRepository } from '../persistence/write-intent-repository';
import type { AccessTokenProvider } from './access-token-provider';
import { QboHttpClient } from './http-client';
import { QboRateLimiter } from './rate-limiter';

export interface CreateQboClientOptions {
  knex: Knex;
  tokens: AccessTokenProvider;
  logger: Logger;
  /** Resolved API base (plugin config, or resolveApiBaseUrl in endpoints.ts). */
  apiBaseUrl: string;
  timeoutMs?: number;
}

/**
 * Wiring for production: one client per process, so one limiter per process counts each realm's calls
 * (a realm is worked by one process at a time under its advisory lock).
 */
export function createQboHttpClient(options: CreateQboClientOptions): QboHttpClient {
  return new QboHttpClient({
    tokens: options.tokens,
    writeIntents: new WriteIntentRepository(options.knex),
    limiter: new QboRateLimiter(),
    logger: options.logger,
    apiBaseUrl: options.apiBaseUrl,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}
