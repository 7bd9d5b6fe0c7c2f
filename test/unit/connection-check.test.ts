import { expect } from 'chai';
import pino from 'pino';
import sinon from 'sinon';
import type { ConnectionRow } from '../../plugin/persistence/connection-repository';
import { ConnectionCheck, type CompanyProbe, type NeedsReconnectReason } from '../../plugin/qbo/oauth/connection-check';
import { ConnectionUnusableError, TokenEndpointUnavailableError } from '../../plugin/qbo/oauth/errors';

const REALM = '9130350000000001';
const NOW = new Date('2026-12-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function connectedRow(overrides: Partial<ConnectionRow> = {}): ConnectionRow {
  return {
    id: '1', account_id: 'A', realm_id: REALM, status: 'connected', company_name: 'Co', country: 'US', offering_sku: null, company_prefs: null,
    key_id: 'k', access_token_enc: 'enc', refresh_token_enc: 'enc', access_token_expires_at: new Date(NOW.getTime() + 30 * 60_000),
    refresh_token_expires_at: null, refresh_token_hard_expires_at: null, last_refreshed_at: minutesAgo(30), connected_at: minutesAgo(120),
    disconnected_at: null, needs_reconnect_reason: null, needs_reconnect_at: null, created_at: minutesAgo(120), updated_at: minutesAgo(30),
    ...overrides,
  };
}

describe('connection check: does QuickBooks still accept a "connected" connection?', () => {
  let marked: { realmId: string; reason: NeedsReconnectReason }[];
  let tokens: { getAccessToken: sinon.SinonStub; refreshAfterRejection: sinon.SinonStub };

  function checkWith(answers: (number | 'unreachable')[]): { check: ConnectionCheck; probe: sinon.SinonSpy } {
    const queue = [...answers];
    const probe = sinon.spy<CompanyProbe>(async () => queue.shift() ?? 200);
    const check = new ConnectionCheck({
      tokens,
      probe,
      markNeedsReconnect: async (realmId, reason) => {
        marked.push({ realmId, reason });
      },
      clock: () => NOW,
      logger: pino({ level: 'silent' }),
    });
    return { check, probe };
  }

  beforeEach(() => {
    marked = [];
    tokens = { getAccessToken: sinon.stub().resolves('access-1'), refreshAfterRejection: sinon.stub().resolves('access-2') };
  });

  it('leaves a connection QuickBooks answers for as it is', async () => {
    const { check, probe } = checkWith([200]);
    expect(await check.check(connectedRow())).to.equal('ok');
    expect(probe.firstCall.args).to.deep.equal([REALM, 'access-1']);
    expect(marked).to.deep.equal([]);
  });

  it('marks a company QuickBooks no longer lets us reach (403, 404) as needing a reconnect', async () => {
    for (const status of [403, 404]) {
      marked = [];
      const { check } = checkWith([status]);
      expect(await check.check(connectedRow())).to.equal('needs_reconnect');
      expect(marked).to.deep.equal([{ realmId: REALM, reason: 'company_unavailable' }]);
    }
  });

  it('after a 401 refreshes once and asks again; a second 401 marks the access refused', async () => {
    const { check, probe } = checkWith([401, 401]);
    expect(await check.check(connectedRow())).to.equal('needs_reconnect');
    expect(tokens.refreshAfterRejection.calledOnceWithExactly(REALM, 'access-1')).to.equal(true);
    expect(probe.secondCall.args).to.deep.equal([REALM, 'access-2']);
    expect(marked).to.deep.equal([{ realmId: REALM, reason: 'access_refused' }]);
  });

  it('after a 401 whose refresh works, the connection is fine', async () => {
    const { check } = checkWith([401, 200]);
    expect(await check.check(connectedRow())).to.equal('ok');
    expect(marked).to.deep.equal([]);
  });

  it('a refresh Intuit refuses (already marked invalid_grant by the token store) reports needs_reconnect without marking again', async () => {
    tokens.refreshAfterRejection.rejects(new ConnectionUnusableError(REALM, 'needs_reconnect'));
    const { check } = checkWith([401]);
    expect(await check.check(connectedRow())).to.equal('needs_reconnect');
    expect(marked).to.deep.equal([]);
  });

  it('changes nothing when QuickBooks or Intuit cannot be reached or is busy', async () => {
    for (const answer of ['unreachable', 429, 500, 503] as const) {
      const { check } = checkWith([answer]);
      expect(await check.check(connectedRow()), String(answer)).to.equal('unreachable');
    }
    tokens.refreshAfterRejection.rejects(new TokenEndpointUnavailableError('ECONNREFUSED', null));
    const { check } = checkWith([401]);
    expect(await check.check(connectedRow())).to.equal('unreachable');
    expect(marked).to.deep.equal([]);
  });

  it('asks nothing right after a connect or refresh, with an expired access token, for other statuses, or twice a minute', async () => {
    const { check, probe } = checkWith([200, 200]);
    expect(await check.check(connectedRow({ connected_at: minutesAgo(0.5) }))).to.equal('skipped');
    expect(await check.check(connectedRow({ last_refreshed_at: minutesAgo(0.5) }))).to.equal('skipped');
    expect(await check.check(connectedRow({ access_token_expires_at: minutesAgo(1) }))).to.equal('skipped');
    expect(await check.check(connectedRow({ status: 'needs_reconnect', needs_reconnect_reason: 'invalid_grant' }))).to.equal('skipped');
    expect(await check.check(connectedRow({ status: 'disconnected' }))).to.equal('skipped');
    expect(probe.callCount).to.equal(0);
    expect(await check.check(connectedRow())).to.equal('ok');
    expect(await check.check(connectedRow())).to.equal('skipped');
    expect(probe.callCount).to.equal(1);
  });
});
