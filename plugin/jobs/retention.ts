import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { RETENTION_TARGETS, retentionCutoff, type RetentionResult, type RetentionTarget } from '../ops/retention-policy';
import type { RetentionRepository } from '../persistence/retention-repository';

export interface RetentionJobDeps {
  repository: Pick<RetentionRepository, 'deleteChunk' | 'withTryLock'>;
  logger: Logger;
  clock: () => Date;
  retentionDays: number;
  schedule: string;
  chunkSize?: number;
  /** Chunks per target per run: bounds one run's time; whatever is left goes next time. */
  maxChunks?: number;
}

/** Advisory lock key of this job (namespace "qbo", job 1); the same on every process. */
export const RETENTION_LOCK_KEY: [number, number] = [0x71626f, 1];

const DEFAULT_CHUNK = 1000;
const DEFAULT_MAX_CHUNKS = 500;

/**
 * Deletes what the plugin no longer needs, nightly. Every process schedules it; the advisory lock lets one
 * of them run it and the others skip that night's pass.
 */
export class RetentionJob {
  private task: ScheduledTask | null = null;

  constructor(private readonly deps: RetentionJobDeps) {}

  start(): void {
    this.task ??= cron.schedule(this.deps.schedule, () => this.runOnce().then(() => undefined, (error: unknown) => {
      this.deps.logger.error({ error: (error as Error).message }, 'QuickBooks retention pass failed; the next pass continues where it stopped');
    }), { name: 'qbo-retention', noOverlap: true });
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = null;
  }

  get isScheduled(): boolean {
    return this.task !== null;
  }

  /** One pass; null when another process holds the lock (its pass does the work). */
  async runOnce(): Promise<RetentionResult | null> {
    const cutoff = retentionCutoff(this.deps.clock(), this.deps.retentionDays);
    const chunk = this.deps.chunkSize ?? DEFAULT_CHUNK;
    const maxChunks = this.deps.maxChunks ?? DEFAULT_MAX_CHUNKS;
    const result = await this.deps.repository.withTryLock(RETENTION_LOCK_KEY, async () => {
      const deleted = Object.fromEntries(RETENTION_TARGETS.map((t) => [t, 0])) as Record<RetentionTarget, number>;
      let incomplete = false;
      for (const target of RETENTION_TARGETS) {
        for (let i = 0; ; i += 1) {
          if (i === maxChunks) {
            incomplete = true;
            break;
          }
          const n = await this.deps.repository.deleteChunk(target, cutoff, chunk);
          deleted[target] += n;
          if (n < chunk) break;
        }
      }
      return { cutoff, deleted, incomplete };
    });
    if (result === null) {
      this.deps.logger.info('QuickBooks retention pass skipped: another process is running it');
      return null;
    }
    this.deps.logger.info({ cutoff: result.cutoff.toISOString(), deleted: result.deleted, incomplete: result.incomplete }, 'QuickBooks retention pass finished');
    return result;
  }
}
