import { expect } from 'chai';
import fc from 'fast-check';
import { dueNightlySlot, isValidTimeZone, localDate, nightlyJitterMs, zonedTimeToUtc } from '../../plugin/ops/nightly-slot';

const HOUR = 3_600_000;

describe('nightly slot (when an account\'s nightly sync is due)', () => {
  it('turns a local time in a zone into the instant, across daylight saving changes', () => {
    expect(zonedTimeToUtc('2026-12-01', '02:00', 'America/New_York').toISOString()).to.equal('2026-12-01T07:00:00.000Z');
    expect(zonedTimeToUtc('2026-07-01', '02:00', 'America/New_York').toISOString()).to.equal('2026-07-01T06:00:00.000Z');
    expect(zonedTimeToUtc('2026-12-01', '02:30', 'Asia/Kolkata').toISOString()).to.equal('2026-11-30T21:00:00.000Z');
    expect(zonedTimeToUtc('2026-12-01', '23:45', 'UTC').toISOString()).to.equal('2026-12-01T23:45:00.000Z');
    // 02:30 does not exist on 8 March 2026 in New York (clocks jump 02:00 → 03:00): the run goes after the gap.
    expect(zonedTimeToUtc('2026-03-08', '02:30', 'America/New_York').toISOString()).to.equal('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 1 November 2026: the first one counts.
    expect(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).to.equal('2026-11-01T05:30:00.000Z');
  });

  it('is due from the account\'s local time plus its jitter, for the catch-up window, once per local date', () => {
    const schedule = { time: '02:00', timeZone: 'America/New_York' };
    const at = (iso: string) => dueNightlySlot(new Date(iso), schedule, 0, 6 * HOUR);
    expect(at('2026-12-01T06:59:59Z')).to.equal(null);
    expect(at('2026-12-01T07:00:00Z')).to.deep.equal({ slot: '2026-12-01', dueAt: new Date('2026-12-01T07:00:00Z') });
    expect(at('2026-12-01T12:59:00Z')?.slot).to.equal('2026-12-01');
    expect(at('2026-12-01T13:01:00Z')).to.equal(null);
    // Jitter moves the moment, not the night.
    const jittered = dueNightlySlot(new Date('2026-12-01T07:10:00Z'), schedule, 15 * 60_000, 6 * HOUR);
    expect(jittered).to.equal(null);
    expect(dueNightlySlot(new Date('2026-12-01T07:15:00Z'), schedule, 15 * 60_000, 6 * HOUR)?.dueAt.toISOString()).to.equal('2026-12-01T07:15:00.000Z');
    // A night at 23:50 with 30 minutes of jitter runs after midnight, still for its own date.
    const late = dueNightlySlot(new Date('2026-12-02T00:10:00Z'), { time: '23:50', timeZone: 'UTC' }, 20 * 60_000, HOUR);
    expect(late?.slot).to.equal('2026-12-01');
  });

  it('gives every account a fixed jitter inside the window, spread across it', () => {
    expect(nightlyJitterMs('42', 30)).to.equal(nightlyJitterMs('42', 30));
    expect(nightlyJitterMs('42', 0)).to.equal(0);
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 180 }), (id, minutes) => {
      const j = nightlyJitterMs(id, minutes);
      return j >= 0 && j < minutes * 60_000 && j % 1000 === 0;
    }));
    const spread = new Set(Array.from({ length: 200 }, (_, i) => Math.floor(nightlyJitterMs(`acct-${i}`, 30) / 60_000)));
    expect(spread.size).to.be.greaterThan(20);
  });

  it('knows the local date and which zones exist', () => {
    expect(localDate(new Date('2026-12-01T03:00:00Z'), 'America/Los_Angeles')).to.equal('2026-11-30');
    expect(localDate(new Date('2026-12-01T23:30:00Z'), 'Pacific/Auckland')).to.equal('2026-12-02');
    expect(isValidTimeZone('Europe/Berlin')).to.equal(true);
    expect(isValidTimeZone('Mars/Olympus')).to.equal(false);
  });

  it('is due exactly once per local date over any run of minutes, in any zone (property)', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kathmandu', 'America/St_Johns'];
    fc.assert(fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 364 }), (zone, h, m, day) => {
      const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
      const start = Date.UTC(2026, 0, 1) + day * 86_400_000;
      const slots = new Set<string>();
      for (let t = start; t < start + 86_400_000; t += 10 * 60_000) {
        const due = dueNightlySlot(new Date(t), { time, timeZone: zone }, 0, 30 * 60_000);
        if (due) slots.add(due.slot);
      }
      return slots.size >= 1 && slots.size <= 2;
    }), { numRuns: 60 });
  });
});
