import type { Knex } from 'knex';

export interface AnsweredPushCreate {
  /** "invoice:<work id>", "payment:<work id>" or "item:<key>". */
  subject: string;
  entity: 'Invoice' | 'Payment' | 'Item';
  qboId: string;
  /** When its batch was formed: a Work record changed after it may differ from what was sent. */
  formedAt: Date;
}

/**
 * Reads the durable writer's tables (written only by WriteBatchRepository) for invoice, payment and item creates
 * QuickBooks answered whose record has no mapping to that QBO object yet: the process died between the answer
 * being committed and the mapping being stored. The push adopts them instead of creating again. A payment
 * re-created after an edit keeps its earlier QBO ids in the mapping's snapshot (earlierQboIds), so those
 * older answers are never adopted again.
 */
export class PushAnsweredRepository {
  constructor(private readonly knex: Knex) {}

  async createsWithoutMapping(accountId: string, realmId: string): Promise<AnsweredPushCreate[]> {
    const { rows } = await this.knex.raw<{ rows: { subject: string; entity: AnsweredPushCreate['entity']; qbo_id: string; created_at: Date }[] }>(
      `SELECT m.subject, m.entity, m.qbo_id, b.created_at
       FROM qbo_write_batch_members m
       JOIN qbo_write_batches b ON b.id = m.batch_id
       WHERE b.account_id = ? AND b.realm_id = ? AND m.state = 'applied' AND m.operation = 'create'
         AND m.entity IN ('Invoice', 'Payment', 'Item') AND m.qbo_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM qbo_mappings q WHERE q.realm_id = b.realm_id AND q.entity = split_part(m.subject, ':', 1) AND q.qbo_id = m.qbo_id)
         AND NOT EXISTS (SELECT 1 FROM qbo_mappings q WHERE q.account_id = b.account_id AND q.entity = split_part(m.subject, ':', 1)
                         AND q.work_id = substr(m.subject, strpos(m.subject, ':') + 1)
                         AND coalesce(q.snapshot->'earlierQboIds', '[]'::jsonb) @> jsonb_build_array(m.qbo_id))
       ORDER BY m.id`,
      [accountId, realmId],
    );
    return rows.map((r) => ({ subject: r.subject, entity: r.entity, qboId: r.qbo_id, formedAt: r.created_at }));
  }
}
