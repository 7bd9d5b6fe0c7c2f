/**
 * The bad-input suite's ledger: every generated case runs through `badCase`, which counts it, and the suite
 * prints one line at the end ("badinput: N cases, M held"), the known defects, and every case that did not hold.
 */

export interface CaseOutcome {
  id: string;
  held: boolean;
  problem: string | null;
  /** Why the case is a known defect (it failed and is listed in KNOWN_DEFECTS), or null. */
  knownDefect: string | null;
}

/**
 * Cases that fail because of a bug whose fix belongs to a file another branch is rewriting right now. Each
 * entry names the case id and why. Empty means every case holds.
 */
export const KNOWN_DEFECTS: Readonly<Record<string, string>> = {};

const outcomes: CaseOutcome[] = [];

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n').slice(0, 6).join('\n');

/** One generated case: a mocha test whose outcome is also counted in the ledger. */
export function badCase(id: string, run: () => Promise<void>, timeoutMs?: number): void {
  const known = KNOWN_DEFECTS[id] ?? null;
  it(known ? `${id} [known defect]` : id, async function () {
    if (timeoutMs !== undefined) this.timeout(timeoutMs);
    try {
      await run();
    } catch (err) {
      outcomes.push({ id, held: false, problem: messageOf(err), knownDefect: known });
      if (known) return;
      throw err;
    }
    outcomes.push({ id, held: true, problem: null, knownDefect: null });
    if (known) throw new Error(`${id} holds now: remove it from KNOWN_DEFECTS`);
  });
}

export function ledgerOutcomes(): readonly CaseOutcome[] {
  return outcomes;
}

/** The lines the suite prints at its end. */
export function ledgerReport(): string[] {
  const held = outcomes.filter((o) => o.held).length;
  const known = outcomes.filter((o) => !o.held && o.knownDefect !== null);
  const failed = outcomes.filter((o) => !o.held && o.knownDefect === null);
  const families = new Map<string, { tried: number; held: number }>();
  for (const o of outcomes) {
    const family = o.id.split(':')[0] ?? o.id;
    const f = families.get(family) ?? { tried: 0, held: 0 };
    f.tried += 1;
    if (o.held) f.held += 1;
    families.set(family, f);
  }
  const lines = [`badinput: ${outcomes.length} cases, ${held} held`];
  for (const [family, f] of families) lines.push(`  ${family}: ${f.tried} cases, ${f.held} held`);
  lines.push(`known defects: ${known.length}`);
  for (const o of known) lines.push(`  ${o.id}: ${o.knownDefect}`);
  if (failed.length > 0) {
    lines.push(`did not hold: ${failed.length}`);
    for (const o of failed) lines.push(`  ${o.id}: ${o.problem}`);
  }
  return lines;
}
