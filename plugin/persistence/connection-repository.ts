import type { Knex } from 'knex';
import { ConnectionBusyError } from '../qbo/oauth/errors';

export type ConnectionStatus = 'connected' | 'needs_reconnect' | 'disconnected';

export interface ConnectionRow {
  id: string;
  account_id: string;
  realm_id: string;
  status: ConnectionStatus;
  company_name: string | null;
  country: string | null;
  offering_sku: string | null;
  company_prefs: Record<string, unknown> | null;
  key_id: string | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  access_token_expires_at: Date | null;
  refresh_token_expires_at: Date | null;
  refresh_token_hard_expires_at: Date | null;
  last_refreshed_at: Date | null;
  connected_at: Date;
  disconnected_at: Date | null;
  needs_reconnect_reason: string | null;
  needs_reconnect_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Tokens as stored: already encrypted by the caller. */
export interface EncryptedTokens {
  keyId: string;
  accessTokenEnc: string;
  refreshTokenEnc: string;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
  refreshTokenHardExpiresAt: Date | null;
}

export interface CompanyDetails {
  companyName: string;
  country: string | null;
  offeringSku: string;
  prefs: Record<string, unknown>;
}

const TABLE = 'qbo_connections';

const isLockTimeout = (error: unknown): boolean => typeof error === 'object' && error !== null && 'code' in error && error.code === '55P03';

function tokenColumns(tokens: EncryptedTokens, now: Date) {
  return {
    key_id: tokens.keyId,
    access_token_enc: tokens.accessTokenEnc,
    refresh_token_enc: tokens.refreshTokenEnc,
    access_token_expires_at: tokens.accessTokenExpiresAt,
    refresh_token_expires_at: tokens.refreshTokenExpiresAt,
    // Intuit sends the hard limit only when asked; an answer without it must not erase a known one.
    ...(tokens.refreshTokenHardExpiresAt ? { refresh_token_hard_expires_at: tokens.refreshTokenHardExpiresAt } : {}),
    last_refreshed_at: now,
    updated_at: now,
  };
}

/**
 * The only code that writes qbo_connections. A realm belongs to exactly one account (unique), so realm-keyed
 * queries are account-scoped too; the web side always queries by the signed-in account.
 */
export class ConnectionRepository {
  constructor(private readonly knex: Knex) {}

  async findByAccount(accountId: string, trx?: Knex.Transaction): Promise<ConnectionRow | null> {
    const row = await (trx ?? this.knex)<ConnectionRow>(TABLE).where({ account_id: accountId }).first();
    return row ?? null;
  }

  async findByRealm(realmId: string, trx?: Knex.Transaction): Promise<ConnectionRow | null> {
    const row = await (trx ?? this.knex)<ConnectionRow>(TABLE).where({ realm_id: realmId }).first();
    return row ?? null;
  }

  /**
   * Lock the realm's row until `trx` ends: the single-flight guard around a token refresh. `waitMs` bounds
   * the wait so a stuck refresh elsewhere cannot pile up every worker (and the pool) behind it.
   */
  async lockByRealm(trx: Knex.Transaction, realmId: string, waitMs?: number): Promise<ConnectionRow | null> {
    return this.lockWhere(trx, { realm_id: realmId }, realmId, waitMs);
  }

  async lockByAccount(trx: Knex.Transaction, accountId: string, waitMs?: number): Promise<ConnectionRow | null> {
    return this.lockWhere(trx, { account_id: accountId }, accountId, waitMs);
  }

