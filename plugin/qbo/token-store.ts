import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { TokenCipher } from '../crypto/token-cipher';
import type { ConnectionRepository, ConnectionRow, EncryptedTokens } from '../persistence/connection-repository';
import type { AccessTokenProvider } from './access-token-provider';
import { ConnectionUnusableError, OAuthGrantError, TokenEndpointUnavailableError } from './oauth/errors';
import type { OAuthGateway } from './oauth/oauth-gateway';
import type { TokenSet } from './oauth/token-set';

export interface TokenStoreDeps {
  knex: Knex;
  connections: ConnectionRepository;
  cipher: TokenCipher;
  oauth: Pick<OAuthGateway, 'refresh'>;
  logger: Logger;
  clock: () => Date;
  /** Refresh when the access token has less than this left. */
  refreshAheadMs: number;
  /**
   * How long a caller waits for a refresh (the lock, Intuit's answer, the commit) before it is told the token
   * service is unavailable (default 60 s). The refresh itself is not abandoned then: it keeps the lock until
   * Intuit's call has settled (the gateway bounds and aborts that call) and stores a late answer.
   */
  refreshTimeoutMs?: number;
}

const DEFAULT_REFRESH_TIMEOUT_MS = 60_000;

/** Associated data for each encrypted column: a token cannot be moved to another realm or column. */
export const tokenContext = (realmId: string, column: 'access' | 'refresh') => `qbo_connections:${realmId}:${column}`;

export function encryptTokens(cipher: TokenCipher, realmId: string, tokens: TokenSet): EncryptedTokens {
  return {
    keyId: cipher.currentKeyId,
    accessTokenEnc: cipher.encrypt(tokens.accessToken, tokenContext(realmId, 'access')),
    refreshTokenEnc: cipher.encrypt(tokens.refreshToken, tokenContext(realmId, 'refresh')),
    accessTokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    refreshTokenHardExpiresAt: tokens.refreshTokenHardExpiresAt,
  };
}

/**
 * Wait at most `ms` for `promise`; it is not cancelled (its outcome is handled by whoever started it).
 * Only the caller stops waiting.
 */
function waitAtMost<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

type RefreshOutcome = { accessToken: string; refreshed?: boolean } | { needsReconnect: OAuthGrantError };

/**
 * Tokens live only in qbo_connections, encrypted. Refreshing is single-flight across every process that
 * shares the database (Nango's pattern): lock the realm's row, re-read it, refresh only if it is still
 * stale, and commit the rotated pair before anyone uses the new access token. Whoever waited on the lock
 * then reads the fresh token instead of refreshing again with a refresh token that is already dead.
 */
export class TokenStore implements AccessTokenProvider {
  /** Per realm, the tail of this process's refreshes: one at a time, so one pool connection, not one per waiter. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: TokenStoreDeps) {}

  async getAccessToken(realmId: string): Promise<string> {
    const row = await this.deps.connections.findByRealm(realmId);
    const usable = this.requireUsable(realmId, row);
    if (!this.isStale(usable)) return this.decryptAccess(usable);
    return this.refreshUnderLock(realmId, (locked) => this.isStale(locked));
  }

  async refreshAfterRejection(realmId: string, rejectedToken: string): Promise<string> {
    return this.refreshUnderLock(realmId, (locked) => this.isStale(locked) || this.decryptAccess(locked) === rejectedToken);
  }

  /** Keep-alive: refresh when nobody has since `idleSince`, so the rolling refresh token never lapses. */
  async refreshIfIdle(realmId: string, idleSince: Date): Promise<boolean> {
    let refreshed = false;
    await this.refreshUnderLock(realmId, (locked) => {
      refreshed = !locked.last_refreshed_at || locked.last_refreshed_at < idleSince;
      return refreshed;
    });
    return refreshed;
  }

