import type { Knex } from 'knex';

export interface PullRequestRow {
  account_id: string;
  reason: string;
  requested_at: Date;
  last_requested_at: Date;
  request_count: number;
  due_at: Date;
  claimed_by: string | null;
  claimed_at: Date | null;
  locked_until: Date | null;
  attempts: number;
  last_error: string | null;
}

/** A pull handed to one worker until `lockedUntil`; `claimedAt` identifies this claim among later ones. */
export interface ClaimedPull {
  accountId: string;
  reason: string;
  requestCount: number;
  claimedBy: string;
  claimedAt: Date;
  lockedUntil: Date;
  attempts: number;
}

export interface UpsertResult {
  /** True when this request scheduled a pull; false when it was folded into one already waiting. */
  scheduled: boolean;
  dueAt: Date;
}

const TABLE = 'qbo_pull_requests';

function toClaim(row: PullRequestRow): ClaimedPull {
  return {
    accountId: row.account_id,
    reason: row.reason,
    requestCount: row.request_count,
    claimedBy: row.claimed_by ?? '',
    claimedAt: row.claimed_at ?? new Date(0),
    lockedUntil: row.locked_until ?? new Date(0),
    attempts: row.attempts,
  };
}

/**
 * The only code that writes qbo_pull_requests: one row per account while a CDC pull is wanted or running.
 * All state lives in PostgreSQL so every web process debounces into the same row and every worker claims
 * from the same queue (SKIP LOCKED: two workers never get the same account).
 */
export class PullRequestRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Ask for a pull due at `dueAt`. A waiting request keeps the earlier due time (the flood is folded into
   * it). A request arriving while a pull runs schedules one more after it: the running pull may have read
   * QuickBooks before this change.
   */
  async upsert(input: { accountId: string; reason: string; now: Date; dueAt: Date }, trx?: Knex.Transaction): Promise<UpsertResult> {
    const { rows } = await (trx ?? this.knex).raw<{ rows: { due_at: Date; request_count: number }[] }>(
      `INSERT INTO ${TABLE} AS p (account_id, reason, requested_at, last_requested_at, request_count, due_at)
       VALUES (:accountId, :reason, :now, :now, 1, :dueAt)
       ON CONFLICT (account_id) DO UPDATE SET
         last_requested_at = EXCLUDED.last_requested_at,
         reason = CASE WHEN p.claimed_at IS NOT NULL AND p.due_at <= p.claimed_at THEN EXCLUDED.reason ELSE p.reason END,
         requested_at = CASE WHEN p.claimed_at IS NOT NULL AND p.due_at <= p.claimed_at THEN EXCLUDED.requested_at ELSE p.requested_at END,
         request_count = CASE WHEN p.claimed_at IS NOT NULL AND p.due_at <= p.claimed_at THEN 1 ELSE p.request_count + 1 END,
         due_at = CASE WHEN p.claimed_at IS NOT NULL AND p.due_at <= p.claimed_at THEN EXCLUDED.due_at ELSE LEAST(p.due_at, EXCLUDED.due_at) END
       RETURNING due_at, request_count`,
      input,
    );
    const row = rows[0];
    if (!row) throw new Error('pull request upsert returned no row');
    return { scheduled: row.request_count === 1, dueAt: row.due_at };
  }

  /**
   * Hand up to `limit` due pulls to `workerId` for `leaseMs`. Rows another worker holds (locked now, or
   * leased and not expired) are skipped, never waited for; an expired lease is taken over.
   */
  async claimDue(input: { workerId: string; now: Date; leaseMs: number; limit: number }): Promise<ClaimedPull[]> {
    const lockedUntil = new Date(input.now.getTime() + input.leaseMs);
    const { rows } = await this.knex.raw<{ rows: PullRequestRow[] }>(
      `UPDATE ${TABLE} AS p
       SET claimed_by = :workerId, claimed_at = :now, locked_until = :lockedUntil, attempts = p.attempts + 1
       FROM (SELECT account_id FROM ${TABLE}
             WHERE due_at <= :now AND (locked_until IS NULL OR locked_until < :now)
             ORDER BY due_at
             LIMIT :limit
             FOR UPDATE SKIP LOCKED) AS due
       WHERE p.account_id = due.account_id
       RETURNING p.*`,
      { workerId: input.workerId, now: input.now, lockedUntil, limit: input.limit },
    );
    return rows.map(toClaim);
  }

  /**
   * The pull finished: forget the request, unless another arrived while it ran (then it waits again, due
   * when that request said). 'lost' means the lease had expired and another worker took the pull over.
   */
  async complete(claim: ClaimedPull): Promise<'done' | 'requeued' | 'lost'> {
    const mine = { account_id: claim.accountId, claimed_by: claim.claimedBy, claimed_at: claim.claimedAt };
    return this.knex.transaction(async (trx) => {
      const deleted = await trx(TABLE).where(mine).andWhereRaw('due_at <= claimed_at').delete();
      if (deleted === 1) return 'done' as const;
      const released = await trx(TABLE)
        .where(mine)
        .update({ claimed_by: null, claimed_at: null, locked_until: null, attempts: 0, last_error: null });
      return released === 1 ? ('requeued' as const) : ('lost' as const);
    });
  }

  /** The pull failed: hand it back, due again no sooner than `retryAt`. */
  async fail(claim: ClaimedPull, error: string, retryAt: Date): Promise<boolean> {
    const updated = await this.knex(TABLE)
      .where({ account_id: claim.accountId, claimed_by: claim.claimedBy, claimed_at: claim.claimedAt })
      .update({
        claimed_by: null,
        claimed_at: null,
        locked_until: null,
        last_error: error.slice(0, 1000),
        due_at: this.knex.raw('GREATEST(due_at, ?::timestamptz)', [retryAt]),
      });
    return updated === 1;
  }

  async findByAccount(accountId: string): Promise<PullRequestRow | null> {
    const row = await this.knex<PullRequestRow>(TABLE).where({ account_id: accountId }).first();
    return row ?? null;
  }
}
