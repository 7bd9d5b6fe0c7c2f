import { SYNC_TEXTS } from '../../messages';
import { OutboxRepository } from '../../persistence/outbox-repository';
import type { SyncLogRow } from '../../persistence/sync-log-repository';
import type { SyncRunKind, SyncRunRow } from '../../persistence/sync-run-repository';
import { drainOutbox, DRAINED_ENTITIES, type DrainResult } from '../flows/continuous-drain';
import { pullChanges, type PullResult } from '../flows/continuous-pull';
import { previewOnboarding, runOnboarding } from '../flows/onboarding';
import { pushInvoicesAndPayments, type PushResult } from '../flows/push-run';
import { accountsInQbo, invoiceDifferences, invoiceSettings, updateInvoiceSettings, type AccountInQbo, type InvoiceDifference, type SettingsUpdateResult } from '../flows/invoice-settings';
import type { InvoicePaymentSettings, SettingsChange } from '../plan/settings-rules';
import { resolveReviewEntry, ReviewResolutionError, type ReviewDecision, type ReviewTarget } from '../flows/review-resolution';
import type { OnboardingPlan } from '../plan/types';
import type { EngineDeps } from './engine-deps';
import { runExclusive, type RunContext, type RunResult } from './run-lifecycle';

export interface SyncOptions {
  kind: SyncRunKind;
  /** Plan only: counts what would happen; nothing is written to Work or QBO. */
  dryRun?: boolean;
}

export interface SyncSummary {
  plan: OnboardingPlan | null;
  pull: PullResult | null;
  drain: DrainResult | null;
  /** Invoices and payments pushed after the client drain (issue 12). */
  push?: PushResult | null;
}

export type PreviewResult = { status: 'ok'; plan: OnboardingPlan } | { status: 'not_connected' | 'needs_reconnect'; message: string };

export interface SyncStatus {
  accountId: string;
  running: boolean;
  /** The running run, else the last one, with its live counts. */
  run: SyncRunRow | null;
  openReviews: number;
  pendingPushes: number;
}

/** Failures that were due for a retry become outbox pushes again (clients; QBO → Work retries ride the bookmark). */
async function requeueDueRetries(deps: EngineDeps, ctx: RunContext): Promise<void> {
  const due = (await deps.log.dueRetries(ctx.accountId, deps.clock(), 500)).filter((e) => e.entity === 'client' && e.work_id !== null);
  const outbox = new OutboxRepository(deps.knex);
  for (const entry of due) {
    await deps.knex.transaction(async (trx) => {
      if (entry.entity === 'client' && entry.work_id) await outbox.enqueue({ accountId: ctx.accountId, entity: 'client', recordId: entry.work_id, action: 'updated' }, trx);
      await deps.log.settleFailures(ctx.accountId, entry.entity ?? 'client', entry.work_id ?? '', trx);
    });
  }
}

/**
 * The engine the host reaches through the plugin handle. Every run holds the account's advisory lock, so
 * any number of processes can call it; a second call while one runs answers "already running".
 */
export class SyncEngine {
  constructor(private readonly deps: EngineDeps) {}

  /** The readiness preview: reads both sides and plans; writes nothing anywhere (not even a run row). */
  async preview(accountId: string): Promise<PreviewResult> {
    const connection = await this.deps.connections.findByAccount(accountId);
    if (!connection || connection.status === 'disconnected') return { status: 'not_connected', message: SYNC_TEXTS.notConnected };
    if (connection.status === 'needs_reconnect') return { status: 'needs_reconnect', message: SYNC_TEXTS.needsReconnect };
    return { status: 'ok', plan: await previewOnboarding(this.deps, accountId, connection.realm_id) };
  }

