/**
 * A second engine "process" in the test's process: the world's database, Work port and token store, but its
 * own QBO client pointed at another base URL (the fault proxy) and running on a compressed clock, so the
 * client's waits (60–70 s after a 429, 1–30 s after a 5xx or a dropped call) take a fraction of a second.
 * The engine's own clock stays the sandbox's, so moving the sandbox clock makes back-offs due.
 */
import { ConnectionRepository } from '../../plugin/persistence/connection-repository';
import { WriteBatchRepository } from '../../plugin/persistence/write-batch-repository';
import type { Clock } from '../../plugin/qbo/clock';
import { createQboHttpClient } from '../../plugin/qbo/create-client';
import { DurableBatchWriter } from '../../plugin/qbo/durable-batch';
import { createEngineDeps } from '../../plugin/sync/engine/create-sync-engine';
import { SyncEngine } from '../../plugin/sync/engine/sync-engine';
import type { Env } from './resilience-support';

/** Time running `factor` times faster than the wall clock. */
export function compressedClock(factor: number): Clock {
  const start = Date.now();
  return {
    now: () => start + (Date.now() - start) * factor,
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms / factor));
        const onAbort = (): void => {
          clearTimeout(timer);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export function engineOn(env: Env & { logger: Parameters<typeof createEngineDeps>[0]['logger'] }, apiBaseUrl: string, clock: Clock): SyncEngine {
  const { knex, logger } = env;
  const tokens = env.work.plugin.tokens;
  const base = createEngineDeps({ knex, work: env.work.host.work, connections: new ConnectionRepository(knex), tokens, logger, clock: env.pluginClock, apiBaseUrl });
  base.qbo.close();
  const qbo = createQboHttpClient({ knex, tokens, logger, apiBaseUrl, clock });
  return new SyncEngine({ ...base, qbo, writer: new DurableBatchWriter({ client: qbo, batches: new WriteBatchRepository(knex), logger, clock: env.pluginClock }) });
}
