import type { Knex } from 'knex';

export type ReviewStatus = 'open' | 'linked' | 'created' | 'skipped';
export type ReviewEntity = 'client' | 'site';

export interface ReviewCandidate {
  workId?: string;
  qboId?: string;
  fields: Record<string, unknown>;
}

export interface ReviewInput {
  runId: string | null;
  entity: ReviewEntity;
  workId: string | null;
  qboId: string | null;
  workFields: Record<string, unknown> | null;
  qboFields: Record<string, unknown> | null;
  candidates: ReviewCandidate[];
  reasonCode: string;
  reason: string;
}

export interface ReviewRow {
  id: string;
  account_id: string;
  run_id: string | null;
  entity: ReviewEntity;
  work_id: string | null;
  qbo_id: string | null;
  work_fields: Record<string, unknown> | null;
  qbo_fields: Record<string, unknown> | null;
  candidates: ReviewCandidate[];
  reason_code: string;
  reason: string;
  status: ReviewStatus;
  resolved_work_id: string | null;
  resolved_qbo_id: string | null;
  resolved_at: Date | null;
  created_at: Date;
}

const TABLE = 'qbo_review';

/** The only code that writes qbo_review (the list of ambiguous matches an admin decides). */
export class ReviewRepository {
  constructor(private readonly knex: Knex) {}

  /** Open an entry; a record already under review keeps its open entry (candidates refreshed). */
  async open(accountId: string, input: ReviewInput, now: Date): Promise<void> {
    await this.knex.raw(
      `INSERT INTO ${TABLE} (account_id, run_id, entity, work_id, qbo_id, work_fields, qbo_fields, candidates, reason_code, reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
       ON CONFLICT (account_id, entity, coalesce(work_id, ''), coalesce(qbo_id, '')) WHERE status = 'open'
       DO UPDATE SET candidates = EXCLUDED.candidates, work_fields = EXCLUDED.work_fields, qbo_fields = EXCLUDED.qbo_fields,
         reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason, run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at`,
      [
        accountId, input.runId, input.entity, input.workId, input.qboId,
        input.workFields ? JSON.stringify(input.workFields) : null,
        input.qboFields ? JSON.stringify(input.qboFields) : null,
        JSON.stringify(input.candidates), input.reasonCode, input.reason, now, now,
      ],
    );
  }

  async listOpen(accountId: string): Promise<ReviewRow[]> {
    return this.knex<ReviewRow>(TABLE).where({ account_id: accountId, status: 'open' }).orderBy('id');
  }

  async list(accountId: string): Promise<ReviewRow[]> {
    return this.knex<ReviewRow>(TABLE).where({ account_id: accountId }).orderBy('id');
  }

  async find(accountId: string, id: string): Promise<ReviewRow | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    return (await this.knex<ReviewRow>(TABLE).where({ account_id: accountId, id }).first()) ?? null;
  }

  /** Close an open entry; false when it was already resolved (two admins clicking at once). */
  async resolve(accountId: string, id: string, status: Exclude<ReviewStatus, 'open'>, resolved: { workId: string | null; qboId: string | null }, now: Date, trx?: Knex.Transaction): Promise<boolean> {
    const n = await (trx ?? this.knex)(TABLE)
      .where({ account_id: accountId, id, status: 'open' })
      .update({ status, resolved_work_id: resolved.workId, resolved_qbo_id: resolved.qboId, resolved_at: now, updated_at: now });
    return n === 1;
  }

  /** Work ids and QBO ids waiting in open entries: a run leaves them alone until the admin decides. */
  async openSubjects(accountId: string, entity: ReviewEntity): Promise<{ workIds: Set<string>; qboIds: Set<string> }> {
    const rows = await this.knex<ReviewRow>(TABLE).where({ account_id: accountId, entity, status: 'open' }).select('work_id', 'qbo_id', 'candidates');
    const workIds = new Set<string>();
    const qboIds = new Set<string>();
    for (const r of rows) {
      if (r.work_id) workIds.add(r.work_id);
      if (r.qbo_id) qboIds.add(r.qbo_id);
      for (const c of r.candidates) {
        if (c.workId) workIds.add(c.workId);
        if (c.qboId) qboIds.add(c.qboId);
      }
    }
    return { workIds, qboIds };
  }

  /** Records the admin chose to skip: later runs leave them alone. */
  async skippedSubjects(accountId: string, entity: ReviewEntity): Promise<{ workIds: Set<string>; qboIds: Set<string> }> {
    const rows = await this.knex<ReviewRow>(TABLE).where({ account_id: accountId, entity, status: 'skipped' }).select('work_id', 'qbo_id');
    return {
      workIds: new Set(rows.flatMap((r) => (r.work_id ? [r.work_id] : []))),
      qboIds: new Set(rows.flatMap((r) => (r.qbo_id ? [r.qbo_id] : []))),
    };
  }
}
