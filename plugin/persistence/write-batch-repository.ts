import type { Knex } from 'knex';

export type WriteBatchState = 'open' | 'answered' | 'rejected';
/** open: sent or about to be, outcome not known; unknown: answered, but the answer did not mention it. */
export type WriteBatchMemberState = 'open' | 'applied' | 'rejected' | 'unknown';

export interface NewWriteBatchMember {
  bId: string;
  subject: string;
  operation: string;
  entity: string;
}

export interface NewWriteBatch {
  realmId: string;
  accountId: string;
  lane: string;
  requestId: string;
  /** The exact wire body that will be sent, and re-sent verbatim. */
  body: string;
  bodySha256: string;
  members: readonly NewWriteBatchMember[];
}

export interface WriteBatchMemberRow {
  id: string;
  batch_id: string;
  realm_id: string;
  b_id: string;
  subject: string;
  operation: string;
  entity: string;
  state: WriteBatchMemberState;
  qbo_id: string | null;
  error_code: string | null;
  resolved_at: Date | null;
}

export interface WriteBatchRow {
  id: string;
  realm_id: string;
  account_id: string;
  lane: string;
  request_id: string;
  body: string;
  body_sha256: string;
  state: WriteBatchState;
  error_code: string | null;
  created_at: Date;
  sent_at: Date | null;
  closed_at: Date | null;
}

export interface OpenWriteBatch extends WriteBatchRow {
  members: WriteBatchMemberRow[];
}

export interface MemberOutcome {
  bId: string;
  state: Exclude<WriteBatchMemberState, 'open'>;
  qboId: string | null;
  errorCode: string | null;
}

/** A record already has a write whose outcome is not known yet: it must be resolved before another one. */
export class SubjectBusyError extends Error {
  constructor(readonly realmId: string, readonly subjects: readonly string[]) {
    super(`these records already have a QuickBooks write whose outcome is not known yet: ${subjects.join(', ')}`);
    this.name = 'SubjectBusyError';
  }
}

const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505' && 'constraint' in error && error.constraint === constraint;

const BATCHES = 'qbo_write_batches';
const MEMBERS = 'qbo_write_batch_members';

/**
 * The only code that writes qbo_write_batches and their members. Every write commits on its own
 * connection (never in a caller's transaction): a batch must be durable before its request leaves.
 */
export class WriteBatchRepository {
  constructor(private readonly knex: Knex) {}

  /** Commit a batch and its members, state open. Refuses (SubjectBusyError) a record with an open write. */
  async create(batch: NewWriteBatch): Promise<string> {
    try {
      return await this.knex.transaction(async (trx) => {
        const [row] = await trx(BATCHES)
          .insert({
            realm_id: batch.realmId,
            account_id: batch.accountId,
            lane: batch.lane,
            request_id: batch.requestId,
            body: batch.body,
            body_sha256: batch.bodySha256,
          })
          .returning<{ id: string }[]>('id');
        if (!row) throw new Error('write batch was not stored');
        await trx(MEMBERS).insert(
          batch.members.map((m) => ({ batch_id: row.id, realm_id: batch.realmId, b_id: m.bId, subject: m.subject, operation: m.operation, entity: m.entity })),
        );
        return String(row.id);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'qbo_write_batch_members_one_open_per_subject')) {
        const busy = await this.openSubjects(batch.realmId);
        throw new SubjectBusyError(batch.realmId, batch.members.map((m) => m.subject).filter((s) => busy.has(s)));
      }
      throw error;
    }
  }

  /** The realm's open batches, oldest first, each with its members in bId order of insertion. */
  async findOpen(realmId: string): Promise<OpenWriteBatch[]> {
    const batches = await this.knex<WriteBatchRow>(BATCHES).where({ realm_id: realmId, state: 'open' }).orderBy('id', 'asc');
    if (batches.length === 0) return [];
    const members = await this.knex<WriteBatchMemberRow>(MEMBERS)
      .whereIn('batch_id', batches.map((b) => b.id))
      .orderBy('id', 'asc');
    return batches.map((b) => ({ ...b, id: String(b.id), members: members.filter((m) => String(m.batch_id) === String(b.id)) }));
  }

  async markSent(batchId: string, now: Date): Promise<void> {
    await this.knex(BATCHES).where({ id: batchId }).update({ sent_at: now });
  }

  /** QuickBooks answered the call: the batch is closed and each member gets its own outcome. */
  async recordAnswer(batchId: string, outcomes: readonly MemberOutcome[], now: Date): Promise<void> {
    await this.knex.transaction(async (trx) => {
      for (const o of outcomes) {
        await trx(MEMBERS)
          .where({ batch_id: batchId, b_id: o.bId, state: 'open' })
          .update({ state: o.state, qbo_id: o.qboId, error_code: o.errorCode, resolved_at: now });
      }
      // Anything the caller did not name was not in the answer either.
      await trx(MEMBERS).where({ batch_id: batchId, state: 'open' }).update({ state: 'unknown', resolved_at: now });
      await trx(BATCHES).where({ id: batchId, state: 'open' }).update({ state: 'answered', closed_at: now });
    });
  }

  /** QuickBooks refused the whole call with a definite answer: nothing in it was applied. */
  async markRejected(batchId: string, errorCode: string, now: Date): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await trx(MEMBERS).where({ batch_id: batchId, state: 'open' }).update({ state: 'rejected', error_code: errorCode, resolved_at: now });
      await trx(BATCHES).where({ id: batchId, state: 'open' }).update({ state: 'rejected', error_code: errorCode, closed_at: now });
    });
  }

  /** Records with a write whose outcome is not known yet. */
  async openSubjects(realmId: string): Promise<Set<string>> {
    const rows = await this.knex<WriteBatchMemberRow>(MEMBERS).where({ realm_id: realmId, state: 'open' }).pluck('subject');
    return new Set(rows as string[]);
  }

  /** Retention: closed batches (and their members) older than `before` are no longer needed. */
  async deleteClosedBefore(before: Date): Promise<number> {
    return this.knex(BATCHES).whereNotNull('closed_at').where('closed_at', '<', before).delete();
  }
}
