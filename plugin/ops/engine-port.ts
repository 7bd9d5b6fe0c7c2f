/**
 * What the operator CLI (`work-qbo sync|drain|retry|worker`) needs from the sync engine. The engine (issue 8)
 * implements it and hands it out as `PluginHandle.engine` (plugin/ops/engine-adapter.ts, wired in plugin/index.ts).
 * The pull side of the webhooks is already here: the engine claims due pulls from `PluginHandle.pulls`
 * (claimDuePulls → pull(claim) → completePull / failPull) on its schedule.
 */
import type { ClaimedPull } from './pull-requests';

export interface EngineSyncOptions {
  /** First sync of an account: match and link existing records both ways. */
  onboarding: boolean;
  /** Plan only: report what would change, write nothing to Work or QuickBooks. */
  dryRun: boolean;
}

/** A short JSON-able account of what a command did, printed by the CLI as is; `ok: false` makes it exit 1. */
export type EngineOutcome = { ok: boolean } & Record<string, unknown>;

/**
 * How a pull went: `pulled` (done), `skipped` (nothing to pull now: not connected, or paused until a
 * reconnect, whose catch-up rides the CDC bookmark), `busy` (the account's run lock is held by another run:
 * that run may have read QuickBooks before these events, so the pull is tried again shortly).
 */
export type PullOutcome = { status: 'pulled' | 'skipped' | 'busy'; detail?: EngineOutcome };

export interface EnginePort {
  /** Run one sync of the account now (a manual run; never overlaps the nightly one). */
  sync(accountId: string, opts: EngineSyncOptions): Promise<EngineOutcome>;
  /** Send the outbox's due rows now (one account, or every account). */
  drain(opts: { accountId?: string }): Promise<EngineOutcome>;
  /** Put an account's failed records back in line (all of them, or only those marked failed). */
  retry(accountId: string, opts: { failedOnly: boolean }): Promise<EngineOutcome>;
  /**
   * One continuous run of the account (pull QuickBooks' changes, then send the queue through every flow the
   * engine has): what the drain schedule and the nightly sync call. `status` is the engine's: finished,
   * failed, already_running (another run holds the account), not_connected, needs_reconnect.
   */
  continuous(accountId: string): Promise<EngineOutcome & { status: string; runId?: string }>;
  /** Pull an account's QuickBooks changes (CDC) for a claimed pull request. */
  pull(claim: ClaimedPull): Promise<PullOutcome>;
}
