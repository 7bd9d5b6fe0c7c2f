import { expect } from 'chai';
import type { SyncRunRow } from '../../plugin/persistence/sync-run-repository';
import { readLogFilter, logQuery } from '../../plugin/web/log-view-model';
import { formatDuration, runView } from '../../plugin/web/page-format';
import { readPreviewFilter } from '../../plugin/web/preview-view-model';
import { formatDifference, formatMoney } from '../../plugin/web/reconciliation-view-model';

function run(fields: Partial<SyncRunRow>): SyncRunRow {
  const started = new Date('2026-12-01T12:00:00Z');
  return {
    id: '7', account_id: '1', kind: 'onboarding', status: 'running', dry_run: false, phase: 'clients', counts: {}, error: null,
    started_at: started, updated_at: started, finished_at: null, cancel_requested_at: null, expected: null, ...fields,
  };
}

describe('sync pages: view models', () => {
  it('draws progress from the run\'s counts against what it expects, side notes not counted, never past the end', () => {
    const now = new Date('2026-12-01T12:01:05Z');
    const going = runView(run({ expected: { client: 8, site: 2 }, counts: { client: { created_in_qbo: 4, warning: 3 }, site: { linked: 1 } } }), now);
    expect([going.done, going.expected, going.percent, going.duration, going.phase]).to.deep.equal([5, 10, 50, '1 min 5 s', 'Syncing clients']);
    const over = runView(run({ expected: { client: 2 }, counts: { client: { linked: 5 } } }), now);
    expect([over.done, over.percent]).to.deep.equal([2, 100]);
    const unknown = runView(run({ kind: 'continuous' }), now);
    expect([unknown.expected, unknown.percent]).to.deep.equal([null, null]);
    const done = runView(run({ status: 'succeeded', finished_at: now, expected: { client: 9 }, counts: { client: { linked: 7, failed: 2 } } }), now);
    expect([done.running, done.done, done.expected, done.percent, done.problems, done.phase, done.statusLabel]).to.deep.equal([false, 9, 9, 100, 2, null, 'Finished']);
    const empty = runView(run({ status: 'succeeded', finished_at: now, kind: 'continuous' }), now);
    expect([empty.done, empty.expected, empty.percent]).to.deep.equal([0, 0, 100]);
  });

  it('formats durations and money exactly (decimal.js, grouped, signed differences)', () => {
    expect([formatDuration(400), formatDuration(59_600), formatDuration(3_725_000)]).to.deep.equal(['0 s', '1 min 0 s', '1 h 2 min']);
    expect([formatMoney('1234567.005'), formatMoney('-0.5'), formatMoney('0.1000000000')]).to.deep.equal(['1,234,567.01', '−0.50', '0.10']);
    expect([formatDifference('1'), formatDifference('-10000'), formatDifference('0')]).to.deep.equal(['+0.01', '−100.00', '+0.00']);
  });

  it('reads the log\'s filters from GET params, dropping (and reporting) unknown values, and writes them back', () => {
    expect(readLogFilter({ entity: 'client', outcome: 'failed', run: '12', work: 'w-1', q: '  boiler  ' })).to.deep.equal({
      filter: { entity: 'client', outcome: 'failed', runId: '12', workId: 'w-1', text: 'boiler' }, ignored: false,
    });
    expect(readLogFilter({ entity: 'vendor', outcome: ['failed'], run: '1; DROP TABLE', work: '<script>' })).to.deep.equal({ filter: {}, ignored: true });
    expect(readLogFilter({ q: 'x'.repeat(500) }).filter.text).to.have.length(200);
    expect(logQuery({ entity: 'client', text: 'a&b=c' })).to.equal('?entity=client&q=a%26b%3Dc');
    expect(logQuery({})).to.equal('');
  });

  it('reads the preview\'s filters, dropping unknown ones', () => {
    expect(readPreviewFilter({ action: 'review', reason: 'blank_name', entity: 'site' })).to.deep.equal({ filter: { action: 'review', reason: 'blank_name', entity: 'site' }, ignored: false });
    expect(readPreviewFilter({ action: 'delete_everything', reason: '__proto__', entity: '' })).to.deep.equal({ filter: { action: null, reason: null, entity: null }, ignored: true });
  });
});
