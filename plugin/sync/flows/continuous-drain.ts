import type { WorkClient } from '../../host/work-records';
import { SYNC_REASONS } from '../../messages';
import type { ClaimedOutboxRow } from '../../persistence/outbox-claim-repository';
import type { MappingRow } from '../../persistence/mapping-repository';
import type { EngineDeps } from '../engine/engine-deps';
import { failureReason, nextAttemptAt } from '../engine/fault-reasons';
import type { RunContext } from '../engine/run-lifecycle';
import { applyLinkedChanges, mergeLinked, type LinkedChange } from './client-push';
import { syncNewClients, type NewClientsOutcome } from './new-clients';
import { adoptAnsweredCreates } from './recovered-writes';
import { stripUnsafeCharacters } from '../text-safety';
import { recordFailure, recordSuccess } from './record-outcomes';

/** Entities this flow drains. Invoice and payment rows stay pending for their own flow. */
export const DRAINED_ENTITIES = ['client', 'site'] as const;
const CLAIM_BATCH = 30;
export const OUTBOX_LEASE_MS = 5 * 60_000;
/** Attempts after which a row is failed for good (its log entry keeps retry-now). */
const MAX_ATTEMPTS = 10;

export interface DrainResult {
  claimed: number;
}

/**
 * Drain the account's client and site rows: claim (SKIP LOCKED, one row per record, leased), push what
 * changed since the mapping's snapshot, finish or fail each row with back-off. A change equal to the last
 * one synced sends nothing, which is also why a change the sync itself applied to Work never echoes back.
 */
export async function drainOutbox(deps: EngineDeps, ctx: RunContext): Promise<DrainResult> {
  await deps.outbox.reclaimExpired(ctx.accountId, deps.clock());
  // A create answered just before a crash is adopted, never sent again.
  await adoptAnsweredCreates(deps, ctx, null);
  const settings = await deps.settings.mappingSettings(ctx.accountId);
  let claimed = 0;
  for (;;) {
    const rows = await deps.outbox.claim(ctx.accountId, DRAINED_ENTITIES, CLAIM_BATCH, OUTBOX_LEASE_MS, deps.workerId, deps.clock());
    if (rows.length === 0) return { claimed };
    claimed += rows.length;
    await drainBatch(deps, ctx, rows, settings);
  }
}

async function finish(deps: EngineDeps, ctx: RunContext, row: ClaimedOutboxRow): Promise<void> {
  await deps.outbox.complete(ctx.accountId, row.id, deps.clock());
}

async function failRow(deps: EngineDeps, ctx: RunContext, row: ClaimedOutboxRow, error: unknown): Promise<void> {
  const why = failureReason(error);
  const next = why.retryable && row.attempts < MAX_ATTEMPTS ? nextAttemptAt(deps.clock(), row.attempts) : null;
  // The error text may quote a record's values: stored only once it is safe for PostgreSQL.
  await deps.outbox.fail(ctx.accountId, row.id, stripUnsafeCharacters(`${why.faultCode ?? why.reasonCode}: ${why.detail}`).text, next, deps.clock());
}

async function drainBatch(deps: EngineDeps, ctx: RunContext, rows: readonly ClaimedOutboxRow[], settings: Awaited<ReturnType<EngineDeps['settings']['mappingSettings']>>): Promise<void> {
  const linked: { row: ClaimedOutboxRow; change: LinkedChange }[] = [];
  const creates: { row: ClaimedOutboxRow; work: WorkClient }[] = [];
  for (const row of rows) {
    const ids = { workId: row.record_id, qboId: null };
    try {
      if (row.entity === 'site') {
        await ctx.recorder.record({ entity: 'site', ...ids, level: 'info', outcome: 'skipped', reasonCode: 'site_not_synced_continuously', reason: SYNC_REASONS.site_not_synced_continuously });
        await finish(deps, ctx, row);
        continue;
      }
      const mapping: MappingRow | null = await deps.mappings.findByWork(ctx.accountId, 'client', row.record_id);
      const work = row.action === 'deleted' ? null : await deps.work.clients.get(ctx.accountId, row.record_id);
      if (!work) {
        const code = mapping ? 'deleted_in_work_not_in_qbo' : 'record_gone_in_work';
        await ctx.recorder.record({ entity: 'client', workId: row.record_id, qboId: mapping?.qbo_id ?? null, level: mapping ? 'warning' : 'info', outcome: 'skipped', reasonCode: code, reason: SYNC_REASONS[code] });
        await finish(deps, ctx, row);
        continue;
      }
      if (mapping) {
        const merge = mergeLinked(deps, work, mapping, null, settings);
        if (!merge.toQbo && !merge.toWork) {
          await recordSuccess(ctx, 'client', 'unchanged', { workId: work.id, qboId: mapping.qbo_id }, 'unchanged');
          await finish(deps, ctx, row);
          continue;
        }
        linked.push({ row, change: { work, mapping, customer: null, merge } });
        continue;
      }
      creates.push({ row, work });
    } catch (error) {
      await recordFailure(ctx, 'client', ids, error, row.attempts, deps.clock());
      await failRow(deps, ctx, row, error);
    }
  }

  if (linked.length > 0) {
    const outcomes = await applyLinkedChanges(deps, ctx, linked.map((l) => l.change), settings);
    for (const { row, change } of linked) {
      if (outcomes.get(change.work.id) === 'applied') await finish(deps, ctx, row);
      else await failRow(deps, ctx, row, new Error('push failed; see the sync log'));
    }
  }

  if (creates.length > 0) {
    // Matched first against the unlinked active QBO customers, by onboarding's rules: never a duplicate.
    let outcome: NewClientsOutcome;
    try {
      outcome = await syncNewClients(deps, ctx, { workIds: new Set(creates.map((c) => c.work.id)), qboIds: new Set() });
    } catch (error) {
      for (const c of creates) {
        await recordFailure(ctx, 'client', { workId: c.work.id, qboId: null }, error, c.row.attempts, deps.clock());
        await failRow(deps, ctx, c.row, error);
      }
      return;
    }
    for (const c of creates) {
      // Linked, created, sent to review, blocked or skipped: logged by the plan's execution; only a failure retries.
      if (outcome.failedWorkIds.has(c.work.id)) await failRow(deps, ctx, c.row, new Error('not linked or created; see the sync log'));
      else await finish(deps, ctx, c.row);
    }
  }
}
