import type { Knex } from 'knex';

export interface AnsweredCreate {
  /** The writer's subject, e.g. "client:42". */
  subject: string;
  qboId: string;
}

/**
 * Reads the durable writer's tables (qbo_write_batches / _members, written only by WriteBatchRepository)
 * for creates QuickBooks answered whose record has no mapping yet: the process died between the answer
 * being committed and the mapping being stored. The engine adopts them instead of creating again.
 */
export class AnsweredWriteRepository {
  constructor(private readonly knex: Knex) {}

  async createsWithoutMapping(accountId: string, realmId: string): Promise<AnsweredCreate[]> {
    const { rows } = await this.knex.raw<{ rows: { subject: string; qbo_id: string }[] }>(
      `SELECT m.subject, m.qbo_id
       FROM qbo_write_batch_members m
       JOIN qbo_write_batches b ON b.id = m.batch_id
       WHERE b.account_id = ? AND b.realm_id = ? AND m.state = 'applied' AND m.operation = 'create'
         AND m.entity = 'Customer' AND m.qbo_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM qbo_mappings q WHERE q.account_id = b.account_id
                         AND q.entity = split_part(m.subject, ':', 1) AND q.work_id = substr(m.subject, strpos(m.subject, ':') + 1))
         AND NOT EXISTS (SELECT 1 FROM qbo_mappings q WHERE q.realm_id = b.realm_id AND q.entity = split_part(m.subject, ':', 1) AND q.qbo_id = m.qbo_id)
       ORDER BY m.id`,
      [accountId, realmId],
    );
    return rows.map((r) => ({ subject: r.subject, qboId: r.qbo_id }));
  }
}
