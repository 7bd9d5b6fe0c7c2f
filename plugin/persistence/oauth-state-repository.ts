import type { Knex } from 'knex';

export interface OAuthStateRow {
  id: string;
  state_hash: string;
  account_id: string;
  session_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const TABLE = 'qbo_oauth_states';

/** The only code that writes qbo_oauth_states. Only hashes are stored, never a state or a session id. */
export class OAuthStateRepository {
  constructor(private readonly knex: Knex) {}

  async insert(input: { stateHash: string; accountId: string; sessionHash: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await this.knex(TABLE).insert({
      state_hash: input.stateHash,
      account_id: input.accountId,
      session_hash: input.sessionHash,
      created_at: input.createdAt,
      expires_at: input.expiresAt,
    });
  }

  async findByHash(stateHash: string): Promise<OAuthStateRow | null> {
    const row = await this.knex<OAuthStateRow>(TABLE).where({ state_hash: stateHash }).first();
    return row ?? null;
  }

  /** Mark a state used. Returns false when someone else used it first (a replayed callback). */
  async markUsed(id: string, accountId: string, now: Date): Promise<boolean> {
    const updated = await this.knex(TABLE).where({ id, account_id: accountId }).whereNull('used_at').update({ used_at: now });
    return updated === 1;
  }

  /** Old states serve no purpose; keep the table small. */
  async deleteExpired(accountId: string, before: Date): Promise<void> {
    await this.knex(TABLE).where({ account_id: accountId }).andWhere('expires_at', '<', before).del();
  }
}
