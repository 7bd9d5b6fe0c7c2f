/**
 * What every benchmark hands back: figures with a name, a value, a unit and (when the issue sets one) a
 * target. run-all prints them as one table and writes them as JSON. A figure that cannot be measured yet
 * carries value null and says why; it is never given a made-up number.
 */
export type Size = 'S' | 'M' | 'L';

export interface Target {
  /** "at most" or "at least" the bound. */
  op: '<=' | '>=';
  bound: number;
}

export interface Figure {
  /** Stable machine name, e.g. "peer.calls_ratio". */
  name: string;
  /** What the table shows. */
  label: string;
  /** null: not measured (see `note`). */
  value: number | null;
  unit: string;
  target: Target | null;
  /** Why a figure is missing, or a short remark printed beside it. */
  note?: string;
}

export type Verdict = 'met' | 'MISSED' | '—' | string;

export function verdictOf(figure: Figure): Verdict {
  if (figure.value === null) return figure.note ?? 'not measured';
  if (figure.target === null) return '—';
  const { op, bound } = figure.target;
  return (op === '<=' ? figure.value <= bound : figure.value >= bound) ? 'met' : 'MISSED';
}

export function targetText(target: Target | null, unit = ''): string {
  if (target === null) return '—';
  return `${target.op === '<=' ? '≤' : '≥'} ${formatNumber(target.bound, unit)}`;
}

/** Ratios (unit ×) always with two decimals; counts as integers; other values with 3, 2, 1 or 0 decimals by size. */
export function formatNumber(value: number, unit = ''): string {
  if (unit === '×') return value.toFixed(2);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A figure that waits for code not on main yet: printed as such, never as a number. */
export function notMeasured(name: string, label: string, unit: string, target: Target | null, why: string): Figure {
  return { name, label, value: null, unit, target, note: why };
}

export function figure(name: string, label: string, value: number, unit: string, target: Target | null = null, note?: string): Figure {
  return note === undefined ? { name, label, value, unit, target } : { name, label, value, unit, target, note };
}

/** The one table: figure, value, unit, target, verdict (aligned plain text, fits a terminal and the README). */
export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.label, f.value === null ? '—' : formatNumber(f.value, f.unit), f.unit, targetText(f.target, f.unit), verdictOf(f)]);
  const header = ['figure', 'value', 'unit', 'target', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same table as Markdown, for the README. */
export function renderMarkdown(figures: readonly Figure[]): string {
  const rows = figures.map((f) => `| ${f.label} | ${f.value === null ? '—' : formatNumber(f.value, f.unit)} | ${f.unit} | ${targetText(f.target, f.unit)} | ${verdictOf(f)} |`);
  return ['| figure | value | unit | target | verdict |', '| --- | ---: | --- | --- | --- |', ...rows].join('\n');
}

/** Every figure as JSON: name, value, unit, target (and the note when there is one). */
export function toJson(figures: readonly Figure[], meta: Record<string, unknown>): string {
  return `${JSON.stringify(
    {
      ...meta,
      figures: figures.map((f) => ({
        name: f.name,
        label: f.label,
        value: f.value,
        unit: f.unit,
        target: f.target === null ? null : { op: f.target.op, bound: f.target.bound },
        verdict: verdictOf(f),
        ...(f.note === undefined ? {} : { note: f.note }),
      })),
    },
    null,
    2,
  )}\n`;
}
