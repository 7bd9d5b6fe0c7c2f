import type { Knex } from 'knex';
import type { WebhookEvent } from '../webhooks/payload';

export type WebhookEventStatus = 'accepted' | 'unknown_realm';

export interface WebhookEventRow {
  id: string;
  dedupe_key: string;
  format: 'legacy' | 'cloudevents';
  realm_id: string;
  account_id: string | null;
  status: WebhookEventStatus;
  entity: string;
  entity_id: string;
  operation: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  received_at: Date;
}

/** An event to store, with the Work account its realm belongs to (null: no connected account has it). */
export interface EventToStore {
  event: WebhookEvent;
  accountId: string | null;
}

const TABLE = 'qbo_webhook_events';

/** The only code that writes qbo_webhook_events. */
export class WebhookEventRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Store the events not seen before and return those (a replayed or retried event is skipped by its key,
   * even when two processes receive the same delivery at once).
   */
  async insertNew(trx: Knex.Transaction, events: EventToStore[], now: Date): Promise<WebhookEventRow[]> {
    if (events.length === 0) return [];
    const rows = events.map(({ event, accountId }) => ({
      dedupe_key: event.dedupeKey,
      format: event.format,
      realm_id: event.realmId,
      account_id: accountId,
      status: accountId === null ? 'unknown_realm' : 'accepted',
      entity: event.entity,
      entity_id: event.entityId,
      operation: event.operation,
      occurred_at: event.occurredAt,
      payload: JSON.stringify(event.payload),
      received_at: now,
    }));
    return trx(TABLE).insert(rows).onConflict('dedupe_key').ignore().returning('*');
  }

  /** Accepted events of one account received since `since`, oldest first (what a replay re-queues). */
  async countAcceptedSince(accountId: string, since: Date): Promise<number> {
    const row = await this.knex(TABLE)
      .where({ account_id: accountId, status: 'accepted' })
      .andWhere('received_at', '>=', since)
      .count<{ count: string }[]>({ count: '*' })
      .first();
    return Number(row?.count ?? 0);
  }

  /** Accounts with accepted events received since `since`. */
  async accountsWithEventsSince(since: Date): Promise<string[]> {
    const rows = await this.knex(TABLE)
      .where({ status: 'accepted' })
      .andWhere('received_at', '>=', since)
      .distinct('account_id')
      .orderBy('account_id');
    return rows.map((r: { account_id: string }) => r.account_id);
  }

  /**
   * Events stored for a realm nobody had connected, whose realm now belongs to `accountId`: adopt them so a
   * replay pulls their changes. Scoped to the realm the account is connected to.
   */
  async adoptUnknownRealm(accountId: string, realmId: string, since: Date): Promise<number> {
    return this.knex(TABLE)
      .where({ realm_id: realmId, status: 'unknown_realm' })
      .andWhere('received_at', '>=', since)
      .update({ account_id: accountId, status: 'accepted' });
  }

  async listForAccount(accountId: string): Promise<WebhookEventRow[]> {
    return this.knex<WebhookEventRow>(TABLE).where({ account_id: accountId }).orderBy('id');
  }

  async listUnknownRealm(realmId: string): Promise<WebhookEventRow[]> {
    return this.knex<WebhookEventRow>(TABLE).where({ realm_id: realmId, status: 'unknown_realm' }).orderBy('id');
  }
}
