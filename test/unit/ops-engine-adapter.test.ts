import { expect } from 'chai';
import { engineFromSyncHandle, type SyncHandleLike } from '../../plugin/ops/engine-adapter';
import type { ClaimedPull } from '../../plugin/ops/pull-requests';

const claim = (accountId: string): ClaimedPull => ({ accountId, reason: 'webhook', requestCount: 1, claimedBy: 'w', claimedAt: new Date(0), lockedUntil: new Date(1), attempts: 1 });

function fakeHandle(statusOf: (accountId: string) => string) {
  const calls: string[] = [];
  const handle: SyncHandleLike = {
    async sync(accountId, options) {
      calls.push(`${accountId}:${options.kind}:${options.dryRun === true}`);
      const status = statusOf(accountId);
      return status === 'failed' ? { status, error: 'QuickBooks answered 500' } : { status };
    },
    async retryLogEntry(accountId, logId) {
      calls.push(`retry ${accountId}:${logId}`);
      return logId !== 'gone';
    },
  };
  return { handle, calls };
}

describe('engine adapter (EnginePort over the engine\'s handle)', () => {
  it('maps sync, drain and retry onto the handle', async () => {
    const { handle, calls } = fakeHandle(() => 'finished');
    const engine = engineFromSyncHandle({ sync: handle, accounts: async () => ['a', 'b'], failedLogIds: async () => ['1', 'gone', '3'] });
    expect(await engine.sync('a', { onboarding: true, dryRun: true })).to.deep.equal({ status: 'finished', ok: true });
    await engine.sync('a', { onboarding: false, dryRun: false });
    expect(await engine.drain({})).to.deep.equal({ ok: true, accounts: { a: 'finished', b: 'finished' } });
    expect(await engine.retry('a', { failedOnly: true })).to.deep.equal({ ok: false, accountId: 'a', failedOnly: true, failed: 3, retried: 2 });
    expect(calls).to.deep.equal(['a:onboarding:true', 'a:manual:false', 'a:continuous:false', 'b:continuous:false', 'retry a:1', 'retry a:gone', 'retry a:3']);
  });

  it('says a run that did not finish is not ok, so the CLI exits 1', async () => {
    const { handle } = fakeHandle((a) => (a === 'locked' ? 'already_running' : 'finished'));
    const engine = engineFromSyncHandle({ sync: handle, accounts: async () => ['a', 'locked'], failedLogIds: async () => [] });
    expect(await engine.sync('locked', { onboarding: false, dryRun: false })).to.deep.equal({ status: 'already_running', ok: false });
    expect((await engine.drain({})).ok).to.equal(false);
  });

  it('prints a run as its status, counts and the plan\'s summary, never the plan\'s records', async () => {
    const handle: SyncHandleLike = {
      async sync() {
        return { status: 'finished', run: { id: '5', kind: 'manual', status: 'succeeded', counts: { client: { linked: 2 } } }, result: { plan: { summary: { link: 2 }, records: ['a', 'b'] } as { summary: unknown }, pull: { changed: 0 }, drain: { claimed: 1 } } };
      },
      async retryLogEntry() {
        return true;
      },
    };
    const engine = engineFromSyncHandle({ sync: handle, accounts: async () => [], failedLogIds: async () => [] });
    expect(await engine.sync('a', { onboarding: false, dryRun: false })).to.deep.equal({
      ok: true,
      status: 'finished',
      run: { id: '5', kind: 'manual', status: 'succeeded', counts: { client: { linked: 2 } } },
      result: { plan: { link: 2 }, pull: { changed: 0 }, drain: { claimed: 1 } },
    });
  });

  it('gives the schedules a continuous run\'s status, run id and error', async () => {
    const handle: SyncHandleLike = {
      async sync(accountId) {
        return accountId === 'bad' ? { status: 'failed', error: 'QuickBooks answered 500', run: { id: '8' } } : accountId === 'busy' ? { status: 'already_running', message: 'already running' } : { status: 'finished', run: { id: '7' } };
      },
      async retryLogEntry() {
        return true;
      },
    };
    const engine = engineFromSyncHandle({ sync: handle, accounts: async () => [], failedLogIds: async () => [] });
    expect(await engine.continuous('a')).to.deep.equal({ ok: true, status: 'finished', runId: '7' });
    expect(await engine.continuous('bad')).to.deep.equal({ ok: false, status: 'failed', runId: '8', error: 'QuickBooks answered 500' });
    expect(await engine.continuous('busy')).to.deep.equal({ ok: false, status: 'already_running', message: 'already running' });
  });

  it('turns run results into pull outcomes; a failed run throws its error', async () => {
    const statuses: Record<string, string> = { ok: 'finished', locked: 'already_running', off: 'not_connected', paused: 'needs_reconnect', bad: 'failed' };
    const { handle } = fakeHandle((a) => statuses[a] ?? 'finished');
    const engine = engineFromSyncHandle({ sync: handle, accounts: async () => [], failedLogIds: async () => [] });
    expect((await engine.pull(claim('ok'))).status).to.equal('pulled');
    expect((await engine.pull(claim('locked'))).status).to.equal('busy');
    expect((await engine.pull(claim('off'))).status).to.equal('skipped');
    expect((await engine.pull(claim('paused'))).status).to.equal('skipped');
    const error = await engine.pull(claim('bad')).then(() => null, (e: Error) => e);
    expect(error?.message).to.equal('QuickBooks answered 500');
  });
});
