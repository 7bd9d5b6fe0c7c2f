import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { TokenCipher } from '../../crypto/token-cipher';
import type { NoticeCode } from '../../messages';
import type { ConnectionRepository, ConnectionRow } from '../../persistence/connection-repository';
import type { OAuthStateRepository } from '../../persistence/oauth-state-repository';
import { CompanyInfoUnreadableError, REALM_ID_PATTERN, type CompanyReader, type CompanySnapshot } from '../company-reader';
import { encryptTokens, tokenContext } from '../token-store';
import { decideCompanySupport } from './company-support';
import { ConnectionBusyError, OAuthGrantError, TokenEndpointUnavailableError } from './errors';
import type { OAuthGateway } from './oauth-gateway';
import { checkOAuthState, hashSecret, newOAuthState } from './oauth-state';
import type { TokenSet } from './token-set';

export interface ConnectionServiceDeps {
  knex: Knex;
  connections: ConnectionRepository;
  states: OAuthStateRepository;
  oauth: OAuthGateway;
  companies: CompanyReader;
  cipher: TokenCipher;
  logger: Logger;
  clock: () => Date;
  stateTtlMs: number;
  /** How long a disconnect waits for the connection's row (a refresh may hold it); DISCONNECT_LOCK_WAIT_MS by default. */
  lockWaitMs?: number;
}

/** What the callback sent back from Intuit (all untrusted). */
export interface CallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  realmId?: string | undefined;
  error?: string | undefined;
}

/** The admin's request waits this long at most for a refresh that holds the row (its call is bounded too). */
export const DISCONNECT_LOCK_WAIT_MS = 10_000;

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

class Refusal extends Error {
  constructor(readonly notice: NoticeCode) {
    super(notice);
  }
}

/**
 * Connecting, finishing the sign-in and disconnecting an account's QuickBooks company. Every refusal
 * leaves the existing connection exactly as it was; tokens issued for a refused company are revoked.
 */
export class ConnectionService {
  constructor(private readonly deps: ConnectionServiceDeps) {}

