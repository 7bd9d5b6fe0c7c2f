import type { EngineOutcome, EnginePort, PullOutcome } from './engine-port';
import type { ClaimedPull } from './pull-requests';

/**
 * The sync engine's handle as issue 8 shapes it (`PluginHandle.sync`: preview, sync, status, retryLogEntry…),
 * described structurally so this file builds with or without the engine merged.
 */
export interface SyncRunResultLike {
  status: string;
  message?: string;
  error?: string;
  run?: { id: string; kind?: string; status?: string; counts?: unknown };
  result?: { plan?: { summary?: unknown } | null; pull?: unknown; drain?: unknown } | null;
}

export interface SyncHandleLike {
  sync(accountId: string, options: { kind: 'onboarding' | 'continuous' | 'manual'; dryRun?: boolean }): Promise<SyncRunResultLike>;
  retryLogEntry(accountId: string, logId: string): Promise<boolean>;
}

/** What an operator reads of a run: its status, the run row's counts, the plan's summary (not every record). */
function compact(result: SyncRunResultLike): Record<string, unknown> {
  const out: Record<string, unknown> = { status: result.status };
  if (result.message !== undefined) out['message'] = result.message;
  if (result.error !== undefined) out['error'] = result.error;
  if (result.run) out['run'] = { id: result.run.id, kind: result.run.kind, status: result.run.status, counts: result.run.counts };
  if (result.result) out['result'] = { plan: result.result.plan?.summary ?? null, pull: result.result.pull ?? null, drain: result.result.drain ?? null };
  return out;
}

export interface EngineAdapterDeps {
  sync: SyncHandleLike;
  /** Accounts a `drain` without --account works through (e.g. HealthRepository.listAccountIds). */
  accounts(): Promise<string[]>;
  /** The account's failed log entries to retry (not dismissed ones); `onlyGivenUp`: those no retry waits for. */
  failedLogIds(accountId: string, onlyGivenUp: boolean): Promise<string[]>;
}

const PULL_STATUS: Record<string, PullOutcome['status']> = {
  finished: 'pulled',
  already_running: 'busy',
  not_connected: 'skipped',
  needs_reconnect: 'skipped',
};

/** EnginePort over the engine's handle: what the CLI and the pull scheduler call. */
export function engineFromSyncHandle(deps: EngineAdapterDeps): EnginePort {
  return {
    async sync(accountId, opts): Promise<EngineOutcome> {
      const result = await deps.sync.sync(accountId, { kind: opts.onboarding ? 'onboarding' : 'manual', dryRun: opts.dryRun });
      return { ...compact(result), ok: result.status === 'finished' };
    },

    // The engine's continuous run pulls QuickBooks' changes, then sends the queue: a drain that misses nothing.
    async drain(opts): Promise<EngineOutcome> {
      const ids = opts.accountId !== undefined ? [opts.accountId] : await deps.accounts();
      const accounts: Record<string, string> = {};
      for (const id of ids) accounts[id] = (await deps.sync.sync(id, { kind: 'continuous' })).status;
      return { ok: Object.values(accounts).every((status) => status === 'finished'), accounts };
    },

    async continuous(accountId) {
      const result = await deps.sync.sync(accountId, { kind: 'continuous' });
      return {
        ok: result.status === 'finished',
        status: result.status,
        ...(result.run ? { runId: String(result.run.id) } : {}),
        ...(result.error === undefined ? {} : { error: result.error }),
        ...(result.message === undefined ? {} : { message: result.message }),
      };
    },

    async retry(accountId, opts): Promise<EngineOutcome> {
      const ids = await deps.failedLogIds(accountId, opts.failedOnly);
      let retried = 0;
      for (const id of ids) if (await deps.sync.retryLogEntry(accountId, id)) retried += 1;
      return { ok: retried === ids.length, accountId, failedOnly: opts.failedOnly, failed: ids.length, retried };
    },

    async pull(claim: ClaimedPull): Promise<PullOutcome> {
      const result = await deps.sync.sync(claim.accountId, { kind: 'continuous' });
      const status = PULL_STATUS[result.status];
      // A failed run throws so the scheduler hands the pull back with the error, to be tried again.
      if (!status) throw new Error(result.error ?? result.message ?? `sync run ended ${result.status}`);
      return { status, detail: { ...compact(result), ok: status === 'pulled' } };
    },
  };
}
