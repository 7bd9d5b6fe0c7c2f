import axios from 'axios';
import type { Logger } from 'pino';
import type { ConnectionRow } from '../../persistence/connection-repository';
import type { AccessTokenProvider } from '../access-token-provider';
import { REALM_ID_PATTERN } from '../company-reader';
import { ConnectionUnusableError } from './errors';

/**
 * Before the settings page says "Connected", ask QuickBooks whether that is still true: one CompanyInfo
 * read with the stored access token. A company QuickBooks no longer lets us reach (403: deleted, closed,
 * or the app's access removed) or tokens it refuses even after a refresh mark the connection "needs
 * reconnect" with the reason, so the page says so and queued work waits. Intuit refusing the refresh
 * itself is already marked by the token store (invalid_grant).
 *
 * Kept cheap and quiet: skipped right after a connect or refresh (just proven), while the access token is
 * expired (a page view does not refresh it; the keep-alive and the next sync do), and at most once a
 * minute per realm; an unreachable QuickBooks changes nothing.
 */

export type NeedsReconnectReason = 'company_unavailable' | 'access_refused';
export type ConnectionCheckOutcome = 'ok' | 'needs_reconnect' | 'skipped' | 'unreachable';

/** One GET of CompanyInfo: the HTTP status, or 'unreachable' when no answer came. */
export type CompanyProbe = (realmId: string, accessToken: string) => Promise<number | 'unreachable'>;

export interface ConnectionCheckDeps {
  tokens: AccessTokenProvider;
  probe: CompanyProbe;
  /** Marks a connected realm "needs reconnect" with the reason (persistence). */
  markNeedsReconnect(realmId: string, reason: NeedsReconnectReason): Promise<void>;
  clock: () => Date;
  logger: Logger;
  /** Skip when the connection was proven this recently (connect, refresh) or checked this recently. */
  minIntervalMs?: number;
}

const DEFAULT_MIN_INTERVAL_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const MINOR_VERSION = '75';

export class ConnectionCheck {
  private readonly lastChecked = new Map<string, number>();

  constructor(private readonly deps: ConnectionCheckDeps) {}

  async check(row: ConnectionRow): Promise<ConnectionCheckOutcome> {
    const now = this.deps.clock().getTime();
    const interval = this.deps.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    if (row.status !== 'connected' || !REALM_ID_PATTERN.test(row.realm_id)) return 'skipped';
    const provenAt = Math.max(row.connected_at.getTime(), row.last_refreshed_at?.getTime() ?? 0, this.lastChecked.get(row.realm_id) ?? 0);
    if (now - provenAt < interval) return 'skipped';
    if (!row.access_token_expires_at || row.access_token_expires_at.getTime() <= now) return 'skipped';
    this.lastChecked.set(row.realm_id, now);
    try {
      return await this.ask(row.realm_id);
    } catch (error) {
      if (error instanceof ConnectionUnusableError) return 'needs_reconnect';
      // Intuit's token service down, a lock timeout: nothing is known about the grant, so nothing changes.
      this.deps.logger.warn({ realmId: row.realm_id, error: (error as Error).message }, 'QuickBooks connection check could not finish');
      return 'unreachable';
    }
  }

  private async ask(realmId: string): Promise<ConnectionCheckOutcome> {
    let token = await this.deps.tokens.getAccessToken(realmId);
    let status = await this.deps.probe(realmId, token);
    if (status === 401) {
      // As after any 401: refresh once (or take another process's fresh token) and ask again.
      token = await this.deps.tokens.refreshAfterRejection(realmId, token);
      status = await this.deps.probe(realmId, token);
    }
    if (status === 'unreachable' || status === 429 || status >= 500) return 'unreachable';
    if (status === 401 || status === 403 || status === 404) {
      const reason: NeedsReconnectReason = status === 401 ? 'access_refused' : 'company_unavailable';
      await this.deps.markNeedsReconnect(realmId, reason);
      this.deps.logger.warn({ realmId, status, reason }, 'QuickBooks refused this connection; it needs a reconnect');
      return 'needs_reconnect';
    }
    return 'ok';
  }
}

/** The probe over HTTP. Errors keep only the status: axios errors hold the Authorization header. */
export function httpCompanyProbe(apiBaseUrl: string, timeoutMs = PROBE_TIMEOUT_MS): CompanyProbe {
  return async (realmId, accessToken) => {
    try {
      const response = await axios.get<unknown>(`${apiBaseUrl}/v3/company/${realmId}/companyinfo/${realmId}`, {
        params: { minorversion: MINOR_VERSION },
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
        timeout: timeoutMs,
        validateStatus: () => true,
      });
      return response.status;
    } catch {
      return 'unreachable';
    }
  };
}
