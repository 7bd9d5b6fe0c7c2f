import type { Knex } from 'knex';
import type { SyncEntity } from './sync-log-repository';

export interface MappingRow {
  id: string;
  account_id: string;
  realm_id: string;
  entity: SyncEntity;
  work_id: string;
  qbo_id: string;
  qbo_sync_token: string | null;
  last_hash: string | null;
  snapshot: Record<string, unknown> | null;
  last_synced_at: Date | null;
}

export interface MappingInput {
  accountId: string;
  realmId: string;
  entity: SyncEntity;
  workId: string;
  qboId: string;
  syncToken: string | null;
  /** The mapped fields as last synced (both sides agreed on them at that moment). */
  snapshot: Record<string, unknown>;
  hash: string;
  now: Date;
}

const TABLE = 'qbo_mappings';

/** The only code that writes qbo_mappings. Every query is scoped to its account. */
export class MappingRepository {
  constructor(private readonly knex: Knex) {}

  async listForAccount(accountId: string, entity: SyncEntity, trx?: Knex.Transaction): Promise<MappingRow[]> {
    return (trx ?? this.knex)<MappingRow>(TABLE).where({ account_id: accountId, entity }).orderBy('id');
  }

  async findByWork(accountId: string, entity: SyncEntity, workId: string, trx?: Knex.Transaction): Promise<MappingRow | null> {
    return (await (trx ?? this.knex)<MappingRow>(TABLE).where({ account_id: accountId, entity, work_id: workId }).first()) ?? null;
  }

  async findByQbo(accountId: string, entity: SyncEntity, qboId: string, trx?: Knex.Transaction): Promise<MappingRow | null> {
    return (await (trx ?? this.knex)<MappingRow>(TABLE).where({ account_id: accountId, entity, qbo_id: qboId }).first()) ?? null;
  }

  /**
   * Link a Work record to a QBO object, or refresh the link's SyncToken, snapshot and hash. Runs in the
   * caller's transaction when the Work side is written in the same one (no echo, nothing half-done).
   * A QBO object already linked to another Work record is refused by the unique index, never re-pointed.
   */
  async save(input: MappingInput, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.knex).raw(
      `INSERT INTO ${TABLE} (account_id, realm_id, entity, work_id, qbo_id, qbo_sync_token, snapshot, last_hash, last_synced_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)
       ON CONFLICT (account_id, entity, work_id) DO UPDATE SET
         qbo_id = EXCLUDED.qbo_id, realm_id = EXCLUDED.realm_id, qbo_sync_token = EXCLUDED.qbo_sync_token,
         snapshot = EXCLUDED.snapshot, last_hash = EXCLUDED.last_hash, last_synced_at = EXCLUDED.last_synced_at,
         updated_at = EXCLUDED.updated_at`,
      [input.accountId, input.realmId, input.entity, input.workId, input.qboId, input.syncToken, JSON.stringify(input.snapshot), input.hash, input.now, input.now, input.now],
    );
  }

  async count(accountId: string, entity: SyncEntity): Promise<number> {
    const row = await this.knex(TABLE).where({ account_id: accountId, entity }).count<{ count: string }[]>('id as count').first();
    return Number(row?.count ?? 0);
  }
}
