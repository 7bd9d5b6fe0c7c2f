import type { Knex } from 'knex';
import type { LifecycleAction, WorkEntity } from '../host/work-host';

export interface OutboxRow {
  id: string;
  account_id: string;
  entity: WorkEntity;
  record_id: string;
  action: LifecycleAction;
  status: 'pending' | 'processing' | 'done' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface EnqueueInput {
  accountId: string;
  entity: WorkEntity;
  recordId: string;
  action: LifecycleAction;
}

/** The only code that writes qbo_outbox. */
export class OutboxRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Queue a push for one record inside the caller's transaction. A record with a pending row already keeps
   * that one row: the newest action wins, except that a record created and then updated stays "created".
   */
  async enqueue(input: EnqueueInput, trx: Knex.Transaction): Promise<void> {
    await trx.raw(
      `INSERT INTO qbo_outbox (account_id, entity, record_id, action)
       VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id, entity, record_id) WHERE status = 'pending'
       DO UPDATE SET
         action = CASE
           WHEN qbo_outbox.action = 'created' AND EXCLUDED.action = 'updated' THEN 'created'
           ELSE EXCLUDED.action
         END,
         updated_at = now()`,
      [input.accountId, input.entity, input.recordId, input.action],
    );
  }

  async listForAccount(accountId: string): Promise<OutboxRow[]> {
    return this.knex<OutboxRow>('qbo_outbox').where({ account_id: accountId }).orderBy('id');
  }
}
