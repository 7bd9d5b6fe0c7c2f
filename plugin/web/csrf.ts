import crypto from 'node:crypto';

/**
 * Synchronizer tokens for the settings forms, without server state: HMAC(secret, session id + account).
 * A page from another site can neither read the session cookie nor this page, so it cannot forge one.
 */
export class CsrfTokens {
  constructor(private readonly secret: Buffer) {}

  issue(sessionId: string, accountId: string): string {
    return crypto.createHmac('sha256', this.secret).update(`${sessionId}\n${accountId}`).digest('base64url');
  }

  verify(token: unknown, sessionId: string | null, accountId: string): boolean {
    if (typeof token !== 'string' || !sessionId) return false;
    const expected = Buffer.from(this.issue(sessionId, accountId));
    const given = Buffer.from(token);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }
}
