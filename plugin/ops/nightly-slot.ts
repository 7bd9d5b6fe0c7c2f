/**
 * When an account's nightly sync is due: its configured local time in its own time zone, plus a fixed
 * per-account offset (jitter) so a thousand accounts set to 02:00 do not all call QuickBooks at 02:00.
 * Pure: the clock is passed in, so tests can stand at any instant in any zone.
 */
import { createHash } from 'node:crypto';

export interface NightlySchedule {
  /** 'HH:MM', the account's local time. */
  time: string;
  /** IANA zone, e.g. 'America/New_York'. */
  timeZone: string;
}

export interface DueSlot {
  /** The account's local date of the night ('YYYY-MM-DD'): one run per slot. */
  slot: string;
  dueAt: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  return { y: Number(p['year']), m: Number(p['month']), d: Number(p['day']), h: Number(p['hour']), mi: Number(p['minute']), s: Number(p['second']) };
}

/** How far the zone's wall clock is ahead of UTC at `date`. */
function offsetMs(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(date.getTime() / 1000) * 1000;
}

/** The account's local date at `date`. */
export function localDate(date: Date, timeZone: string): string {
  const p = partsIn(date, timeZone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/**
 * The instant a local date and time happen in a zone. A time skipped by a spring-forward change lands just
 * after the gap; a time that happens twice (fall back) is its first occurrence.
 */
export function zonedTimeToUtc(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  const first = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(first), timeZone);
  // Of the candidates that show this wall time, the earliest; in a gap neither does, take the later.
  const candidates = [first, second, wall - offsetMs(new Date(first - 3_600_000), timeZone)].filter((t) => localWall(t, timeZone) === wall);
  return new Date(candidates.length > 0 ? Math.min(...candidates) : Math.max(first, second));
}

function localWall(t: number, timeZone: string): number {
  const p = partsIn(new Date(t), timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s);
}

/** The account's fixed offset within the window: the same every night, spread evenly across accounts. */
export function nightlyJitterMs(accountId: string, windowMinutes: number): number {
  if (windowMinutes <= 0) return 0;
  const n = createHash('sha256').update(accountId).digest().readUInt32BE(0);
  return (n % (windowMinutes * 60)) * 1000;
}

/**
 * The night whose run is due at `now`: its time (plus jitter) has come and is no longer ago than
 * `catchUpMs` (a worker that was down at 02:00 still runs it at 03:00, not at noon). Null when none is.
 */
export function dueNightlySlot(now: Date, schedule: NightlySchedule, jitterMs: number, catchUpMs: number): DueSlot | null {
  const today = localDate(now, schedule.timeZone);
  for (const slot of [today, addDays(today, -1)]) {
    const dueAt = new Date(zonedTimeToUtc(slot, schedule.time, schedule.timeZone).getTime() + jitterMs);
    const late = now.getTime() - dueAt.getTime();
    if (late >= 0 && late <= Math.max(catchUpMs, MINUTE_MS) && late < DAY_MS) return { slot, dueAt };
  }
  return null;
}
