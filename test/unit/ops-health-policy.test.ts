import { expect } from 'chai';
import { assessAccount, DEFAULT_HEALTH_THRESHOLDS } from '../../plugin/ops/health';
import type { AccountHealthFacts } from '../../plugin/persistence/health-repository';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function facts(overrides: Partial<AccountHealthFacts> = {}): AccountHealthFacts {
  return {
    accountId: 'a1',
    connection: { status: 'connected', realmId: '1', companyName: 'Co', needsReconnectReason: null, lastRefreshedAt: null },
    queue: { pending: 0, processing: 0, failed: 0, failedSince: 0, oldestPendingAt: null },
    lastRun: null,
    logErrorsSince: 0,
    webhooks: { receivedSince: 0, lastReceivedAt: null },
    pull: null,
    ...overrides,
  };
}

const codes = (f: AccountHealthFacts) => assessAccount(f, NOW).problems.map((p) => `${p.code}:${p.severity}`);
const queue = (pending: number, oldestMinutes: number | null) => ({ pending, processing: 0, failed: 0, failedSince: 0, oldestPendingAt: oldestMinutes === null ? null : minutesAgo(oldestMinutes) });

describe('health policy', () => {
  it('is ok for a connected account with a fresh queue', () => {
    const health = assessAccount(facts({ queue: queue(3, 2) }), NOW);
    expect(health.state).to.equal('ok');
    expect(health.queue.oldestPendingAgeSeconds).to.equal(120);
  });

  it('warns, then turns critical, as the oldest pending change ages', () => {
    expect(codes(facts({ queue: queue(1, 14) }))).to.deep.equal([]);
    expect(codes(facts({ queue: queue(1, 15) }))).to.deep.equal(['queue_stalled:warning']);
    expect(codes(facts({ queue: queue(1, 60) }))).to.deep.equal(['queue_stuck:critical']);
  });

  it('does not alert on the age of a queue that waits on purpose (paused or never connected), but says why it waits', () => {
    const paused = facts({ queue: queue(5, 600), connection: { status: 'needs_reconnect', realmId: '1', companyName: null, needsReconnectReason: 'invalid_grant', lastRefreshedAt: null } });
    expect(codes(paused)).to.deep.equal(['needs_reconnect:critical']);
    expect(codes(facts({ connection: null, queue: queue(5, 600) }))).to.deep.equal(['not_connected:warning']);
    expect(codes(facts({ connection: null }))).to.deep.equal([]);
  });

  it('flags a run running too long and pulls nobody picked up', () => {
    const running = { id: '1', kind: 'continuous', status: 'running', startedAt: minutesAgo(121), finishedAt: null, error: null };
    expect(codes(facts({ lastRun: running }))).to.deep.equal(['run_stuck:warning']);
    const pull = { dueAt: minutesAgo(16), requestCount: 1, claimedBy: null, lockedUntil: null, lastError: null };
    expect(codes(facts({ pull }))).to.deep.equal(['pulls_waiting:warning']);
    expect(codes(facts({ pull: { ...pull, claimedBy: 'w1', lockedUntil: NOW } }))).to.deep.equal([]);
  });

  it('takes custom thresholds', () => {
    const strict = { ...DEFAULT_HEALTH_THRESHOLDS, queueWarningSeconds: 60 };
    expect(assessAccount(facts({ queue: queue(1, 2) }), NOW, strict).state).to.equal('warning');
  });
  it('says a queue waits for the first sync (an admin\'s step), not that it stalled', () => {
    expect(codes(facts({ onboarded: false, queue: queue(3, 120) }))).to.deep.equal(['first_sync_pending:warning']);
    expect(codes(facts({ onboarded: false }))).to.deep.equal([]);
    expect(codes(facts({ onboarded: true, queue: queue(3, 120) }))).to.deep.equal(['queue_stuck:critical']);
  });

  it('warns when rows a stopped worker held are not taken back after the lease, and says when a queue is paused', () => {
    const fresh = assessAccount(facts({ leases: { expired: 3, oldestExpiredAt: minutesAgo(2) } }), NOW);
    expect(fresh.problems).to.deep.equal([]);
    expect(fresh.leases).to.deep.equal({ expired: 3, oldestExpiredAt: minutesAgo(2) });
    expect(codes(facts({ leases: { expired: 3, oldestExpiredAt: minutesAgo(11) } }))).to.deep.equal(['leases_expired:warning']);
    const paused = facts({ connection: { status: 'needs_reconnect', realmId: '1', companyName: 'Co', needsReconnectReason: 'invalid_grant', lastRefreshedAt: null }, leases: { expired: 3, oldestExpiredAt: minutesAgo(60) } });
    expect(assessAccount(paused, NOW).paused).to.equal(true);
    expect(codes(paused)).to.deep.equal(['needs_reconnect:critical']);
    expect(assessAccount(facts(), NOW)).to.deep.include({ paused: false, leases: { expired: 0, oldestExpiredAt: null }, nightly: null });
  });
});