  /** Start a sign-in: a single-use state bound to this browser session and account. */
  async startConnect(accountId: string, sessionId: string): Promise<string> {
    const state = newOAuthState();
    const now = this.deps.clock();
    await this.deps.states.deleteExpired(accountId, now);
    await this.deps.states.insert({
      stateHash: hashSecret(state),
      accountId,
      sessionHash: hashSecret(sessionId),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.deps.stateTtlMs),
    });
    return this.deps.oauth.authorizeUrl(state);
  }

  async completeConnect(accountId: string, sessionId: string, query: CallbackQuery): Promise<NoticeCode> {
    try {
      await this.consumeState(accountId, sessionId, query.state);
      if (query.error) return query.error === 'access_denied' ? 'access_denied' : 'intuit_error';
      if (!query.code) return 'missing_code';
      if (!query.realmId || !REALM_ID_PATTERN.test(query.realmId)) return 'bad_realm';
      const realmId = query.realmId;
      // Refuse before any token is issued when we already know the answer.
      await this.checkOneToOne(accountId, realmId);
      const tokens = await this.exchange(query.code, realmId);
      try {
        const company = await this.readSupportedCompany(realmId, tokens.accessToken);
        return await this.store(accountId, realmId, company, tokens);
      } catch (error) {
        await this.revokeUnlessHeld(accountId, realmId, tokens.refreshToken);
        throw error;
      }
    } catch (error) {
      if (error instanceof Refusal) {
        this.deps.logger.info({ accountId, outcome: error.notice }, 'QuickBooks connection refused');
        return error.notice;
      }
      throw error;
    }
  }

  /**
   * Revoke at Intuit, then forget the tokens. The revoke (bounded by the gateway's timeout) runs WITHOUT the
   * connection's row lock (a row busy with a refresh is reported as connection_busy before anything is done), so a hung Intuit never blocks the realm's token refreshes; the row is then locked
   * briefly and marked disconnected only if its refresh token is still the one revoked (a refresh may have
   * rotated it meanwhile: then the new one is revoked too).
   */
  async disconnect(accountId: string): Promise<NoticeCode> {
    const lockWaitMs = this.deps.lockWaitMs ?? DISCONNECT_LOCK_WAIT_MS;
    for (let round = 0; round < 3; round += 1) {
      let row: ConnectionRow | null;
      try {
        // A consistent read, briefly locked: no refresh is rotating the token at this moment.
        row = await this.deps.knex.transaction((trx) => this.deps.connections.lockByAccount(trx, accountId, lockWaitMs));
      } catch (error) {
        if (error instanceof ConnectionBusyError) return 'connection_busy';
        throw error;
      }
      if (!row || row.status === 'disconnected' || !row.refresh_token_enc) return 'not_connected';
      const refreshTokenEnc = row.refresh_token_enc;
      const refreshToken = this.deps.cipher.decrypt(refreshTokenEnc, tokenContext(row.realm_id, 'refresh'));
      try {
        await this.deps.oauth.revoke(refreshToken);
      } catch (error) {
        // A grant Intuit refuses, or one already dead (needs_reconnect), is as good as revoked; a live grant
        // that could not be revoked because Intuit is unreachable is not: the connection stays.
        if (!(error instanceof OAuthGrantError) && row.status === 'connected') {
          this.deps.logger.warn({ accountId, error: (error as Error).message }, 'QuickBooks revoke failed; still connected');
          return 'disconnect_unreachable';
        }
      }
      let outcome: NoticeCode | 'rotated';
      try {
        outcome = await this.deps.knex.transaction(async (trx) => {
          const locked = await this.deps.connections.lockByAccount(trx, accountId, lockWaitMs);
          if (!locked || locked.status === 'disconnected') return 'not_connected';
          if (locked.refresh_token_enc !== refreshTokenEnc) return 'rotated';
          await this.deps.connections.markDisconnected(trx, accountId, this.deps.clock());
          return 'disconnected';
        });
      } catch (error) {
        if (error instanceof ConnectionBusyError) return 'connection_busy';
        throw error;
      }
      if (outcome !== 'rotated') {
        if (outcome === 'disconnected') this.deps.logger.info({ accountId, realmId: row.realm_id }, 'QuickBooks disconnected');
        return outcome;
      }
    }
    return 'connection_busy';
  }

  private async consumeState(accountId: string, sessionId: string, state: string | undefined): Promise<void> {
    if (!state) throw new Refusal('state_unknown');
    const row = await this.deps.states.findByHash(hashSecret(state));
    const now = this.deps.clock();
    const check = checkOAuthState(row, { accountId, sessionHash: hashSecret(sessionId), now });
    if (!check.ok) throw new Refusal(check.problem);
    // Two callbacks racing with one state: only one marks it used.
    if (!row || !(await this.deps.states.markUsed(row.id, accountId, now))) throw new Refusal('state_used');
  }

  /** One realm per account and one account per realm; switching realms is refused while mappings exist. */
  private async checkOneToOne(accountId: string, realmId: string, trx?: Knex.Transaction): Promise<void> {
    const owner = await this.deps.connections.findByRealm(realmId, trx);
    if (owner && owner.account_id !== accountId) throw new Refusal('realm_taken');
    const own = await this.deps.connections.findByAccount(accountId, trx);
    if (own && own.realm_id !== realmId && (await this.deps.connections.hasMappings(accountId, trx))) {
      throw new Refusal('mappings_exist');
    }
  }

  private async exchange(code: string, realmId: string): Promise<TokenSet> {
    try {
      return await this.deps.oauth.exchangeCode(code, realmId);
    } catch (error) {
      if (error instanceof OAuthGrantError) throw new Refusal('code_rejected');
      if (error instanceof TokenEndpointUnavailableError) throw new Refusal('token_unreachable');
      throw error;
    }
  }

  private async readSupportedCompany(realmId: string, accessToken: string): Promise<CompanySnapshot & { offeringSku: string }> {
    let company: CompanySnapshot;
    try {
      company = await this.deps.companies.read(realmId, accessToken);
    } catch (error) {
      if (error instanceof CompanyInfoUnreadableError) {
        throw new Refusal(error.kind === 'unreachable' ? 'company_unreachable' : 'company_unreadable');
      }
      throw error;
    }
    const support = decideCompanySupport(company.offeringSku);
    if (!support.supported) throw new Refusal(support.refusal);
    return { ...company, offeringSku: company.offeringSku ?? support.plan };
  }

  private async store(accountId: string, realmId: string, company: CompanySnapshot & { offeringSku: string }, tokens: TokenSet): Promise<NoticeCode> {
    return this.deps.knex.transaction(async (trx) => {
      const existing = await this.deps.connections.lockByAccount(trx, accountId);
      // Checked again under the lock: another admin may have connected meanwhile.
      await this.checkOneToOne(accountId, realmId, trx);
      try {
        await this.deps.connections.saveConnected(trx, {
          accountId,
          realmId,
          company: { companyName: company.companyName, country: company.country, offeringSku: company.offeringSku, prefs: company.prefs },
          tokens: encryptTokens(this.deps.cipher, realmId, tokens),
          now: this.deps.clock(),
        });
      } catch (error) {
        // The realm's unique index caught another account linking it at the same moment.
        if (isUniqueViolation(error)) throw new Refusal('realm_taken');
        throw error;
      }
      this.deps.logger.info({ accountId, realmId }, 'QuickBooks connected');
      return existing?.realm_id === realmId ? 'reconnected' : 'connected';
    });
  }

  /**
   * Revoke tokens issued for a refused sign-in. Not when the account already holds a live connection to
   * this realm: a revoke may end the app's whole authorization for the company, the existing one included.
   */
  private async revokeUnlessHeld(accountId: string, realmId: string, refreshToken: string): Promise<void> {
    const own = await this.deps.connections.findByAccount(accountId);
    if (own && own.realm_id === realmId && own.status !== 'disconnected') {
      this.deps.logger.info({ accountId, realmId }, 'Refused sign-in for the connected company; existing tokens kept, new ones not revoked');
      return;
    }
    try {
      await this.deps.oauth.revoke(refreshToken);
    } catch (error) {
      this.deps.logger.warn({ realmId, error: (error as Error).message }, 'Could not revoke tokens of a refused QuickBooks company');
    }
  }
}
