import type { RunCounts, SyncRunRepository } from '../../persistence/sync-run-repository';
import type { SyncLogInput, SyncLogRepository } from '../../persistence/sync-log-repository';
import { stripUnsafeCharactersDeep } from '../text-safety';
import { nextAttemptAt } from './fault-reasons';

/** Thrown at a checkpoint when the admin asked the run to stop; the run ends as "cancelled". */
export class RunCancelledError extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelledError';
  }
}

/** How many entries a recorder buffers before writing them (and the run's counts) to the database. */
const FLUSH_EVERY = 50;

/**
 * One run's bookkeeping: each record's outcome goes to qbo_sync_log and into the run's counts per entity and
 * outcome, written every few dozen records so a page can draw live progress. A dry run counts but writes no
 * log entries (it changes nothing, so there is nothing to explain per record).
 */
export class RunRecorder {
  readonly counts: RunCounts = {};
  private buffer: SyncLogInput[] = [];
  private phase: string | null = null;

  constructor(
    private readonly deps: { runs: SyncRunRepository; log: SyncLogRepository; clock: () => Date },
    readonly accountId: string,
    readonly runId: string,
    readonly dryRun: boolean,
  ) {}

  async record(input: Omit<SyncLogInput, 'runId'>): Promise<void> {
    const entry = input.outcome === 'failed' && !this.dryRun ? await this.withBackoff(input) : input;
    const entity = entry.entity ?? 'run';
    const perEntity = (this.counts[entity] ??= {});
    perEntity[entry.outcome] = (perEntity[entry.outcome] ?? 0) + 1;
    if (!this.dryRun) this.buffer.push(safeEntry({ ...entry, runId: this.runId }));
    if (this.buffer.length >= FLUSH_EVERY) await this.flush();
  }

  /** Only counts (warnings beside an outcome already counted are logged, not counted twice). */
  async note(entry: Omit<SyncLogInput, 'runId'>): Promise<void> {
    if (!this.dryRun) this.buffer.push(safeEntry({ ...entry, runId: this.runId }));
    if (this.buffer.length >= FLUSH_EVERY) await this.flush();
  }

  /** What the run expects to record per entity (its plan's size), for the progress bar. */
  async setExpected(expected: Record<string, number>): Promise<void> {
    await this.deps.runs.saveExpected(this.accountId, this.runId, expected);
  }

  /** A record failing again waits longer: 1, 2, 4 … minutes by its failures since it last went through. */
  private async withBackoff(entry: Omit<SyncLogInput, 'runId'>): Promise<Omit<SyncLogInput, 'runId'>> {
    if (entry.entity === null) return entry;
    const earlier = await this.deps.log.failuresSinceSuccess(this.accountId, entry.entity, entry.workId, entry.qboId);
    const attempts = Math.max(entry.attempts ?? 1, earlier + 1);
    return { ...entry, attempts, nextAttemptAt: nextAttemptAt(this.deps.clock(), attempts) };
  }

  async setPhase(phase: string): Promise<void> {
    this.phase = phase;
    await this.flush();
  }

  async flush(): Promise<void> {
    const entries = this.buffer;
    this.buffer = [];
    const now = this.deps.clock();
    await this.deps.log.insertMany(this.accountId, entries, now);
    await this.deps.runs.saveProgress(this.accountId, this.runId, this.counts, this.phase, now);
    // The cancel checkpoint: after a batch's outcomes are stored, so a cancelled run loses nothing it did.
    if (await this.deps.runs.cancelRequested(this.accountId, this.runId)) throw new RunCancelledError();
  }
}

/**
 * A log entry's texts as PostgreSQL takes them: details carry values from both sides and error messages
 * (a NUL would make jsonb refuse the whole batch of entries and stop the run), so every string goes
 * through text-safety. Dates and numbers are kept as they are.
 */
function safeEntry(entry: SyncLogInput): SyncLogInput {
  return stripUnsafeCharactersDeep(entry).value;
}
