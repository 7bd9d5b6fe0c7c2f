import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { SubjectBusyError } from './write-batch-repository';

export type WriteOutcome = 'applied' | 'rejected';

export interface WriteIntentRow {
  id: string;
  realm_id: string;
  op_key: string;
  request_id: string;
  outcome: WriteOutcome | null;
  created_at: Date;
  completed_at: Date | null;
  subject: string | null;
  segments: string[] | null;
  query: Record<string, string> | null;
  body: string | null;
  body_sha256: string | null;
  kind: 'single' | 'batch' | null;
}

/** The request a write intent stands for: enough to recognise it and to re-send it verbatim. */
export interface IntentRequest {
  /** The caller's record (e.g. "invoice:7"): at most one unresolved write per subject. */
  subject: string | null;
  segments: readonly string[];
  /** Query parameters besides requestid and minorversion (e.g. operation=void). */
  query: Readonly<Record<string, string>>;
  /** The body exactly as sent. */
  body: string;
  kind: 'single' | 'batch';
}

/** The same operation key was used for a different body: a second write must get its own key. */
export class WriteKeyReusedError extends Error {
  constructor(readonly realmId: string, readonly opKey: string, readonly earlierOutcome: WriteOutcome | null) {
    super(`the write "${opKey}" was already ${earlierOutcome === null ? 'sent' : earlierOutcome} with different content; a different write needs a new operation key`);
    this.name = 'WriteKeyReusedError';
  }
}

/** What the http client needs from the store; the knex repository below is the real one. */
export interface WriteIntentStore {
  /**
   * The requestid for (realm, operation), committed before it is returned. The same one for every retry of
   * the same request; a new one after QuickBooks refused the operation (it was not applied). With `request`,
   * the body is remembered: the same key with a different body is refused (WriteKeyReusedError).
   */
  requestIdFor(realmId: string, opKey: string, request?: IntentRequest): Promise<string>;
  /** QBO gave a definitive answer to the write: applied, or rejected by a fault that retrying cannot fix. */
  markCompleted(realmId: string, opKey: string, outcome: WriteOutcome): Promise<void>;
  /** The subject's write whose outcome is not known yet, if any. */
  findOpenForSubject(realmId: string, subject: string): Promise<WriteIntentRow | undefined>;
  /** Every open intent of the realm that can be re-sent (its request was stored), oldest first. */
  listOpen(realmId: string): Promise<WriteIntentRow[]>;
}

export const MAX_OP_KEY_LENGTH = 200;

const TABLE = 'qbo_write_intents';
const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505' && 'constraint' in error && error.constraint === constraint;

function requestColumns(request: IntentRequest | undefined): Record<string, unknown> {
  if (!request) return {};
  return {
    subject: request.subject,
    segments: JSON.stringify(request.segments),
    query: JSON.stringify(request.query),
    body: request.body,
    body_sha256: sha256(request.body),
    kind: request.kind,
  };
}

/**
 * The only code that writes qbo_write_intents. It uses its own connection, never the caller's transaction:
 * the requestid must be committed before the request leaves, or a crash after sending would lose it.
 */
export class WriteIntentRepository implements WriteIntentStore {
  constructor(
    private readonly knex: Knex,
    private readonly newRequestId: () => string = () => crypto.randomUUID(),
  ) {}

  async requestIdFor(realmId: string, opKey: string, request?: IntentRequest): Promise<string> {
    if (opKey.length === 0 || opKey.length > MAX_OP_KEY_LENGTH) {
      throw new Error(`write operation key must be 1-${MAX_OP_KEY_LENGTH} characters`);
    }
    try {
      return await this.knex.transaction(async (trx) => {
        const fresh = this.newRequestId();
        // Concurrent first callers: one inserts, the others find its row under the lock below.
        await trx(TABLE)
          .insert({ realm_id: realmId, op_key: opKey, request_id: fresh, ...requestColumns(request) })
          .onConflict(['realm_id', 'op_key'])
          .ignore();
        const row = await trx<WriteIntentRow>(TABLE).where({ realm_id: realmId, op_key: opKey }).forUpdate().first();
        if (!row) throw new Error('write intent was not stored');
        if (row.request_id === fresh) return fresh;
        const sameBody = !request || row.body_sha256 === null || row.body_sha256 === sha256(request.body);
        if (row.outcome === 'rejected') {
          // QuickBooks refused it, so it was not applied: its requestid would only replay the refusal.
          const renewed = this.newRequestId();
          await trx(TABLE)
            .where({ id: row.id })
            .update({ request_id: renewed, outcome: null, completed_at: null, ...requestColumns(request) });
          return renewed;
        }
        if (!sameBody) throw new WriteKeyReusedError(realmId, opKey, row.outcome);
        if (request && row.body_sha256 === null) await trx(TABLE).where({ id: row.id }).update(requestColumns(request));
        return row.request_id;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'qbo_write_intents_one_open_per_subject')) throw new SubjectBusyError(realmId, [request?.subject ?? '']);
      throw error;
    }
  }

  async markCompleted(realmId: string, opKey: string, outcome: WriteOutcome): Promise<void> {
    await this.knex(TABLE)
      .where({ realm_id: realmId, op_key: opKey })
      .whereNull('completed_at')
      .update({ outcome, completed_at: this.knex.fn.now() });
  }

  async find(realmId: string, opKey: string): Promise<WriteIntentRow | undefined> {
    return this.knex<WriteIntentRow>(TABLE).where({ realm_id: realmId, op_key: opKey }).first();
  }

  async findOpenForSubject(realmId: string, subject: string): Promise<WriteIntentRow | undefined> {
    return this.knex<WriteIntentRow>(TABLE).where({ realm_id: realmId, subject }).whereNull('outcome').first();
  }

  async listOpen(realmId: string): Promise<WriteIntentRow[]> {
    return this.knex<WriteIntentRow>(TABLE).where({ realm_id: realmId }).whereNull('outcome').whereNotNull('body').orderBy('id', 'asc');
  }

  /** Retention: completed intents older than `before` are no longer needed to de-duplicate. */
  async deleteCompletedBefore(before: Date): Promise<number> {
    return this.knex(TABLE).whereNotNull('completed_at').where('completed_at', '<', before).delete();
  }
}
