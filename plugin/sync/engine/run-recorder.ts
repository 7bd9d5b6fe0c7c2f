import type { RunCounts, SyncRunRepository } from '../../persistence/sync-run-repository';
import type { SyncEntity, SyncLogInput, SyncLogRepository, SyncOutcome } from '../../persistence/sync-log-repository';
import { stripUnsafeCharactersDeep } from '../text-safety';
import { nextAttemptAt } from './fault-reasons';

export const LOCK_LOST = 'the run lost its lock on the account (its database connection ended); it stopped so two runs never work one account';

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
 * Outcomes that carry a record's current state to the other side, so its earlier failures (a create or a
 * push that did not go through) no longer wait for a retry. Not "unchanged" (an onboarding says that of any
 * linked client, pending edit or not) nor "updated_in_work" (a pull says nothing of a push that failed).
 */
const WENT_THROUGH: ReadonlySet<SyncOutcome> = new Set(['linked', 'created_in_qbo', 'created_in_work', 'updated_in_qbo']);

/**
 * The entries whose record went through and did not fail again later in the same entries: settling their
 * failures (earlier ones, in this flush or before) leaves a failure logged after a success due.
 */
function wentThroughLast(entries: readonly SyncLogInput[]): (SyncLogInput & { entity: SyncEntity })[] {
  const keysOf = (e: SyncLogInput): string[] => [
    ...(e.workId !== null ? [`${String(e.entity)} w ${e.workId}`] : []),
    ...(e.qboId !== null && (e.workId === null || e.outcome !== 'failed') ? [`${String(e.entity)} q ${e.qboId}`] : []),
  ];
  const last = new Map<string, SyncLogInput>();
  for (const e of entries) if (e.entity !== null && (e.outcome === 'failed' || WENT_THROUGH.has(e.outcome))) for (const k of keysOf(e)) last.set(k, e);
  return entries.filter((e): e is SyncLogInput & { entity: SyncEntity } => e.entity !== null && WENT_THROUGH.has(e.outcome) && keysOf(e).every((k) => last.get(k) === e));
}

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
    private readonly deps: { runs: SyncRunRepository; log: SyncLogRepository; clock: () => Date; lockLost?: () => boolean },
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
    // The run's lock died with its connection: another process may be running this account now. Stop at
    // this phase boundary (never inside a record's own error handling), the log written; the next run
    // continues from what was stored.
    if (this.deps.lockLost?.()) throw new Error(LOCK_LOST);
  }

  async flush(): Promise<void> {
    const entries = this.buffer;
    this.buffer = [];
    const now = this.deps.clock();
    await this.deps.log.insertMany(this.accountId, entries, now);
    await this.deps.log.settleSucceeded(this.accountId, wentThroughLast(entries));
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
