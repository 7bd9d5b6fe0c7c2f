/**
 * QBO writes times in the company's local time with an offset ("2020-09-29T05:58:16-07:00"); MetaData
 * has whole seconds, the response `time` has milliseconds. The sandbox uses one fixed Pacific offset.
 */
const OFFSET_MINUTES = -7 * 60;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatQboTime(date: Date, withMillis = false): string {
  const local = new Date(date.getTime() + OFFSET_MINUTES * 60_000);
  const sign = OFFSET_MINUTES < 0 ? '-' : '+';
  const abs = Math.abs(OFFSET_MINUTES);
  const base =
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const millis = withMillis ? `.${pad(local.getUTCMilliseconds(), 3)}` : '';
  return `${base}${millis}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The company's local calendar date (TxnDate, DueDate). */
export function formatQboDate(date: Date): string {
  return formatQboTime(date).slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Parses an ISO date-time (with or without offset, or a bare date) to epoch ms; null when it is not one. */
export function parseQboTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value.slice(10));
  const normalized = value.length === 10 ? `${value}T00:00:00` : value.replace(' ', 'T');
  const ms = Date.parse(hasZone ? normalized : `${normalized}${formatOffset()}`);
  return Number.isNaN(ms) ? null : ms;
}

function formatOffset(): string {
  const abs = Math.abs(OFFSET_MINUTES);
  return `${OFFSET_MINUTES < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
