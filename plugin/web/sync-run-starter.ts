import type { Logger } from 'pino';
import type { SyncHandle } from '../sync/engine/create-sync-engine';
import type { SyncRunKind } from '../persistence/sync-run-repository';
import type { SyncAdminQueries } from '../persistence/sync-admin-queries';

export type StartAnswer = { status: 'started' } | { status: 'already_running' } | { status: 'refused'; message: string };

const WAIT_STEP_MS = 25;
const WAIT_STEPS = 400;

/**
 * Starts a run in the background for a page (the admin should not wait for a whole sync), and answers
 * honestly: "started" only once the run's row exists or it finished, "already running" when the engine's
 * lock said so, and the engine's own refusal (not connected, needs reconnect) otherwise.
 */
export class SyncRunStarter {
  /** Runs started here and not yet settled (stop() and tests can wait for them). */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: { sync: Pick<SyncHandle, 'sync'>; queries: Pick<SyncAdminQueries, 'listRuns'>; logger: Logger }) {}

  async start(accountId: string, kind: SyncRunKind): Promise<StartAnswer> {
    // No look at the run rows first: a row left "running" by a dead process must not block a new run; the
    // engine's account lock is the one honest answer to "is a sync running?".
    const lastId = (await this.deps.queries.listRuns(accountId, 1))[0]?.id ?? null;
    let answer: StartAnswer | null = null;
    const run = this.deps.sync
      .sync(accountId, { kind })
      .then((result) => {
        if (result.status === 'already_running') answer = { status: 'already_running' };
        else if (result.status === 'not_connected' || result.status === 'needs_reconnect') answer = { status: 'refused', message: result.message };
        else answer = { status: 'started' };
      })
      .catch((err: unknown) => {
        this.deps.logger.error({ accountId, err: err instanceof Error ? err.message : String(err) }, 'a sync started from the admin page failed');
        answer = { status: 'started' };
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    for (let step = 0; step < WAIT_STEPS; step += 1) {
      if (answer) return answer;
      const newest = (await this.deps.queries.listRuns(accountId, 1))[0];
      if (newest && newest.id !== lastId) return { status: 'started' };
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
    return answer ?? { status: 'started' };
  }

  /** Wait for every run started here to settle. */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}
