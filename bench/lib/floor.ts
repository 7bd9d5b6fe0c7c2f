/**
 * The fewest API calls a sync can make (issue 11): over its dependency layers (customers before
 * sub-customers before invoices before payments…), reads come 1,000 rows a page and writes 30 a batch call,
 * so floor = Σ over layers of ceil(reads / 1000) + ceil(writes / 30). The engine's benchmarks report their
 * calls ÷ this floor (target ≤ 1.1).
 */
export const ROWS_PER_PAGE = 1000;
export const WRITES_PER_BATCH = 30;

export interface Layer {
  /** What the layer is, for the printout: "customers", "sub-customers", … */
  name: string;
  /** Rows the layer must read. */
  reads: number;
  /** Records the layer must write. */
  writes: number;
}

export function callFloor(layers: readonly Layer[]): number {
  return layers.reduce((sum, layer) => {
    for (const [what, n] of [['reads', layer.reads], ['writes', layer.writes]] as const) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`layer ${layer.name}: ${what} must be a whole number ≥ 0, got ${n}`);
    }
    return sum + Math.ceil(layer.reads / ROWS_PER_PAGE) + Math.ceil(layer.writes / WRITES_PER_BATCH);
  }, 0);
}
