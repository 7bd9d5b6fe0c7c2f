import crypto from 'node:crypto';
import type { Knex } from 'knex';

export type WriteOutcome = 'applied' | 'rejected';

export interface WriteIntentRow {
  id: string;
  realm_id: string;
  op_key: string;
  request_id: string;
  outcome: WriteOutcome | null;
  created_at: Date;
  completed_at: Date | null;
}

/** What the http client needs from the store; the knex repository below is the real one. */
export interface WriteIntentStore {
  /** The requestid for (realm, operation), created and committed on first use, the same one afterwards. */
  requestIdFor(realmId: string, opKey: string): Promise<string>;
  /** QBO gave a definitive answer to the write: applied, or rejected by a fault that retrying cannot fix. */
  markCompleted(realmId: string, opKey: string, outcome: WriteOutcome): Promise<void>;
}

export const MAX_OP_KEY_LENGTH = 200;

/**
 * The only code that writes qbo_write_intents. It uses its own connection, never the caller's transaction:
 * the requestid must be committed before the request leaves, or a crash after sending would lose it.
 */
export class WriteIntentRepository implements WriteIntentStore {
  constructor(
    private readonly knex: Knex,
    private readonly newRequestId: () => string = () => crypto.randomUUID(),
  ) {}

  async requestIdFor(realmId: string, opKey: string): Promise<string> {
    if (opKey.length === 0 || opKey.length > MAX_OP_KEY_LENGTH) {
      throw new Error(`write operation key must be 1-${MAX_OP_KEY_LENGTH} characters`);
    }
    // ON CONFLICT … DO UPDATE (a no-op) makes RETURNING give the existing row to a concurrent second caller.
    const { rows } = await this.knex.raw<{ rows: { request_id: string }[] }>(
      `INSERT INTO qbo_write_intents (realm_id, op_key, request_id)
       VALUES (?, ?, ?)
       ON CONFLICT (realm_id, op_key) DO UPDATE SET op_key = EXCLUDED.op_key
       RETURNING request_id`,
      [realmId, opKey, this.newRequestId()],
    );
    const row = rows[0];
    if (!row) throw new Error('write intent was not stored');
    return row.request_id;
  }

  async markCompleted(realmId: string, opKey: string, outcome: WriteOutcome): Promise<void> {
    await this.knex('qbo_write_intents')
      .where({ realm_id: realmId, op_key: opKey })
      .whereNull('completed_at')
      .update({ outcome, completed_at: this.knex.fn.now() });
  }

  async find(realmId: string, opKey: string): Promise<WriteIntentRow | undefined> {
    return this.knex<WriteIntentRow>('qbo_write_intents').where({ realm_id: realmId, op_key: opKey }).first();
  }

  /** Retention: completed intents older than `before` are no longer needed to de-duplicate. */
  async deleteCompletedBefore(before: Date): Promise<number> {
    return this.knex('qbo_write_intents').whereNotNull('completed_at').where('completed_at', '<', before).delete();
  }
}
