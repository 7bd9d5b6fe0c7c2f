/**
 * Errors of the connection side. None of them ever carries a token, a code or the client secret: their
 * messages and fields are built only from Intuit's error code, the HTTP status and intuit_tid.
 */

/** Intuit refused the grant (e.g. invalid_grant: the refresh token or code is dead). Retrying cannot help. */
export class OAuthGrantError extends Error {
  constructor(
    readonly code: string,
    readonly status: number | null,
    readonly intuitTid: string | null,
  ) {
    super(`Intuit refused the token request: ${code}${status ? ` (HTTP ${status})` : ''}`);
    this.name = 'OAuthGrantError';
  }

  get isInvalidGrant(): boolean {
    return this.code === 'invalid_grant';
  }
}

/** The token or revoke endpoint could not be reached or answered something unusable. Worth retrying later. */
export class TokenEndpointUnavailableError extends Error {
  constructor(readonly detail: string, readonly status: number | null) {
    super(`Intuit's token service is unavailable: ${detail}`);
    this.name = 'TokenEndpointUnavailableError';
  }
}

export type UnusableReason = 'not_connected' | 'needs_reconnect' | 'disconnected';

/** The realm has no usable connection: the caller must pause and wait for the admin to (re)connect. */
export class ConnectionUnusableError extends Error {
  constructor(readonly realmId: string, readonly reason: UnusableReason) {
    super(`QuickBooks company ${realmId} cannot be used: ${reason.replace('_', ' ')}`);
    this.name = 'ConnectionUnusableError';
  }
}

/**
 * The connection's row lock could not be had in time: another worker is refreshing its tokens (or an admin is
 * disconnecting it) and has not finished. Nothing was changed; trying again shortly is safe.
 */
export class ConnectionBusyError extends Error {
  constructor(readonly realmOrAccount: string, readonly waitedMs: number) {
    super(`QuickBooks connection ${realmOrAccount} is busy (a token refresh or a disconnect is still running after ${waitedMs} ms); nothing was changed, try again shortly`);
    this.name = 'ConnectionBusyError';
  }
}
