import type { WorkHost } from './host/work-host';
import { createLifecycleTranslator } from './host/lifecycle-translator';
import { loadConfig, type PluginOptions } from './config';
import { createLogger } from './logger';
import { migratePlugin } from './persistence/migrate';
import { OutboxRepository } from './persistence/outbox-repository';
import { createSettingsRouter } from './web/settings-router';

export type { WorkHost } from './host/work-host';
export type { PluginOptions } from './config';

export interface PluginHandle {
  /** Migrate the plugin's tables and start listening to Work's model events. */
  start(): Promise<void>;
  /** Stop listening and stop every schedule. Safe to call twice. */
  stop(): Promise<void>;
}

/** Wiring only: build the plugin's objects from what the host gives and hand back start/stop. */
export function register(host: WorkHost, options: PluginOptions): PluginHandle {
  const config = loadConfig(options);
  const logger = createLogger(config.logLevel);
  const outbox = new OutboxRepository(host.knex);
  const translator = createLifecycleTranslator({ outbox });

  host.mountRouter(config.mountPath, createSettingsRouter({ host }));

  let unsubscribe: (() => void) | null = null;
  return {
    async start() {
      await migratePlugin(host.knex);
      unsubscribe ??= host.onLifecycle(translator);
      logger.info('QuickBooks plugin started');
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