  /**
   * The refresh runs under the realm's row lock and keeps it until Intuit's call has settled: an answer, an
   * error, or the gateway's own abort. A caller that stops waiting (refreshTimeoutMs) gets an error, but the
   * refresh goes on and its answer, the only live refresh token, is stored, so the next holder of the lock
   * reads it instead of refreshing a dead token. Never two refreshes of one grant in flight: the lock across
   * processes, a per-realm queue inside this one.
   */
  private async refreshUnderLock(realmId: string, stillNeedsRefresh: (row: ConnectionRow) => boolean): Promise<string> {
    let signalLocked: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (signalLocked = resolve));
    const previous = this.queues.get(realmId) ?? Promise.resolve();
    const run = previous.then(
      () => this.lockedRefresh(realmId, stillNeedsRefresh, signalLocked),
      () => this.lockedRefresh(realmId, stillNeedsRefresh, signalLocked),
    );
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(realmId, tail);
    void tail.then(() => {
      if (this.queues.get(realmId) === tail) this.queues.delete(realmId);
    });
    run.catch((error: unknown) => {
      // Still reported to whoever waits; logged here for the run that outlived its caller.
      this.deps.logger.debug({ realmId, err: error instanceof Error ? error.message : String(error) }, 'QuickBooks token refresh ended with an error');
    });
    // The lock wait is bounded on its own (ConnectionBusyError); then the caller waits at most refreshTimeoutMs.
    await Promise.race([locked, run]);
    const ms = this.refreshTimeoutMs;
    const outcome = await waitAtMost(run, ms, () => new TokenEndpointUnavailableError(`no answer within ${ms} ms (the refresh goes on; its answer will be stored)`, null));
    // Only reached after COMMIT: the rotated refresh token is durable before the access token is used.
    if ('needsReconnect' in outcome) {
      this.deps.logger.warn({ realmId, intuitTid: outcome.needsReconnect.intuitTid }, 'QuickBooks refused the refresh token; connection needs a reconnect');
      throw new ConnectionUnusableError(realmId, 'needs_reconnect');
    }
    return outcome.accessToken;
  }

  private async lockedRefresh(realmId: string, stillNeedsRefresh: (row: ConnectionRow) => boolean, onLocked: () => void): Promise<RefreshOutcome> {
    const outcome = await this.deps.knex.transaction(async (trx): Promise<RefreshOutcome> => {
      // A lock not had within refreshTimeoutMs is a ConnectionBusyError: typed, and nothing was changed.
      const row = this.requireUsable(realmId, await this.deps.connections.lockByRealm(trx, realmId, this.refreshTimeoutMs));
      onLocked();
      // Re-read under the lock: another worker may have refreshed while we waited.
      if (!stillNeedsRefresh(row)) return { accessToken: this.decryptAccess(row) };
      const refreshToken = this.deps.cipher.decrypt(row.refresh_token_enc ?? '', tokenContext(realmId, 'refresh'));
      let tokens: TokenSet;
      try {
        // Bounded (and aborted) by the gateway; awaited to the end, so the lock is held until it settles.
        tokens = await this.deps.oauth.refresh(refreshToken);
      } catch (error) {
        if (error instanceof OAuthGrantError && error.isInvalidGrant) {
          await this.deps.connections.markNeedsReconnect(trx, realmId, 'invalid_grant', this.deps.clock());
          return { needsReconnect: error };
        }
        throw error;
      }
      await this.deps.connections.saveRefreshedTokens(trx, realmId, encryptTokens(this.deps.cipher, realmId, tokens), this.deps.clock());
      return { accessToken: tokens.accessToken, refreshed: true };
    });
    if ('refreshed' in outcome && outcome.refreshed) this.deps.logger.info({ realmId }, 'QuickBooks access token refreshed');
    return outcome;
  }

  private get refreshTimeoutMs(): number {
    return this.deps.refreshTimeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
  }

  private requireUsable(realmId: string, row: ConnectionRow | null): ConnectionRow {
    if (!row) throw new ConnectionUnusableError(realmId, 'not_connected');
    if (row.status !== 'connected' || !row.access_token_enc || !row.refresh_token_enc) {
      throw new ConnectionUnusableError(realmId, row.status === 'needs_reconnect' ? 'needs_reconnect' : 'disconnected');
    }
    return row;
  }

  private isStale(row: ConnectionRow): boolean {
    const expiresAt = row.access_token_expires_at?.getTime() ?? 0;
    return expiresAt - this.deps.clock().getTime() <= this.deps.refreshAheadMs;
  }

  private decryptAccess(row: ConnectionRow): string {
    return this.deps.cipher.decrypt(row.access_token_enc ?? '', tokenContext(row.realm_id, 'access'));
  }
}
