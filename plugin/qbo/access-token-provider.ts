/**
 * The seam between the QuickBooks API layer (http client) and the OAuth side (token store, refresh).
 * The http client knows nothing about how tokens are stored, encrypted or refreshed; it only asks here.
 *
 * Implementations must never log or throw with the token value in the message.
 */
export interface AccessTokenProvider {
  /**
   * A currently valid access token for the realm. May refresh ahead of expiry (single-flight, under a lock)
   * before answering. Rejects when the realm is not connected or needs a reconnect.
   */
  getAccessToken(realmId: string): Promise<string>;

  /**
   * QuickBooks answered 401 to a call made with `rejectedToken`. Return a token to retry with once:
   * if another process already refreshed (the stored token differs from `rejectedToken`), return the stored
   * one without refreshing again; otherwise refresh under the realm's lock and return the new token.
   * Rejects when the refresh itself fails (e.g. invalid_grant); the client then gives up on the call.
   */
  refreshAfterRejection(realmId: string, rejectedToken: string): Promise<string>;
}