  /** A lock not had within `waitMs` is a ConnectionBusyError (typed, explained), not PostgreSQL's raw 55P03. */
  private async lockWhere(trx: Knex.Transaction, where: Partial<ConnectionRow>, name: string, waitMs?: number): Promise<ConnectionRow | null> {
    if (waitMs !== undefined) await trx.raw(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(waitMs))}`);
    try {
      const row = await trx<ConnectionRow>(TABLE).where(where).forUpdate().first();
      return row ?? null;
    } catch (error) {
      if (waitMs !== undefined && isLockTimeout(error)) throw new ConnectionBusyError(name, waitMs);
      throw error;
    }
  }

  async saveRefreshedTokens(trx: Knex.Transaction, realmId: string, tokens: EncryptedTokens, now: Date): Promise<void> {
    const updated = await trx(TABLE)
      .where({ realm_id: realmId, status: 'connected' })
      .update(tokenColumns(tokens, now));
    if (updated !== 1) throw new Error('QuickBooks connection changed while its tokens were being refreshed');
  }

  /** Pause the connection: tokens stay as they were, workers see the status and wait for a reconnect. */
  async markNeedsReconnect(trx: Knex.Transaction, realmId: string, reason: string, now: Date): Promise<void> {
    await trx(TABLE)
      .where({ realm_id: realmId, status: 'connected' })
      .update({ status: 'needs_reconnect', needs_reconnect_reason: reason, needs_reconnect_at: now, updated_at: now });
  }

  /**
   * Store a fresh connection for the account: a new row, or the account's existing row reused (same realm
   * after a disconnect or reconnect, or a new realm when the account holds no mappings: the caller checks).
   */
  async saveConnected(
    trx: Knex.Transaction,
    input: { accountId: string; realmId: string; company: CompanyDetails; tokens: EncryptedTokens; now: Date },
  ): Promise<void> {
    const columns = {
      realm_id: input.realmId,
      status: 'connected' as const,
      company_name: input.company.companyName,
      country: input.company.country,
      offering_sku: input.company.offeringSku,
      company_prefs: JSON.stringify(input.company.prefs),
      refresh_token_hard_expires_at: null,
      ...tokenColumns(input.tokens, input.now),
      connected_at: input.now,
      disconnected_at: null,
      needs_reconnect_reason: null,
      needs_reconnect_at: null,
    };
    const updated = await trx(TABLE).where({ account_id: input.accountId }).update(columns);
    if (updated === 0) await trx(TABLE).insert({ account_id: input.accountId, ...columns, created_at: input.now });
  }

  /** Forget the tokens but keep the row (realm, company) so reconnecting the same realm reuses the mappings. */
  async markDisconnected(trx: Knex.Transaction, accountId: string, now: Date): Promise<void> {
    await trx(TABLE).where({ account_id: accountId }).update({
      status: 'disconnected',
      key_id: null,
      access_token_enc: null,
      refresh_token_enc: null,
      access_token_expires_at: null,
      refresh_token_expires_at: null,
      refresh_token_hard_expires_at: null,
      needs_reconnect_reason: null,
      needs_reconnect_at: null,
      disconnected_at: now,
      updated_at: now,
    });
  }

  /** True when the account's queue must wait (needs a reconnect, or disconnected): nothing is dropped. */
  async isPaused(accountId: string): Promise<boolean> {
    const row = await this.knex<ConnectionRow>(TABLE).where({ account_id: accountId }).first('status');
    return !row || row.status !== 'connected';
  }

  /** Connected realms whose tokens were last refreshed before `idleSince`: keep-alive candidates. */
  async listIdleConnected(idleSince: Date, limit: number): Promise<{ account_id: string; realm_id: string }[]> {
    return this.knex<ConnectionRow>(TABLE)
      .where({ status: 'connected' })
      .andWhere((q) => q.whereNull('last_refreshed_at').orWhere('last_refreshed_at', '<', idleSince))
      .orderBy('last_refreshed_at', 'asc')
      .limit(limit)
      .select('account_id', 'realm_id');
  }

  /** Whether the account has linked any record: then switching to another realm would orphan them. */
  async hasMappings(accountId: string, trx?: Knex.Transaction): Promise<boolean> {
    const row = await (trx ?? this.knex)('qbo_mappings').where({ account_id: accountId }).first('id');
    return row !== undefined;
  }
}
