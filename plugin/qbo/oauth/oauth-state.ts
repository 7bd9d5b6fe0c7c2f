import crypto from 'node:crypto';
import type { OAuthStateRow } from '../../persistence/oauth-state-repository';

/** A fresh OAuth `state`: 32 random bytes, URL-safe. Only its hash is stored. */
export function newOAuthState(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** SHA-256 of a state or session id, as stored and compared. */
export function hashSecret(value: string): string {
  return crypto.createHash('sha256').update(value, 'utf8').digest('hex');
}

export type StateProblem = 'state_unknown' | 'state_used' | 'state_expired' | 'state_other_session';

/**
 * Decide whether a callback's state may finish a sign-in: it must exist, be unused, be unexpired, and have
 * been issued to this browser session for this account. A state started by one admin cannot complete in
 * another admin's session or account (login CSRF), and a replayed callback is refused.
 */
export function checkOAuthState(
  row: OAuthStateRow | null,
  expected: { accountId: string; sessionHash: string; now: Date },
): { ok: true } | { ok: false; problem: StateProblem } {
  if (!row) return { ok: false, problem: 'state_unknown' };
  if (row.used_at) return { ok: false, problem: 'state_used' };
  if (row.expires_at.getTime() <= expected.now.getTime()) return { ok: false, problem: 'state_expired' };
  const stored = Buffer.from(row.session_hash, 'utf8');
  const given = Buffer.from(expected.sessionHash, 'utf8');
  const sameSession = stored.length === given.length && crypto.timingSafeEqual(stored, given);
  if (row.account_id !== expected.accountId || !sameSession) return { ok: false, problem: 'state_other_session' };
  return { ok: true };
}
