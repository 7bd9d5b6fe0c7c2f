import type { Knex } from 'knex';

export interface ProductImportRow {
  id: string;
  account_id: string;
  file_name: string;
  rows: unknown;
  created_at: Date;
  applied_at: Date | null;
}

const TABLE = 'qbo_product_imports';
const ID = /^\d{1,18}$/;

/** qbo_product_imports: previews waiting for the admin's confirmation. Every query by account id. */
export class ProductImportRepository {
  constructor(private readonly knex: Knex) {}

  async insert(accountId: string, fileName: string, rows: unknown, now: Date): Promise<string> {
    const [row] = await this.knex(TABLE)
      .insert({ account_id: accountId, file_name: fileName, rows: JSON.stringify(rows), created_at: now })
      .returning<{ id: string }[]>('id');
    if (!row) throw new Error('product import insert returned nothing');
    return String(row.id);
  }

  /** The account's import, locked for the rest of `trx`; null for another account's id or an unknown one. */
  async lock(accountId: string, id: string, trx: Knex.Transaction): Promise<ProductImportRow | null> {
    if (!ID.test(id)) return null;
    const row = await trx(TABLE).where({ account_id: accountId, id }).forUpdate().first<ProductImportRow | undefined>();
    return row ? { ...row, id: String(row.id) } : null;
  }

  async markApplied(accountId: string, id: string, now: Date, trx: Knex.Transaction): Promise<void> {
    await trx(TABLE).where({ account_id: accountId, id }).update({ applied_at: now });
  }

  /** One import at a time per account (until `trx` ends), so two confirms never create one item twice. */
  async lockAccount(accountId: string, trx: Knex.Transaction): Promise<void> {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`qbo_product_import:${accountId}`]);
  }

  /** Previews older than `before` that were never confirmed: nobody will confirm them any more. */
  async deleteStale(accountId: string, before: Date): Promise<void> {
    await this.knex(TABLE).where({ account_id: accountId }).whereNull('applied_at').where('created_at', '<', before).delete();
  }
}
