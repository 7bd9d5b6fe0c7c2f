import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ConnectionRepository } from '../persistence/connection-repository';
import type { EventToStore, WebhookEventRepository } from '../persistence/webhook-event-repository';
import type { PullRequester } from '../ops/pull-requests';
import type { WebhookEvent, WebhookFormat } from './payload';

export interface IntakeResult {
  received: number;
  stored: number;
  /** Events stored before (Intuit's retry, a replayed body): skipped. */
  duplicates: number;
  /** Stored events whose realm no Work account has connected: kept, no pull. */
  unknownRealm: number;
  /** Accounts that got a new pull scheduled (others were folded into one already waiting). */
  pullsScheduled: string[];
  pullsFolded: string[];
}

export interface WebhookIntakeDeps {
  knex: Knex;
  events: Pick<WebhookEventRepository, 'insertNew'>;
  connections: Pick<ConnectionRepository, 'findByRealm'>;
  pulls: PullRequester;
  logger: Logger;
  clock: () => Date;
}

/**
 * Takes verified events: stores each once and asks for a debounced CDC pull for every account with a new
 * event, in one transaction (an event is never stored without its pull being asked for). Only PostgreSQL is
 * touched, never QuickBooks, so the answer goes back well within Intuit's 3 seconds.
 */
export class WebhookIntake {
  constructor(private readonly deps: WebhookIntakeDeps) {}

  async receive(format: WebhookFormat, events: WebhookEvent[]): Promise<IntakeResult> {
    const accountByRealm = await this.resolveRealms(events);
    // A stable order, so two processes storing overlapping deliveries lock rows in the same order.
    const toStore: EventToStore[] = [...events]
      .sort((a, b) => (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0))
      .map((event) => ({ event, accountId: accountByRealm.get(event.realmId) ?? null }));
    const now = this.deps.clock();

    const result = await this.deps.knex.transaction(async (trx) => {
      const stored = await this.deps.events.insertNew(trx, dedupeWithin(toStore), now);
      const accounts = [...new Set(stored.flatMap((r) => (r.account_id === null ? [] : [r.account_id])))].sort();
      const pullsScheduled: string[] = [];
      const pullsFolded: string[] = [];
      for (const accountId of accounts) {
        const outcome = await this.deps.pulls.requestPull(accountId, 'webhook', { trx });
        (outcome.scheduled ? pullsScheduled : pullsFolded).push(accountId);
      }
      return {
        received: events.length,
        stored: stored.length,
        duplicates: events.length - stored.length,
        unknownRealm: stored.filter((r) => r.account_id === null).length,
        pullsScheduled,
        pullsFolded,
      };
    });

    const unknownRealms = [...new Set(toStore.filter((e) => e.accountId === null).map((e) => e.event.realmId))];
    if (unknownRealms.length > 0) {
      this.deps.logger.warn({ realms: unknownRealms }, 'QuickBooks webhook for a company no Work account has connected: stored and ignored');
    }
    if (result.duplicates > 0) {
      this.deps.logger.info({ duplicates: result.duplicates, received: result.received }, 'QuickBooks webhook events already received (a retry or replay): skipped');
    }
    this.deps.logger.info({ format, ...result }, 'QuickBooks webhook received');
    return result;
  }

  /** realm → account of a connection that still listens (connected, or paused until a reconnect). */
  private async resolveRealms(events: WebhookEvent[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    for (const realmId of new Set(events.map((e) => e.realmId))) {
      const connection = await this.deps.connections.findByRealm(realmId);
      if (connection && connection.status !== 'disconnected') map.set(realmId, connection.account_id);
    }
    return map;
  }
}

/** One body may carry the same event twice; INSERT … ON CONFLICT cannot touch one key twice in a statement. */
function dedupeWithin(events: EventToStore[]): EventToStore[] {
  const seen = new Set<string>();
  return events.filter(({ event }) => (seen.has(event.dedupeKey) ? false : (seen.add(event.dedupeKey), true)));
}
