import { expect } from 'chai';
import { checkOAuthState, hashSecret, newOAuthState } from '../../plugin/qbo/oauth/oauth-state';
import type { OAuthStateRow } from '../../plugin/persistence/oauth-state-repository';

const now = new Date('2026-11-25T12:00:00Z');
const session = hashSecret('session-a');
const row = (over: Partial<OAuthStateRow> = {}): OAuthStateRow => ({
  id: '1',
  state_hash: hashSecret('s'),
  account_id: 'acct-1',
  session_hash: session,
  created_at: new Date(now.getTime() - 60_000),
  expires_at: new Date(now.getTime() + 540_000),
  used_at: null,
  ...over,
});
const expected = { accountId: 'acct-1', sessionHash: session, now };

describe('OAuth state handling', () => {
  it('makes long random, URL-safe states and stores only their hash', () => {
    const a = newOAuthState();
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(newOAuthState()).not.to.equal(a);
    expect(hashSecret(a)).to.match(/^[0-9a-f]{64}$/).and.not.to.contain(a);
  });

  it('accepts an unused, unexpired state issued to this session and account', () => {
    expect(checkOAuthState(row(), expected)).to.deep.equal({ ok: true });
  });

  it('refuses a state it never issued', () => {
    expect(checkOAuthState(null, expected)).to.deep.equal({ ok: false, problem: 'state_unknown' });
  });

  it('refuses a replayed (already used) state', () => {
    expect(checkOAuthState(row({ used_at: now }), expected)).to.deep.equal({ ok: false, problem: 'state_used' });
  });

  it('refuses an expired state, the expiry instant included', () => {
    expect(checkOAuthState(row({ expires_at: now }), expected)).to.deep.equal({ ok: false, problem: 'state_expired' });
  });

  it('refuses a state issued to another browser session', () => {
    expect(checkOAuthState(row(), { ...expected, sessionHash: hashSecret('session-b') })).to.deep.equal({ ok: false, problem: 'state_other_session' });
    expect(checkOAuthState(row(), { ...expected, sessionHash: '' })).to.deep.equal({ ok: false, problem: 'state_other_session' });
  });

  it('refuses a state issued for another account, even in the same browser', () => {
    expect(checkOAuthState(row(), { ...expected, accountId: 'acct-2' })).to.deep.equal({ ok: false, problem: 'state_other_session' });
  });
});
