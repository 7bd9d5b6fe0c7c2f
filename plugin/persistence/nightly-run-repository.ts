import type { Knex } from 'knex';
import { ONBOARDED } from './ops-queue-repository';

export interface NightlyCandidate {
  accountId: string;
  time: string;
  timeZone: string;
  lastSlot: string | null;
}

const TABLE = 'qbo_nightly_runs';

/** qbo_nightly_runs: which night each account last ran for, and who holds tonight's run. SQL only here. */
export class NightlyRunRepository {
  constructor(private readonly knex: Knex) {}

  /** Connected, onboarded accounts with their nightly time and zone (02:00 UTC when the admin never saved settings). */
  async candidates(): Promise<NightlyCandidate[]> {
    const { rows } = await this.knex.raw<{ rows: { account_id: string; time: string; time_zone: string; last_slot: string | null }[] }>(
      `SELECT c.account_id, coalesce(s.nightly_sync_time, '02:00') AS time, coalesce(s.nightly_time_zone, 'UTC') AS time_zone, n.last_slot
       FROM qbo_connections c
       LEFT JOIN qbo_settings s ON s.account_id = c.account_id
       LEFT JOIN ${TABLE} n ON n.account_id = c.account_id
       WHERE c.status = 'connected' AND ${ONBOARDED}
       ORDER BY c.account_id`,
    );
    return rows.map((r) => ({ accountId: r.account_id, time: r.time, timeZone: r.time_zone, lastSlot: r.last_slot }));
  }

  /**
   * Take the night `slot` of an account for `worker`, unless it already ran or another live worker holds
   * it (its lease not yet run out). One statement: of two processes claiming at once, one wins.
   */
  async claim(accountId: string, slot: string, worker: string, now: Date, leaseMs: number): Promise<boolean> {
    const { rows } = await this.knex.raw<{ rows: unknown[] }>(
      `INSERT INTO ${TABLE} AS n (account_id, claimed_slot, claimed_by, locked_until, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id) DO UPDATE SET claimed_slot = EXCLUDED.claimed_slot, claimed_by = EXCLUDED.claimed_by,
         locked_until = EXCLUDED.locked_until, updated_at = EXCLUDED.updated_at
       WHERE (n.last_slot IS NULL OR n.last_slot < EXCLUDED.claimed_slot) AND (n.locked_until IS NULL OR n.locked_until < ?)
       RETURNING n.account_id`,
      [accountId, slot, worker, new Date(now.getTime() + leaseMs), now, now],
    );
    return rows.length === 1;
  }

  /** The night ran (or was settled without a run): it is not run again. */
  async finish(accountId: string, worker: string, status: string, runId: string | null, now: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ account_id: accountId, claimed_by: worker })
      .update({ last_slot: this.knex.ref('claimed_slot'), last_status: status, last_run_id: runId, last_finished_at: now, claimed_slot: null, claimed_by: null, locked_until: null, updated_at: now });
  }

  /** Give the night back untried (the account was busy with a manual run, or the process is stopping). */
  async release(accountId: string, worker: string, now: Date): Promise<void> {
    await this.knex(TABLE).where({ account_id: accountId, claimed_by: worker }).update({ claimed_slot: null, claimed_by: null, locked_until: null, updated_at: now });
  }

  async find(accountId: string): Promise<{ last_slot: string | null; last_status: string | null; claimed_by: string | null } | null> {
    return (await this.knex(TABLE).where({ account_id: accountId }).first('last_slot', 'last_status', 'claimed_by')) ?? null;
  }
}
