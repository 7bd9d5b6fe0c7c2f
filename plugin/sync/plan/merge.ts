/**
 * Per-field three-way merge of a linked record (SPEC §2 "Linked records then follow each other").
 *
 * With a base (the snapshot as last synced), per field:
 * - equal on both sides → nothing to write (also when both changed to the same value: no conflict);
 * - changed on one side only → flows to the other side;
 * - changed on both sides to different values → the newer change wins (Work's updatedAt against QBO's
 *   MetaData.LastUpdatedTime: "resolved by the newest change", the customer's documented rule) and a conflict
 *   with both values is returned for the log. A tie goes to Work: QBO's time has whole seconds only, Work is
 *   where the field team edits, and a fixed rule keeps the result deterministic. A missing or unreadable QBO
 *   time counts as older than any Work time.
 * Without a base (the first link, at onboarding or when a review entry is resolved by linking):
 * - a value on one side and a blank (null) on the other → the value fills the blank, both ways;
 * - different values on both sides → the newer record wins, as above, and a conflict (firstLink true) is
 *   returned so the bookkeeper can see what was overwritten.
 * `merged` is what both sides hold once toQbo and toWork are applied: the next base. Snapshots are already in
 * QBO's form (see mappers/), so plain equality is the right comparison.
 */
import type { FieldConflict, MergeInput, MergeResult, SnapshotValue } from './types';

/** Epoch milliseconds of a QBO timestamp; -Infinity when missing or unreadable. */
export function qboTime(value: Date | string | null | undefined): number {
  if (value === null || value === undefined) return Number.NEGATIVE_INFINITY;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** `S` is a snapshot: every field a SnapshotValue (string, boolean or null). */
export function mergeSnapshots<S extends object>(input: MergeInput<S>): MergeResult<S> {
  const { base, work, qbo } = input;
  const workWins = input.workUpdatedAt.getTime() >= qboTime(input.qboUpdatedAt);
  const toQbo: Partial<S> = {};
  const toWork: Partial<S> = {};
  const merged = { ...work };
  const conflicts: FieldConflict<Extract<keyof S, string>>[] = [];

  const fields = [...new Set([...Object.keys(work), ...Object.keys(qbo)])].sort() as Array<Extract<keyof S, string>>;
  for (const field of fields) {
    const w = work[field];
    const q = qbo[field];
    const value = (v: S[typeof field] | undefined): SnapshotValue | undefined => v as SnapshotValue | undefined;
    if (w === q) continue;
    const b = base === null ? undefined : base[field];
    let winner: 'work' | 'qbo';
    if (base !== null && b === w) winner = 'qbo';
    else if (base !== null && b === q) winner = 'work';
    else if (base === null && w === null) winner = 'qbo';
    else if (base === null && q === null) winner = 'work';
    else {
      winner = workWins ? 'work' : 'qbo';
      conflicts.push({ field, base: value(b), work: value(w) ?? null, qbo: value(q) ?? null, winner, firstLink: base === null });
    }
    if (winner === 'work') {
      toQbo[field] = w;
      merged[field] = w;
    } else {
      toWork[field] = q;
      merged[field] = q;
    }
  }

  return {
    toQbo: Object.keys(toQbo).length > 0 ? toQbo : null,
    toWork: Object.keys(toWork).length > 0 ? toWork : null,
    conflicts,
    merged,
  };
}
