import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { WriteIntentRepository } from '../persistence/write-intent-repository';
import type { AccessTokenProvider } from './access-token-provider';
import type { Clock } from './clock';
import { QboHttpClient } from './http-client';
import { QboRateLimiter } from './rate-limiter';

export interface CreateQboClientOptions {
  knex: Knex;
  tokens: AccessTokenProvider;
  logger: Logger;
  /** Resolved API base (plugin config, or resolveApiBaseUrl in endpoints.ts). */
  apiBaseUrl: string;
  timeoutMs?: number;
  /**
   * Time for the limiter's windows and the retry waits; the system clock by default. Tests and benchmarks
   * pass the sandbox's compressed clock so limiter and sandbox count the same minute.
   */
  clock?: Clock;
}

/**
 * Wiring for production: one client per process, so one limiter per process counts each realm's calls
 * (a realm is worked by one process at a time under its advisory lock).
 */
export function createQboHttpClient(options: CreateQboClientOptions): QboHttpClient {
  return new QboHttpClient({
    tokens: options.tokens,
    writeIntents: new WriteIntentRepository(options.knex),
    limiter: new QboRateLimiter(options.clock),
    logger: options.logger,
    apiBaseUrl: options.apiBaseUrl,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}
