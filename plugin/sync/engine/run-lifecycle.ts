import { SYNC_TEXTS } from '../../messages';
import type { SyncRunKind, SyncRunRow } from '../../persistence/sync-run-repository';
import type { EngineDeps } from './engine-deps';
import { RunCancelledError, RunRecorder } from './run-recorder';

export interface RunContext {
  accountId: string;
  realmId: string;
  runId: string;
  dryRun: boolean;
  recorder: RunRecorder;
}

export type RunRefusal =
  | { status: 'already_running'; message: string }
  | { status: 'not_connected'; message: string }
  | { status: 'needs_reconnect'; message: string };

export type RunResult<T> = { status: 'finished'; run: SyncRunRow; result: T } | { status: 'failed'; run: SyncRunRow; error: string } | RunRefusal;

/**
 * One run at a time per account, on any number of processes and machines: the account's advisory lock is
 * taken (without waiting) before anything else; a second request gets "already running". Inside the lock a
 * run left "running" by a dead process is closed, a new run row is started, the body runs, and the run is
 * finished with its counts whatever happens. The lock goes with its connection if the process dies.
 */
export async function runExclusive<T>(
  deps: EngineDeps,
  accountId: string,
  kind: SyncRunKind,
  dryRun: boolean,
  body: (ctx: RunContext) => Promise<T>,
): Promise<RunResult<T>> {
  const lock = await deps.locks.tryLock(accountId);
  if (!lock) return { status: 'already_running', message: SYNC_TEXTS.alreadyRunning };
  try {
    const connection = await deps.connections.findByAccount(accountId);
    if (!connection || connection.status === 'disconnected') return { status: 'not_connected', message: SYNC_TEXTS.notConnected };
    if (connection.status === 'needs_reconnect') return { status: 'needs_reconnect', message: SYNC_TEXTS.needsReconnect };
    await deps.runs.closeAbandoned(accountId, deps.clock(), SYNC_TEXTS.runAbandoned);
    const run = await deps.runs.start(accountId, kind, dryRun, deps.clock());
    const recorder = new RunRecorder({ runs: deps.runs, log: deps.log, clock: deps.clock, lockLost: () => lock.lost() }, accountId, run.id, dryRun);
    try {
      const result = await body({ accountId, realmId: connection.realm_id, runId: run.id, dryRun, recorder });
      await recorder.flush();
      await deps.runs.finish(accountId, run.id, 'succeeded', recorder.counts, null, deps.clock());
      return { status: 'finished', run: (await deps.runs.find(accountId, run.id)) ?? run, result };
    } catch (error) {
      if (error instanceof RunCancelledError) {
        await deps.runs.finish(accountId, run.id, 'cancelled', recorder.counts, SYNC_TEXTS.runCancelled, deps.clock());
        return { status: 'failed', run: (await deps.runs.find(accountId, run.id)) ?? run, error: SYNC_TEXTS.runCancelled };
      }
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.error({ accountId, runId: run.id, err: message }, 'sync run failed');
      await recorder.flush().catch(() => undefined);
      await deps.runs.finish(accountId, run.id, 'failed', recorder.counts, `${SYNC_TEXTS.runFailed} (${message.slice(0, 300)})`, deps.clock());
      return { status: 'failed', run: (await deps.runs.find(accountId, run.id)) ?? run, error: message };
    }
  } finally {
    await lock.release();
  }
}
