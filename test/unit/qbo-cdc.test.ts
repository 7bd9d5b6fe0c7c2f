import { expect } from 'chai';
import {
  CDC_BOOKMARK_OVERLAP_MS,
  CDC_MAX_OBJECTS_PER_ENTITY,
  fetchChanges,
  formatChangedSince,
  objectsOfCdcResponse,
  type CdcReader,
} from '../../plugin/qbo/cdc';
import type { QueryParams } from '../../plugin/qbo/http-client';
import { loadRecording } from '../support/recordings';

const DAY = 24 * 60 * 60 * 1000;

interface Call {
  entities: string;
  changedSince: string;
}

function readerAnswering(answer: (call: Call) => Record<string, unknown>): { reader: CdcReader; calls: Call[] } {
  const calls: Call[] = [];
  const reader: CdcReader = {
    get(_realmId: string, segments: readonly string[], query: QueryParams = {}) {
      expect(segments).to.deep.equal(['cdc']);
      const call = { entities: query['entities'] ?? '', changedSince: query['changedSince'] ?? '' };
      calls.push(call);
      return Promise.resolve({ body: answer(call) });
    },
  };
  return { reader, calls };
}

describe('CDC', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('asks for a full scan without a bookmark or with one older than 30 days', async () => {
    const { reader, calls } = readerAnswering(() => ({}));
    expect(await fetchChanges(reader, '1', ['Customer'], null, now)).to.deep.equal({ kind: 'full-scan-required', reason: 'no-bookmark' });
    const old = new Date(now.getTime() - 30 * DAY).toISOString();
    expect(await fetchChanges(reader, '1', ['Customer'], old, now)).to.deep.equal({ kind: 'full-scan-required', reason: 'bookmark-too-old' });
    expect(calls).to.have.length(0);
  });

  it('reads the recorded CDC answer and returns its time as the next bookmark', async () => {
    const rec = loadRecording('cdc--1.json');
    const { reader, calls } = readerAnswering(() => rec.response.body as Record<string, unknown>);
    const bookmark = new Date(now.getTime() - 29 * DAY).toISOString();
    const result = await fetchChanges(reader, '1', ['Estimate'], bookmark, now);
    expect(result.kind).to.equal('changes');
    if (result.kind !== 'changes') return;
    expect(result.nextBookmark).to.equal('2020-09-29T08:02:53.512-07:00');
    const estimates = result.entities.get('Estimate');
    expect(estimates?.objects.map((o) => (o as { Id: string }).Id)).to.deep.equal(['48', '46', '41', '100']);
    expect(estimates?.complete).to.equal(true);
    expect(calls).to.deep.equal([{ entities: 'Estimate', changedSince: formatChangedSince(new Date(Date.parse(bookmark) - CDC_BOOKMARK_OVERLAP_MS)) }]);
  });

  it('formats changedSince in the offset form, floored to the second', () => {
    expect(formatChangedSince(new Date('2026-01-02T03:04:05.999Z'))).to.equal('2026-01-02T03:04:05+00:00');
  });

  it('keeps deleted objects and an entity with no changes', () => {
    const body = { CDCResponse: [{ QueryResponse: [{ Customer: [{ Id: '7', status: 'Deleted' }] }, { Invoice: [] }] }], time: 't' };
    const { byEntity } = objectsOfCdcResponse(body);
    expect(byEntity.get('Customer')).to.deep.equal([{ Id: '7', status: 'Deleted' }]);
    expect(byEntity.get('Invoice')).to.deep.equal([]);
  });

  it('narrows the window of an entity that hit 1000 objects and says the result is incomplete', async () => {
    const bookmark = new Date(now.getTime() - 10 * DAY).toISOString();
    const start = Date.parse(bookmark) - CDC_BOOKMARK_OVERLAP_MS;
    const answeredAt = now.getTime();
    // 1500 invoice changes spread evenly over the window; 3 customer changes.
    const invoiceTimes = Array.from({ length: 1500 }, (_, i) => start + ((i + 0.5) * (answeredAt - start)) / 1500);
    const { reader, calls } = readerAnswering((call) => {
      const since = Date.parse(call.changedSince);
      const invoices = invoiceTimes.filter((t) => t >= since).slice(0, CDC_MAX_OBJECTS_PER_ENTITY).map((t) => ({ Id: String(t) }));
      const lists: Record<string, unknown>[] = [{ Invoice: invoices }];
      if (call.entities.includes('Customer')) lists.push({ Customer: [{ Id: '1' }, { Id: '2' }, { Id: '3' }] });
      return { CDCResponse: [{ QueryResponse: lists }], time: new Date(answeredAt).toISOString() };
    });
    const result = await fetchChanges(reader, '1', ['Customer', 'Invoice'], bookmark, now);
    if (result.kind !== 'changes') throw new Error('expected changes');
    expect(calls.map((c) => c.entities)).to.deep.equal(['Customer,Invoice', 'Invoice']);
    expect(Date.parse(calls[1]?.changedSince ?? '')).to.be.greaterThan(Date.parse(calls[0]?.changedSince ?? ''));
    const invoices = result.entities.get('Invoice');
    expect(invoices?.complete).to.equal(false);
    expect(invoices?.objects.length).to.be.within(700, 800);
    expect(invoices?.completeSince.getTime()).to.be.closeTo(start + (answeredAt - start) / 2, 1000);
    expect(result.entities.get('Customer')).to.deep.include({ complete: true });
    expect(result.nextBookmark).to.equal(new Date(answeredAt).toISOString());
  });

  it('refuses unsafe entity names', async () => {
    const { reader } = readerAnswering(() => ({}));
    const error = await fetchChanges(reader, '1', ['Customer&x=1'], now.toISOString(), now).then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/unsafe CDC entity/);
  });
});
