import type { Knex } from 'knex';

const TABLE = 'qbo_cdc_bookmarks';

/** The only code that writes qbo_cdc_bookmarks: per account and QBO entity, QBO's time of the last full pull. */
export class CdcBookmarkRepository {
  constructor(private readonly knex: Knex) {}

  async get(accountId: string, entity: string): Promise<string | null> {
    const row = await this.knex<{ account_id: string; entity: string; bookmark: string }>(TABLE).where({ account_id: accountId, entity }).first('bookmark');
    return row?.bookmark ?? null;
  }

  /** Only called after the entity's changes were all applied: a partial pull never moves it. */
  async set(accountId: string, realmId: string, entity: string, bookmark: string, now: Date): Promise<void> {
    await this.knex.raw(
      `INSERT INTO ${TABLE} (account_id, realm_id, entity, bookmark, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, entity) DO UPDATE SET realm_id = EXCLUDED.realm_id, bookmark = EXCLUDED.bookmark, updated_at = EXCLUDED.updated_at`,
      [accountId, realmId, entity, bookmark, now],
    );
  }
}
