import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { ConnectionRepository } from '../persistence/connection-repository';
import type { TokenStore } from '../qbo/token-store';

export interface TokenKeepAliveDeps {
  connections: Pick<ConnectionRepository, 'listIdleConnected'>;
  tokens: Pick<TokenStore, 'refreshIfIdle'>;
  logger: Logger;
  clock: () => Date;
  /** Refresh connections whose tokens nobody refreshed for this long. */
  idleMs: number;
  schedule: string;
  batchSize?: number;
}

/**
 * Intuit's refresh token lives 100 days from its last use. An account that syncs nothing for months would
 * silently lose its connection, so this job refreshes idle connections well before that. The refresh goes
 * through the token store: the same lock and rules as every other refresh, so it can run on every process.
 */
export class TokenKeepAliveJob {
  private task: ScheduledTask | null = null;

  constructor(private readonly deps: TokenKeepAliveDeps) {}

  start(): void {
    this.task ??= cron.schedule(this.deps.schedule, () => this.runOnce().then(() => undefined), { name: 'qbo-token-keepalive', noOverlap: true });
  }

  /** Stop and unregister the schedule (a pass already running finishes on its own). */
  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = null;
  }

  get isScheduled(): boolean {
    return this.task !== null;
  }

  /** One pass; returns how many connections were refreshed. One failing realm never stops the others. */
  async runOnce(): Promise<number> {
    const idleSince = new Date(this.deps.clock().getTime() - this.deps.idleMs);
    const due = await this.deps.connections.listIdleConnected(idleSince, this.deps.batchSize ?? 100);
    let refreshed = 0;
    for (const { account_id: accountId, realm_id: realmId } of due) {
      try {
        if (await this.deps.tokens.refreshIfIdle(realmId, idleSince)) refreshed += 1;
      } catch (error) {
        this.deps.logger.warn({ accountId, realmId, error: (error as Error).message }, 'QuickBooks keep-alive refresh failed');
      }
    }
    if (due.length) this.deps.logger.info({ due: due.length, refreshed }, 'QuickBooks keep-alive pass finished');
    return refreshed;
  }
}
