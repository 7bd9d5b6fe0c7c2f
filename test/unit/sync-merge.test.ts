import { expect } from 'chai';
import fc from 'fast-check';
import { mergeSnapshots, qboTime } from '../../plugin/sync/plan/merge';
import type { ClientSnapshot } from '../../plugin/sync/plan/types';

const BASE: ClientSnapshot = {
  companyName: 'Acme', firstName: 'Jo', lastName: 'Lee', email: 'jo@acme.com', phone: '1',
  billLine1: null, billLine2: null, billCity: 'Paris', billState: null, billPostalCode: null, billCountry: null,
  notes: null, active: true,
};
const T0 = new Date('2026-11-01T10:00:00Z');
const EARLIER = '2026-11-01T09:00:00Z';
const LATER = '2026-11-01T11:00:00Z';

describe('sync plan: mergeSnapshots', () => {
  it('writes nothing when nothing changed (no echo)', () => {
    expect(mergeSnapshots({ base: BASE, work: { ...BASE }, qbo: { ...BASE }, workUpdatedAt: T0, qboUpdatedAt: LATER })).to.deep.equal({ toQbo: null, toWork: null, conflicts: [], merged: BASE });
  });

  it('sends a Work-only change to QBO', () => {
    const r = mergeSnapshots({ base: BASE, work: { ...BASE, phone: '2' }, qbo: BASE, workUpdatedAt: T0, qboUpdatedAt: LATER });
    expect(r).to.deep.equal({ toQbo: { phone: '2' }, toWork: null, conflicts: [], merged: { ...BASE, phone: '2' } });
  });

  it('brings a QBO-only change to Work, even when Work was touched more recently', () => {
    const r = mergeSnapshots({ base: BASE, work: BASE, qbo: { ...BASE, email: null }, workUpdatedAt: T0, qboUpdatedAt: EARLIER });
    expect(r).to.deep.equal({ toQbo: null, toWork: { email: null }, conflicts: [], merged: { ...BASE, email: null } });
  });

  it('merges changes to different fields both ways', () => {
    const r = mergeSnapshots({ base: BASE, work: { ...BASE, notes: 'w' }, qbo: { ...BASE, billCity: 'Lyon' }, workUpdatedAt: T0, qboUpdatedAt: LATER });
    expect(r.toQbo).to.deep.equal({ notes: 'w' });
    expect(r.toWork).to.deep.equal({ billCity: 'Lyon' });
    expect(r.conflicts).to.deep.equal([]);
  });

  const conflicts: Array<[string, Date | string | null, 'work' | 'qbo']> = [
    ['QBO newer', LATER, 'qbo'],
    ['Work newer', EARLIER, 'work'],
    ['a tie (Work wins)', T0.toISOString(), 'work'],
    ['a tie given as a Date', new Date(T0), 'work'],
    ['no QBO time (counts as older)', null, 'work'],
    ['an unreadable QBO time', 'yesterday-ish', 'work'],
  ];
  for (const [what, qboUpdatedAt, winner] of conflicts) {
    it(`resolves a field changed on both sides by the newer change: ${what}`, () => {
      const r = mergeSnapshots({ base: BASE, work: { ...BASE, phone: 'W' }, qbo: { ...BASE, phone: 'Q' }, workUpdatedAt: T0, qboUpdatedAt });
      expect(r.conflicts).to.deep.equal([{ field: 'phone', base: '1', work: 'W', qbo: 'Q', winner, firstLink: false }]);
      expect(r.merged.phone).to.equal(winner === 'work' ? 'W' : 'Q');
      expect(winner === 'work' ? r.toQbo : r.toWork).to.deep.equal({ phone: winner === 'work' ? 'W' : 'Q' });
      expect(winner === 'work' ? r.toWork : r.toQbo).to.equal(null);
    });
  }

  it('sees no conflict when both sides changed to the same value', () => {
    const r = mergeSnapshots({ base: BASE, work: { ...BASE, phone: '9' }, qbo: { ...BASE, phone: '9' }, workUpdatedAt: T0, qboUpdatedAt: LATER });
    expect(r).to.deep.equal({ toQbo: null, toWork: null, conflicts: [], merged: { ...BASE, phone: '9' } });
  });

  it('at the first link fills blanks both ways and lets the newer record win a real difference', () => {
    const work: ClientSnapshot = { ...BASE, phone: null, notes: 'from work', email: 'a@x.com' };
    const qbo: ClientSnapshot = { ...BASE, phone: '555', notes: null, email: 'b@x.com' };
    const r = mergeSnapshots({ base: null, work, qbo, workUpdatedAt: T0, qboUpdatedAt: LATER });
    expect(r.toWork).to.deep.equal({ phone: '555', email: 'b@x.com' });
    expect(r.toQbo).to.deep.equal({ notes: 'from work' });
    expect(r.conflicts).to.deep.equal([{ field: 'email', base: undefined, work: 'a@x.com', qbo: 'b@x.com', winner: 'qbo', firstLink: true }]);
  });

  it('reads QBO times', () => {
    expect(qboTime('2026-11-01T10:00:00-08:00')).to.equal(Date.parse('2026-11-01T18:00:00Z'));
    expect(qboTime(undefined)).to.equal(Number.NEGATIVE_INFINITY);
  });

  describe('properties', () => {
    const value = fc.constantFrom<string | null>(null, 'a', 'b', 'c');
    const snap = fc.record({
      companyName: value, firstName: value, lastName: value, email: value, phone: value,
      billLine1: value, billLine2: value, billCity: value, billState: value, billPostalCode: value, billCountry: value,
      notes: value, active: fc.boolean(),
    });
    const time = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:10Z'), noInvalidDate: true });
    const input = fc.record({ base: fc.option(snap, { nil: null }), work: snap, qbo: snap, workUpdatedAt: time, qboUpdatedAt: time });

    it('applying the result to both sides makes them equal to merged', () => {
      fc.assert(
        fc.property(input, (i) => {
          const r = mergeSnapshots(i);
          expect({ ...i.work, ...(r.toWork ?? {}) }).to.deep.equal(r.merged);
          expect({ ...i.qbo, ...(r.toQbo ?? {}) }).to.deep.equal(r.merged);
        }),
        { numRuns: 1000 },
      );
    });

    it('is idempotent: merging again against the merged base writes nothing', () => {
      fc.assert(
        fc.property(input, (i) => {
          const r = mergeSnapshots(i);
          const again = mergeSnapshots({ ...i, base: r.merged, work: { ...i.work, ...(r.toWork ?? {}) }, qbo: { ...i.qbo, ...(r.toQbo ?? {}) } });
          expect(again).to.deep.equal({ toQbo: null, toWork: null, conflicts: [], merged: r.merged });
        }),
        { numRuns: 1000 },
      );
    });

    it('never echoes: no change on either side writes nothing', () => {
      fc.assert(
        fc.property(snap, time, time, (s, a, b) => {
          expect(mergeSnapshots({ base: s, work: { ...s }, qbo: { ...s }, workUpdatedAt: a, qboUpdatedAt: b })).to.deep.equal({ toQbo: null, toWork: null, conflicts: [], merged: s });
        }),
      );
    });

    it('a one-sided change always flows, whatever the times', () => {
      fc.assert(
        fc.property(snap, snap, time, time, (base, changed, a, b) => {
          const r = mergeSnapshots({ base, work: changed, qbo: base, workUpdatedAt: a, qboUpdatedAt: b });
          expect(r.merged).to.deep.equal(changed);
          expect(r.toWork).to.equal(null);
          expect(r.conflicts).to.deep.equal([]);
        }),
      );
    });

    it('a conflict is reported exactly for fields changed on both sides to different values', () => {
      fc.assert(
        fc.property(snap, snap, snap, time, time, (base, work, qbo, a, b) => {
          const r = mergeSnapshots({ base, work, qbo, workUpdatedAt: a, qboUpdatedAt: b });
          const expected = (Object.keys(base) as Array<keyof typeof base>).filter((f) => work[f] !== base[f] && qbo[f] !== base[f] && work[f] !== qbo[f]).sort();
          expect(r.conflicts.map((c) => c.field)).to.deep.equal(expected);
        }),
      );
    });
  });
});