  /**
   * onboarding: the first sync (plan, link, create both ways, review list). continuous: CDC pull, then the
   * outbox drain. manual: both (re-plans everything, so records added on either side since are picked up).
   */
  async sync(accountId: string, options: SyncOptions): Promise<RunResult<SyncSummary>> {
    const dryRun = options.dryRun === true;
    return runExclusive(this.deps, accountId, options.kind, dryRun, async (ctx) => {
      const summary: SyncSummary = { plan: null, pull: null, drain: null };
      if (options.kind === 'onboarding' || options.kind === 'manual' || !(await this.deps.runs.hasFinishedOnboarding(accountId)) || (await this.replanDue(accountId))) {
        if (!dryRun) await this.deps.log.settleReplanRetries(accountId, this.deps.clock());
        summary.plan = await runOnboarding(this.deps, ctx);
      }
      if (dryRun || options.kind === 'onboarding') return summary;
      await ctx.recorder.setPhase('pulling');
      await requeueDueRetries(this.deps, ctx);
      summary.pull = await pullChanges(this.deps, ctx);
      await ctx.recorder.setPhase('pushing');
      summary.drain = await drainOutbox(this.deps, ctx);
      summary.push = await pushInvoicesAndPayments(this.deps, ctx, { scan: options.kind === 'manual' });
      return summary;
    });
  }

  /**
   * Failures only a re-plan can retry (a QBO customer or a site that did not reach the other side) are due:
   * the continuous run then plans again first, which retries them and nothing else (linked records stay).
   */
  private async replanDue(accountId: string): Promise<boolean> {
    const due = await this.deps.log.dueRetries(accountId, this.deps.clock(), 500);
    return due.some((e) => e.entity === 'site' || (e.entity === 'client' && e.work_id === null));
  }

  async status(accountId: string): Promise<SyncStatus> {
    const run = await this.deps.runs.currentOrLast(accountId);
    return {
      accountId,
      running: run?.status === 'running',
      run,
      openReviews: (await this.deps.reviews.listOpen(accountId)).length,
      pendingPushes: await this.deps.outbox.pendingCount(accountId, DRAINED_ENTITIES),
    };
  }

  /** Retry one failed record now: due at once, and queued again when it is a Work client, invoice or payment. */
  async retryLogEntry(accountId: string, logId: string): Promise<boolean> {
    const entry: SyncLogRow | null = await this.deps.log.find(accountId, logId);
    if (!entry || !(await this.deps.log.retryNow(accountId, logId, this.deps.clock()))) return false;
    if ((entry.entity === 'client' || entry.entity === 'invoice' || entry.entity === 'payment') && entry.work_id) {
      const outbox = new OutboxRepository(this.deps.knex);
      const entity = entry.entity;
      await this.deps.knex.transaction((trx) => outbox.enqueue({ accountId, entity, recordId: entry.work_id ?? '', action: 'updated' }, trx));
    }
    return true;
  }

  /** The invoice and payment settings (defaults when none are saved). */
  async invoiceSettings(accountId: string): Promise<InvoicePaymentSettings> {
    return invoiceSettings(this.deps, accountId);
  }

  /** Change the invoice and payment settings, checked against the company's accounts and tax codes. */
  async updateInvoiceSettings(accountId: string, change: SettingsChange): Promise<SettingsUpdateResult> {
    return updateInvoiceSettings(this.deps, accountId, change);
  }

  /** The company's accounts with their types. */
  async accountsInQbo(accountId: string): Promise<{ status: 'ok'; accounts: AccountInQbo[] } | { status: 'not_connected' | 'needs_reconnect'; message: string }> {
    return accountsInQbo(this.deps, accountId);
  }

  /** Pushed invoices whose QBO total differs from Work's, each with the FAQ's explanation. */
  async invoiceDifferences(accountId: string): Promise<InvoiceDifference[]> {
    return invoiceDifferences(this.deps, accountId);
  }

  /** Dismiss one log entry: seen by the admin, never retried. */
  async dismissLogEntry(accountId: string, logId: string): Promise<boolean> {
    return this.deps.log.dismiss(accountId, logId, this.deps.clock());
  }

  /** End the QBO client's waits (limiter, back-off) so a stopping process can exit. */
  close(): void {
    this.deps.qbo.close();
  }

  /** The admin's decision on one review entry, carried out in a run of its own (under the account lock). */
  async resolveReview(accountId: string, reviewId: string, decision: ReviewDecision, target: ReviewTarget = {}): Promise<RunResult<void>> {
    if (!['link', 'create', 'skip'].includes(decision)) throw new ReviewResolutionError('A review entry is resolved by link, create or skip.');
    const entry = await this.deps.reviews.find(accountId, reviewId);
    if (!entry) throw new ReviewResolutionError('There is no such review entry for this account.');
    return runExclusive(this.deps, accountId, 'manual', false, (ctx) => resolveReviewEntry(this.deps, ctx, entry, decision, target));
  }
}
